"""Who may make which change, checked again when another terminal's op arrives.

The services already refuse these; the check on ingest is for a terminal that was
tampered with, or runs an old version: its op is refused and reported, never applied.

On a signed floor the author is the account that signed the op's run (sync/verify.py)
and its role is what its certificate says (sync/trust.py), never what the op claims;
``signed_refusal`` rules by that signer and by the row. Ops from before the floor was
signed (format 1 segments) are ruled by ``refusal``, by the role the op's actor has here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cc_terminal.i18n import _
from cc_terminal.models.audit_kinds import AuditKind

if TYPE_CHECKING:
    from cc_terminal.sync.ops import Incoming
    from cc_terminal.sync.trust import Grant

LEAD = "lead"
SERVICE = "service"
# Tables only a team lead writes: setup, plans, decisions, scores.
LEAD_TABLES = frozenset(
    {
        "campaign",
        "disposition",
        "survey_question",
        "product",
        "reference_item",
        "field_team",
        "loan_product",
        "order_field",
        "lead_list",
        "staffing_need",
        "roster_rules",
        "roster",
        "roster_cell",
        "dispute_decision",
        "pay_plan",
        "pay_period",
        "pay_line",
        "qa_form",
        "qa_evaluation",
        "operator_complaint",
        "conflict_resolution",
        "security_policy",
        "retention_rule",
        "floor_setting",
        "account_key",
    }
)
# What the chat gateway's service account writes: the conversations (operators write them
# too: they are shared tables) and, for a message left when nobody is there, the customer
# found or made by the contact and the request to the topic's department; for a transcript
# the visitor asks for, its letter queued for the mail loop to send.
CHAT_GATEWAY_SCOPE = (
    "conversation",
    "conversation_message",
    "conversation_assignment",
    "customer",
    "customer_phone",
    "service_request",
    "request_event",
    "mail_letter",
    "mail_outgoing",
)
# What the mail loop's service account writes: the letters' conversations, the letters and
# their attachments, what it sent, where each mailbox's fetch stands, its sealing key.
MAIL_LOOP_SCOPE = (
    "conversation",
    "conversation_message",
    "conversation_assignment",
    "mailbox",
    "mail_key",
    "mail_letter",
    "mail_attachment",
    "mail_outgoing",
    # a reply refusing further offers (services/channels/mail_offers.py): the address's
    # refusal, and the customer's numbers objected to as Ctrl+D does
    "mail_objection",
    "objection",
    "customer",
    "lead",
)
# What the phone link's service account writes (the webhook, baresip's follower): the
# calls the phone reported.
PHONE_LINK_SCOPE = ("phone_call",)
# An operator's own account changes (password, failed sign-ins) are fine; these are not.
OPERATOR_ADMIN_FIELDS = frozenset(
    {"role", "active", "team_lead_id", "pay_plan_id", "department", "chat_limit", "phone_extension"}
)
# What an operator may change on a signed floor, on her own account only (her key stays:
# a new key is a lead's certificate).
OWN_FIELDS = frozenset({"password_hash", "signing_key", "must_change_password", "language"})
# Written with nobody signed in (a wrong password): the only ops a signed floor takes unsigned.
# A webhook's caller with a wrong token is as anonymous as a wrong password.
ANONYMOUS_KINDS = frozenset(
    {
        AuditKind.LOGIN_FAILED,
        AuditKind.LOGIN_THROTTLED,
        AuditKind.LOGIN_LOCKED,
        AuditKind.PHONE_TOKEN_REFUSED,
    }
)
# Rows of one operator's own time (pay and the floor board read them): written only by her
# own terminal's sign-in, pauses and typed calls; a team lead's deactivation ends them.
OWN_ROW_TABLES = frozenset({"work_session", "work_pause", "call_presence"})
DECISIONS = frozenset({"approved", "rejected", "waitlisted", "revoked"})
# A cancellation that frees room approves the waitlist by itself, on the operator's terminal.
SELF_DECIDED = ("waitlisted", "approved")

RowReader = Callable[[str, str], Any]


def refusal(op: Incoming, role: str | None, read_row: RowReader, has_lead: bool) -> str:
    """Why this op may not be applied, or an empty string. The floor's first team lead is
    made by ``cc-terminal init`` with no one signed in: accepted while there is no lead."""
    if op.entity == "audit_event" and op.kind != "insert":
        return _("audit events are append-only; an {kind} was sent").format(kind=op.kind)
    if role == LEAD:
        return ""
    first_lead = op.entity == "operator" and op.kind == "insert" and not has_lead
    if first_lead and op.actor in (None, op.row_id):  # made by init (as itself, signed)
        return ""
    who = _("an operator") if role else _("an unknown author")
    if op.entity in LEAD_TABLES:
        return _("{table} is the team lead's; written by {who}").format(table=op.entity, who=who)
    if op.entity == "operator" and (
        op.kind != "update" or OPERATOR_ADMIN_FIELDS & op.changes.keys() or op.row_id != op.actor
    ):
        return _("accounts are the team lead's; changed by {who}").format(who=who)
    return _shared_refusal(op, who, read_row)


def signed_refusal(op: Incoming, grant: Grant | str, read_row: RowReader) -> str:
    """Why a signed floor refuses this op; ``grant`` is its signer's, or why it has none."""
    if isinstance(grant, str):
        if _anonymous(op):
            return ""
        return _("not signed by an account of the floor: {why}").format(why=grant)
    if op.actor != grant.operator_id:
        named = op.actor or _("nobody")
        return _("made in the name of {named}, signed by {signer}").format(
            named=named, signer=grant.username
        )
    if op.entity in ("audit_event", "account_key") and op.kind != "insert":
        return _("{table} is append-only; an {kind} was sent").format(table=op.entity, kind=op.kind)
    if grant.role == LEAD:
        return ""
    if grant.role == SERVICE:
        return _service_refusal(op, grant)
    who = _("operator {name}").format(name=grant.username)
    if op.entity in LEAD_TABLES:
        return _("{table} is the team lead's; written by {who}").format(table=op.entity, who=who)
    if op.entity == "operator":
        return _own_account_refusal(op, grant.operator_id, who)
    if op.entity == "audit_event" and str(op.changes.get("actor_id")) != grant.operator_id:
        return _("an audit event in another's name, written by {who}").format(who=who)
    return _shared_refusal(op, who, read_row)


