"""Fixtures of the chat tests: the gateway's service account and its ``VisitorChats``, a
visitor's form, and operators on shift (signed in: an open work session)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from cc_terminal.services.channels.views import PreChat
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import Workstation
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE
from tests.helpers import rows


def form(**changes: object) -> PreChat:
    typed: dict[str, object] = {
        "name": "Eva Malá",
        "contact": "eva.mala@example.cz",
        "topic": "billing",
        "consent": True,
        "language": "en",
    }
    typed.update(changes)
    return PreChat(**typed)  # type: ignore[arg-type]


def gateway_account(ws: Workstation, lead: Actor, folder: Path) -> Actor:
    """The chat gateway's service account, as ``cc-terminal service add`` makes it."""
    scope = ",".join(CHAT_GATEWAY_SCOPE)
    ServiceAccounts(ws.db).add(lead, "gateway", scope, folder / "gw.pem")
    (found,) = rows(ws, "SELECT id FROM operator WHERE username = 'gateway'")
    return Actor(uuid.UUID(str(found[0])), "gateway", "gateway", "service")


def gateway_of(ws: Workstation, lead: Actor, folder: Path) -> VisitorChats:
    return VisitorChats(ws.db, ws.chats.clock, gateway_account(ws, lead, folder))


@pytest.fixture
def gateway(ws: Workstation, lead: Actor, tmp_path: Path) -> Actor:
    return gateway_account(ws, lead, tmp_path)


@pytest.fixture
def chats(ws: Workstation, clock, gateway: Actor) -> VisitorChats:
    return VisitorChats(ws.db, clock, gateway)


def on_shift(ws: Workstation, *people: Actor) -> None:
    for person in people:
        ws.work_clock.begin(person)
