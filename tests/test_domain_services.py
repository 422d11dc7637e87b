"""Screens reach their domain, not the whole workstation (issue 22): each domain's screens
see ``services`` as their domain's Protocol (screens/<domain>/services.py), which the one
Workstation satisfies, and a screen that names a service outside it fails here (and in mypy).

A module's service reads are the attributes read off ``self.services`` (or any
``<x>.services``), off ``require_services()`` / ``wait_for_services()``, off a name
``services`` or a parameter typed with a ``...Services`` Protocol, and off the first
parameter of a lambda handed to ``run_service`` (F6's writes)."""

from __future__ import annotations

import ast
import importlib
from dataclasses import fields
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest

from cc_terminal.screens.base import WorkstationAccess, WorkstationScreen
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.channels.services import ChannelsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.orders.services import OrdersServices, TeamServices
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.screens.pickers import RevealServices
from cc_terminal.screens.privacy.services import PrivacyServices
from cc_terminal.screens.rostering.services import RosteringServices
from cc_terminal.screens.session.services import SessionServices
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.screens.tally.services import TallyServices
from cc_terminal.services.workstation import Workstation

SCREENS = Path(__file__).resolve().parent.parent / "src" / "cc_terminal" / "screens"
DOMAIN_SERVICES: dict[str, type] = {
    "calls": CallsServices,
    "outbound": OutboundServices,
    "orders": OrdersServices,
    "tally": TallyServices,
    "rostering": RosteringServices,
    "privacy": PrivacyServices,
    "session": SessionServices,
    "setup": SetupServices,
    "channels": ChannelsServices,
}
EVERY_PROTOCOL = [*DOMAIN_SERVICES.values(), TeamServices, RevealServices]
GETTERS = {"require_services", "wait_for_services"}
WORKSTATION = "cc_terminal.services.workstation"
ACCESS_BASES = {WorkstationAccess, WorkstationScreen, FormScreen}


def protocol_members(protocol: type) -> set[str]:
    members: set[str] = set()
    for cls in protocol.__mro__:
        if cls.__module__ in ("typing", "builtins"):
            continue
        members |= set(vars(cls).get("__annotations__", {}))
        members |= {
            name
            for name, value in vars(cls).items()
            if callable(value) or isinstance(value, property)  # a service opened when first used
        }
    return {name for name in members if not name.startswith("_")}


def _method_call(node: ast.AST, methods: set[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
    )


def _typed_services(annotation: ast.expr | None) -> bool:
    return annotation is not None and ast.unparse(annotation).endswith("Services")


def _services_names(tree: ast.AST) -> set[str]:
    """Names in the module that hold the services: typed parameters and F6's lambdas."""
    names = {"services"}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and _typed_services(node.annotation):
            names.add(node.arg)
        if isinstance(node, ast.Call) and _method_call(node, {"run_service"}):
            lambdas = [given for given in node.args if isinstance(given, ast.Lambda)]
            names |= {given.args.args[0].arg for given in lambdas if given.args.args}
    return names


def _holds_services(node: ast.expr, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr == "services"
    return _method_call(node, GETTERS)


def service_reads(source: str) -> set[str]:
    """The workstation's attributes a module's code reads (see the module's docstring)."""
    tree = ast.parse(source)
    names = _services_names(tree)
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and _holds_services(node.value, names)
    }


def domain_modules(domain: str) -> list[Path]:
    return sorted(
        path
        for path in (SCREENS / domain).glob("*.py")
        if path.name not in ("__init__.py", "services.py")
    )


def test_every_domain_folder_has_its_protocol() -> None:
    folders = {path.parent.name for path in SCREENS.glob("*/__init__.py")}
    assert folders == set(DOMAIN_SERVICES)
    for domain, protocol in DOMAIN_SERVICES.items():
        assert protocol.__module__ == f"cc_terminal.screens.{domain}.services"


@pytest.mark.parametrize("protocol", EVERY_PROTOCOL, ids=lambda protocol: protocol.__name__)
def test_the_workstation_has_every_member_of_each_protocol(protocol: type) -> None:
    # mypy proves the types (app_areas.every_domains_services); this proves the names at
    # run time, for the cast in screens/base.py.
    offered = {field.name for field in fields(Workstation)} | set(dir(Workstation))
    members = protocol_members(protocol)
    assert members, protocol
    assert members <= offered, members - offered


@pytest.mark.parametrize("domain", sorted(DOMAIN_SERVICES))
def test_a_domains_screens_name_only_the_services_of_its_protocol(domain: str) -> None:
    allowed = protocol_members(DOMAIN_SERVICES[domain])
    beyond = {
        path.name: sorted(service_reads(path.read_text("utf-8")) - allowed)
        for path in domain_modules(domain)
    }
    assert {name: reads for name, reads in beyond.items() if reads} == {}


def test_the_shared_screens_read_only_what_they_declare() -> None:
    """The modules above the domains (base, form_base, pickers, help) pass the services on
    and read none of them, but for the customer picker's reveal."""
    declared = {"pickers.py": protocol_members(RevealServices)}
    beyond = {
        path.name: sorted(service_reads(path.read_text("utf-8")) - declared.get(path.name, set()))
        for path in sorted(SCREENS.glob("*.py"))
    }
    assert {name: reads for name, reads in beyond.items() if reads} == {}


def test_the_rule_sees_a_tally_screen_reaching_for_the_order_desk() -> None:
    source = """
class Peek(WorkstationScreen[TallyServices]):
    def load(self) -> None:
        self.services.tally.report(actor)
        self.services.orders.take(actor, draft)
        self.workstation.require_services().dispatch.teams()
        self.run_service(lambda s, a: s.roster.publish(a, week), "done")

def rows(ws: TallyServices) -> None:
    ws.order_book.report()
"""
    allowed = protocol_members(TallyServices)
    assert service_reads(source) - allowed == {"orders", "dispatch", "roster", "order_book"}


@pytest.mark.parametrize("domain", sorted(DOMAIN_SERVICES))
def test_no_domain_screen_names_the_whole_workstation(domain: str) -> None:
    naming = []
    for path in domain_modules(domain):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == WORKSTATION:
                naming.append(path.name)
    assert naming == []


def services_type(cls: type) -> Any:
    """The S a screen class gives WorkstationAccess, WorkstationScreen or FormScreen."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            if get_origin(base) in ACCESS_BASES:
                return get_args(base)[0]
    return None


@pytest.mark.parametrize("domain", sorted(DOMAIN_SERVICES))
def test_each_domain_screen_is_typed_with_its_domains_protocol(domain: str) -> None:
    typed = {}
    for path in domain_modules(domain):
        module = importlib.import_module(f"cc_terminal.screens.{domain}.{path.stem}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and issubclass(value, WorkstationAccess)
            ):
                typed[value.__name__] = services_type(value)
    assert typed
    assert {name: S for name, S in typed.items() if S is not DOMAIN_SERVICES[domain]} == {}