def _anonymous(op: Incoming) -> bool:
    return (
        op.entity == "audit_event"
        and op.kind == "insert"
        and op.actor is None
        and op.changes.get("kind") in ANONYMOUS_KINDS
    )


def _own_account_refusal(op: Incoming, signer: str, who: str) -> str:
    if op.kind != "update" or op.row_id != signer:
        return _("another account ({kind} of {id}) changed by {who}").format(
            kind=op.kind, id=op.row_id, who=who
        )
    if op.changes.keys() - OWN_FIELDS:
        return _("account fields only a team lead sets, changed by {who}").format(who=who)
    if op.changes.get("must_change_password", False) is not False:
        return _("must_change_password set by {who}").format(who=who)
    return ""


def _service_refusal(op: Incoming, grant: Grant) -> str:
    if op.entity not in grant.scope or op.kind == "delete":
        return _("{table} ({kind}) is outside the scope of service {service}").format(
            table=op.entity, kind=op.kind, service=grant.username
        )
    return ""


def _shared_refusal(op: Incoming, who: str, read_row: RowReader) -> str:
    """The rules for operators that hold with or without signatures."""
    if op.entity == "lead":
        return _lead_refusal(op, who)
    if op.entity in OWN_ROW_TABLES:
        return _own_row_refusal(op, who, read_row)
    if op.entity == "day_off_request" and "state" in op.changes:
        row = read_row(op.entity, op.row_id) if op.kind == "update" else None
        before = row._mapping["state"] if row is not None else ""
        return _decision_refusal(before, str(op.changes["state"]), who)
    if op.entity == "escalation_step":
        return _escalation_step_refusal(op, who)
    if op.entity == "escalation" and op.kind == "update" and op.changes != {"notes": ""}:
        return _("taking and answering an escalation is the team lead's; changed by {who}").format(
            who=who
        )
    if op.entity == "phone_call" and _gives_a_callback(op):
        return _("giving out a callback is the team lead's; {kind} by {who}").format(
            kind=op.kind, who=who
        )
    if op.entity == "day_off_event" and op.kind == "insert":
        return _decision_refusal(
            str(op.changes.get("from_state", "")), str(op.changes.get("to_state", "")), who
        )
    return ""


def _gives_a_callback(op: Incoming) -> bool:
    """A missed call's callback given to someone (or taken back): a team lead's write. An
    operator's terminal stores the phone's events and marks its own callbacks done."""
    if op.kind == "update":
        return "callback_operator_id" in op.changes
    return op.changes.get("callback_operator_id") is not None


def _own_row_refusal(op: Incoming, who: str, read_row: RowReader) -> str:
    """Her own time only: a session, pause or typed call in another's name is refused."""
    refused = _("{table} of another operator ({kind}) written by {who}").format(
        table=op.entity, kind=op.kind, who=who
    )
    if op.kind == "delete":
        return refused
    named = op.kind == "insert" or "operator_id" in op.changes
    if named and str(op.changes.get("operator_id")) != op.actor:
        return refused
    if op.kind == "update":
        row = read_row(op.entity, op.row_id)
        if row is not None and str(row._mapping["operator_id"]) != op.actor:
            return refused
    return ""


def _escalation_step_refusal(op: Incoming, who: str) -> str:
    """An operator writes only that they read the answer; retention may blank a text."""
    if op.kind == "insert" and op.changes.get("kind") == "seen":
        return ""
    if op.kind == "update" and op.changes == {"text": ""}:
        return ""
    return _("an escalation's steps are the team lead's; {kind} by {who}").format(
        kind=op.kind, who=who
    )


def _lead_refusal(op: Incoming, who: str) -> str:
    if op.kind == "insert" or op.kind == "delete":
        return _("leads are loaded by the team lead; {kind} by {who}").format(kind=op.kind, who=who)
    if "assignment_epoch" in op.changes and "assigned_to" not in op.changes:
        return _("a lead's assignment epoch moved by {who}").format(who=who)
    if "assigned_to" in op.changes and op.changes["assigned_to"] not in (None, op.actor):
        return _("a lead reassigned to someone else by {who}").format(who=who)
    return ""


def _decision_refusal(before: str, after: str, who: str) -> str:
    if after not in DECISIONS or (before, after) == SELF_DECIDED:
        return ""
    return _("a day-off decision ({before} -> {after}) made by {who}").format(
        before=before or "new", after=after, who=who
    )
