"""Audit kinds are names, not strings (issue 22, item 3): every writer and reader uses a
member of ``AuditKind`` (mypy rejects a bare string where a kind is wanted; this file
catches the literals mypy cannot see), the stored values never change, and each kind has
its label and group on the team lead's screen."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import text

from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import record
from cc_terminal.services.privacy.audit_trail import GROUPS, KIND_LABELS
from cc_terminal.services.privacy.audit_verify import verify

SRC = Path(__file__).resolve().parents[2] / "src" / "cc_terminal"
ENUM_MODULE = SRC / "models" / "audit_kinds.py"
# The functions that take a kind, and the kind's position among their arguments; the
# audit trail's own ``record`` method takes no database, so its kind comes second.
KIND_TAKERS = {
    "record": 2,
    "add_event": 2,
    "audited_file": 2,
    "config_change": 0,
    "_audit": 2,
    "_known": 2,
    "audit": 0,
}
# What the database holds from before the names: a value changed here is a migration.
STORED = {
    "login.ok", "login.failed", "login.throttled", "login.locked", "logout",
    "session.locked", "session.unlocked", "account.created", "account.unlocked",
    "account.password", "account.password_reset", "account.role", "account.deactivated",
    "account.recovered", "service.added", "service.revoked", "config.security_policy",
    "config.catalogue", "config.lists", "config.campaigns", "config.teams", "config.orders",
    "config.pay", "config.planning", "config.quality", "config.retention",
    "customer.viewed", "customer.looked_up", "customer.searched", "customer.revealed",
    "customer.exported", "customer.erased", "customer.purged", "permission.refused",
    "export", "import", "audit.viewed", "audit.cut", "sync.refused", "sync.quarantined",
    "account.department", "account.team", "account.chat_limit", "config.mailboxes",
    "customer.attachment_saved", "phone.token_set", "phone.token_refused", "account.extension",
    "config.floor", "phone.callback_given", "phone.callback_taken_back",
}  # fmt: skip


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text("utf-8")))
        for path in sorted(SRC.rglob("*.py"))
        if path != ENUM_MODULE and "migrations" not in path.parts
    ]


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _kind_argument(call: ast.Call) -> ast.expr | None:
    name = _called_name(call)
    method_record = name == "record" and isinstance(call.func, ast.Attribute)
    position = 1 if method_record else KIND_TAKERS[name]
    keyword = next((k.value for k in call.keywords if k.arg == "kind"), None)
    if keyword is not None:
        return keyword
    return call.args[position] if position < len(call.args) else None


def _is_text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def test_no_call_names_a_kind_with_a_string_literal() -> None:
    literal = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _called_name(node) in KIND_TAKERS
                and _is_text(_kind_argument(node))
            ):
                literal.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert literal == []


def test_no_module_spells_a_kind_out() -> None:
    """The kinds with a dot are unmistakable: as a literal anywhere, they bypass the names."""
    dotted = {kind.value for kind in AuditKind if "." in kind.value}
    spelt = [
        f"{path.relative_to(SRC)}:{node.lineno} {node.value}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in dotted
    ]
    assert spelt == []


def test_the_stored_values_are_the_ones_from_before_the_names() -> None:
    assert {kind.value for kind in AuditKind} == STORED


def test_every_kind_has_a_label_and_a_group_on_the_leads_screen() -> None:
    assert set(AuditKind) <= KIND_LABELS.keys()
    # the lead's filter by group keeps the kinds that start with it
    ungrouped = [kind for kind in AuditKind if not any(kind.startswith(g) for g in GROUPS)]
    assert ungrouped == []


def test_a_kind_is_stored_as_its_plain_value_and_the_chain_holds(ws, lead) -> None:
    record(ws.db, lead, AuditKind.CUSTOMER_LOOKED_UP, "c-1", "1")
    with ws.db.connect() as connection:
        stored = connection.execute(
            text("SELECT kind FROM audit_event WHERE subject = 'c-1'")
        ).scalar_one()
    assert (type(stored), stored) == (str, "customer.looked_up")
    verdict = verify(ws.db)
    assert verdict.intact, verdict.breaks
