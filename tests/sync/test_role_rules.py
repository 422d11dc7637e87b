"""Each rule of sync/roles.py, with the exact reason an arriving op is refused for: the
unsigned floor (the actor's role here) and the signed one (the signer's certificate), the
operator's own account, leads, day-off decisions, services and anonymous sign-in events."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.roles import (
    CHAT_GATEWAY_SCOPE,
    LEAD,
    SERVICE,
    refusal,
    signed_refusal,
)
from cc_terminal.sync.trust import Grant

JANA = str(uuid.uuid4())
PETR = str(uuid.uuid4())
LEAD_ID = str(uuid.uuid4())
JANA_GRANT = Grant(JANA, "jana", "operator", frozenset())
LEAD_GRANT = Grant(LEAD_ID, "vedouci", LEAD, frozenset())
GATEWAY = Grant(str(uuid.uuid4()), "gateway", SERVICE, frozenset({"chat_message"}))


def op(
    entity: str,
    verb: str = "update",
    actor: str | None = JANA,
    row_id: str | None = None,
    **changes: Any,
) -> Incoming:
    return Incoming(
        op_id=uuid.uuid4(),
        seq=1,
        entity=entity,
        row_id=row_id or str(uuid.uuid4()),
        kind=verb,
        changes=changes,
        bases={},
        hlc=1,
        terminal="t-jana",
        actor=actor,
    )


def no_row(_entity: str, _row_id: str) -> None:
    return None


REQUEST_ID = str(uuid.uuid4())


def row_in(state: str):
    """The stored request REQUEST_ID, in ``state``; no other row exists."""

    def read(entity: str, row_id: str) -> SimpleNamespace | None:
        if (entity, row_id) != ("day_off_request", REQUEST_ID):
            return None
        return SimpleNamespace(_mapping={"state": state})

    return read


def unsigned(incoming: Incoming, role: str | None = "operator", read_row=no_row) -> str:
    return refusal(incoming, role, read_row, has_lead=True)


def signed(incoming: Incoming, grant: Grant | str = JANA_GRANT, read_row=no_row) -> str:
    return signed_refusal(incoming, grant, read_row)


def test_audit_events_are_append_only_even_for_a_lead():
    assert unsigned(op("audit_event", "update", LEAD_ID), LEAD) == (
        "audit events are append-only; an update was sent"
    )
    assert unsigned(op("audit_event", "insert")) == ""
    assert signed(op("audit_event", "delete", LEAD_ID), LEAD_GRANT) == (
        "audit_event is append-only; an delete was sent"
    )
    assert signed(op("account_key", "update", LEAD_ID), LEAD_GRANT) == (
        "account_key is append-only; an update was sent"
    )
    assert signed(op("account_key", "insert", LEAD_ID), LEAD_GRANT) == ""


def test_a_lead_writes_anything_else_and_an_unknown_author_nothing_of_a_lead():
    assert unsigned(op("pay_plan", "insert", LEAD_ID), LEAD) == ""
    assert unsigned(op("operator", "insert", LEAD_ID), LEAD) == ""
    assert unsigned(op("pay_plan", "insert", None), None) == (
        "pay_plan is the team lead's; written by an unknown author"
    )
    assert unsigned(op("pay_plan", "insert")) == (
        "pay_plan is the team lead's; written by an operator"
    )
    assert signed(op("pay_plan", "insert")) == (
        "pay_plan is the team lead's; written by operator jana"
    )


def test_the_first_lead_is_made_by_init_only_while_there_is_no_lead():
    first = op("operator", "insert", None)
    assert refusal(first, None, no_row, has_lead=False) == ""
    itself = str(uuid.uuid4())
    assert refusal(op("operator", "insert", itself, itself), None, no_row, has_lead=False) == ""
    taken = "accounts are the team lead's; changed by an unknown author"
    assert refusal(first, None, no_row, has_lead=True) == taken
    assert refusal(op("operator", "insert", JANA), None, no_row, has_lead=False) == taken
    assert refusal(op("operator", "update", None), None, no_row, has_lead=False) == taken
    assert refusal(op("customer", "insert", None), None, no_row, has_lead=False) == ""


def test_an_operator_changes_only_her_own_account_and_not_its_admin_fields():
    refused = "accounts are the team lead's; changed by an operator"
    assert unsigned(op("operator", "update", JANA, JANA, password_hash="x")) == ""
    assert unsigned(op("operator", "update", JANA, PETR, password_hash="x")) == refused
    assert unsigned(op("operator", "insert", JANA, JANA)) == refused
    admin = ("role", "active", "team_lead_id", "pay_plan_id", "department", "chat_limit")
    for field in (*admin, "phone_extension"):
        assert unsigned(op("operator", "update", JANA, JANA, **{field: "x"})) == refused


def test_on_a_signed_floor_only_her_key_password_and_a_cleared_must_change():
    mine = f"operator {JANA_GRANT.username}"
    assert signed(op("operator", "update", JANA, JANA, password_hash="x", signing_key="k")) == ""
    assert signed(op("operator", "update", JANA, JANA, must_change_password=False)) == ""
    assert signed(op("operator", "update", JANA, JANA, must_change_password=True)) == (
        f"must_change_password set by {mine}"
    )
    assert signed(op("operator", "update", JANA, JANA, role="lead")) == (
        f"account fields only a team lead sets, changed by {mine}"
    )
    assert signed(op("operator", "update", JANA, PETR, password_hash="x")) == (
        f"another account (update of {PETR}) changed by {mine}"
    )
    assert signed(op("operator", "delete", JANA, JANA)) == (
        f"another account (delete of {JANA}) changed by {mine}"
    )


def test_a_signed_op_is_the_signers_own():
    assert signed(op("customer", "insert", PETR)) == f"made in the name of {PETR}, signed by jana"
    assert signed(op("customer", "insert", None)) == "made in the name of nobody, signed by jana"
    assert signed(op("audit_event", "insert", JANA, actor_id=PETR)) == (
        "an audit event in another's name, written by operator jana"
    )
    assert signed(op("audit_event", "insert", JANA, actor_id=JANA)) == ""


@pytest.mark.parametrize("kind", ["login.failed", "login.throttled", "login.locked"])
def test_only_a_failed_sign_in_arrives_unsigned(kind):
    assert signed(op("audit_event", "insert", None, kind=kind), "no certificate") == ""
    not_signed = "not signed by an account of the floor: no certificate"
    assert signed(op("audit_event", "insert", None, kind="x"), "no certificate") == not_signed
    assert signed(op("audit_event", "insert", JANA, kind=kind), "no certificate") == not_signed
    assert signed(op("audit_event", "update", None, kind=kind), "no certificate") == not_signed
    assert signed(op("customer", "insert", None, kind=kind), "no certificate") == not_signed


def test_a_service_writes_its_scope_and_never_deletes():
    me = GATEWAY.operator_id
    assert signed(op("chat_message", "insert", me), GATEWAY) == ""
    assert signed(op("chat_message", "update", me), GATEWAY) == ""
    assert signed(op("chat_message", "delete", me), GATEWAY) == (
        "chat_message (delete) is outside the scope of service gateway"
    )
    assert signed(op("customer", "update", me), GATEWAY) == (
        "customer (update) is outside the scope of service gateway"
    )


@pytest.mark.parametrize("check", [unsigned, signed], ids=["unsigned", "signed"])
def test_leads_are_loaded_and_given_out_by_the_lead(check):
    who = "an operator" if check is unsigned else "operator jana"
    assert check(op("lead", "insert")) == f"leads are loaded by the team lead; insert by {who}"
    assert check(op("lead", "delete")) == f"leads are loaded by the team lead; delete by {who}"
    assert check(op("lead", assignment_epoch=2)) == f"a lead's assignment epoch moved by {who}"
    assert check(op("lead", assigned_to=PETR)) == f"a lead reassigned to someone else by {who}"
    assert check(op("lead", assigned_to=JANA, assignment_epoch=2)) == ""
    assert check(op("lead", assigned_to=None)) == ""
    assert check(op("lead", state="called")) == ""


@pytest.mark.parametrize("check", [unsigned, signed], ids=["unsigned", "signed"])
def test_day_off_decisions_are_the_leads_but_a_freed_place_approves_the_waitlist(check):
    who = "an operator" if check is unsigned else "operator jana"
    request = op("day_off_request", row_id=REQUEST_ID, state="approved")
    assert check(request, read_row=row_in("pending")) == (
        f"a day-off decision (pending -> approved) made by {who}"
    )
    assert check(request, read_row=row_in("waitlisted")) == ""
    new = op("day_off_request", "insert", row_id=REQUEST_ID, state="approved")
    assert check(new, read_row=row_in("waitlisted")) == (  # an insert reads no stored row
        f"a day-off decision (new -> approved) made by {who}"
    )
    assert check(request, read_row=no_row) == f"a day-off decision (new -> approved) made by {who}"
    for decision in ("rejected", "waitlisted", "revoked"):
        stored = op("day_off_request", row_id=REQUEST_ID, state=decision)
        assert check(stored, read_row=row_in("pending"))
    cancelled = op("day_off_request", row_id=REQUEST_ID, state="cancelled")
    assert check(cancelled, read_row=row_in("approved")) == ""
    assert check(op("day_off_request", note="x"), read_row=row_in("pending")) == ""
    event = op("day_off_event", "insert", from_state="pending", to_state="rejected")
    assert check(event) == f"a day-off decision (pending -> rejected) made by {who}"
    assert check(op("day_off_event", "insert", to_state="revoked")) == (
        f"a day-off decision (new -> revoked) made by {who}"
    )
    assert check(op("day_off_event", "insert", from_state="waitlisted", to_state="approved")) == ""
    assert check(op("day_off_event", "update", from_state="a", to_state="rejected")) == ""


def test_an_operators_escalation_steps_and_answers_are_refused_in_words():
    step = op("escalation_step", "insert", kind="advice", text="forged")
    assert unsigned(step) == "an escalation's steps are the team lead's; insert by an operator"
    assert signed(step) == "an escalation's steps are the team lead's; insert by operator jana"
    taken = op("escalation", "update", status="taken", taken_by=JANA)
    assert unsigned(taken) == (
        "taking and answering an escalation is the team lead's; changed by an operator"
    )
    assert signed(taken) == (
        "taking and answering an escalation is the team lead's; changed by operator jana"
    )


@pytest.mark.parametrize("check", [unsigned, signed], ids=["unsigned", "signed"])
def test_conversations_are_shared_and_the_chat_limit_is_the_leads(check):
    """Operators write conversations, their lines and their hand-overs; the limit of open
    chats is set on the account, by a team lead only."""
    for table in ("conversation", "conversation_message", "conversation_assignment"):
        assert check(op(table, "insert")) == ""
        assert check(op(table, "update", text="")) == ""
    assert check(op("operator", "update", JANA, JANA, chat_limit=9))


def test_the_chat_gateways_scope_is_a_services_and_covers_a_left_message():
    from cc_terminal.services.privacy.service_identity import parse_scope

    assert parse_scope(",".join(CHAT_GATEWAY_SCOPE)) == tuple(sorted(CHAT_GATEWAY_SCOPE))
    gateway = Grant(GATEWAY.operator_id, "gateway", SERVICE, frozenset(CHAT_GATEWAY_SCOPE))
    me = gateway.operator_id
    for table in CHAT_GATEWAY_SCOPE:
        assert signed(op(table, "insert", me), gateway) == ""
    assert signed(op("call", "insert", me), gateway) == (
        "call (insert) is outside the scope of service gateway"
    )


@pytest.mark.parametrize("check", [unsigned, signed], ids=["unsigned", "signed"])
def test_giving_out_a_callback_is_the_leads(check):
    """An operator's terminal stores the phone's calls and marks its callbacks done; whom a
    missed call's callback goes to is the team lead's (services/phone/callbacks.py)."""
    assert check(op("phone_call", "insert", call_key="k", callback_operator_id=None)) == ""
    assert check(op("phone_call", "update", ended_at="x", end_reason="abandoned")) == ""
    assert check(op("phone_call", "update", callback_done_at="x", callback_call_id="c")) == ""
    given = op("phone_call", "update", callback_operator_id=JANA)
    who = "an operator" if check is unsigned else "operator jana"
    assert check(given) == f"giving out a callback is the team lead's; update by {who}"
    forged = op("phone_call", "insert", callback_operator_id=JANA)
    assert check(forged) == f"giving out a callback is the team lead's; insert by {who}"
    taken_back = op("phone_call", "update", callback_operator_id=None)
    assert check(taken_back) == f"giving out a callback is the team lead's; update by {who}"


OWN_ROW = str(uuid.uuid4())


def stored_for(operator_id: str, table: str):
    """The stored row OWN_ROW of ``table`` belongs to ``operator_id``; no other row exists."""

    def read(entity: str, row_id: str) -> SimpleNamespace | None:
        if (entity, row_id) != (table, OWN_ROW):
            return None
        return SimpleNamespace(_mapping={"operator_id": uuid.UUID(operator_id)})

    return read


@pytest.mark.parametrize("table", ["work_session", "work_pause", "call_presence"])
@pytest.mark.parametrize("check", [unsigned, signed], ids=["unsigned", "signed"])
def test_an_operator_writes_only_her_own_time(check, table):
    """Sessions, pauses and typed calls are what her pay and the floor board read: her own
    terminal writes hers, never another's (a lead's deactivation ends them: lead's ops)."""
    who = "an operator" if check is unsigned else "operator jana"
    refused = f"{table} of another operator ({{kind}}) written by {who}"
    assert check(op(table, "insert", operator_id=JANA, started_at="x")) == ""
    assert check(op(table, "insert", operator_id=PETR)) == refused.format(kind="insert")
    assert check(op(table, "insert", started_at="x")) == refused.format(kind="insert")
    mine, petrs = stored_for(JANA, table), stored_for(PETR, table)
    ended = op(table, "update", row_id=OWN_ROW, ended_at="x")
    assert check(ended, read_row=mine) == ""
    assert check(ended, read_row=no_row) == ""
    assert check(ended, read_row=petrs) == refused.format(kind="update")
    moved = op(table, "update", row_id=OWN_ROW, operator_id=PETR)
    assert check(moved, read_row=mine) == refused.format(kind="update")
    deleted = op(table, "delete", row_id=OWN_ROW)
    assert check(deleted, read_row=mine) == refused.format(kind="delete")
    assert unsigned(op(table, "insert", operator_id=PETR), role=LEAD) == ""
    assert signed(op(table, "delete", actor=LEAD_ID), LEAD_GRANT) == ""
