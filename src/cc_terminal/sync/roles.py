"""Writes that belong to a team lead, checked again when another terminal's op arrives.

The services already refuse these to operators; the check on ingest is for a terminal
that was tampered with, or runs an old version: its op is refused and reported, never
applied, whatever its signature says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cc_terminal.sync.ops import Incoming

LEAD = "lead"
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
    }
)
# An operator's own account changes (password, failed sign-ins) are fine; these are not.
OPERATOR_ADMIN_FIELDS = frozenset({"role", "active", "team_lead_id", "pay_plan_id", "department"})
DECISIONS = frozenset({"approved", "rejected", "waitlisted", "revoked"})
# A cancellation that frees room approves the waitlist by itself, on the operator's terminal.
SELF_DECIDED = ("waitlisted", "approved")

RowReader = Callable[[str, str], Any]


def refusal(op: Incoming, role: str | None, read_row: RowReader, has_lead: bool) -> str:
    """Why this op may not be applied, or an empty string. The floor's first team lead is
    made by ``cc-terminal init`` with no one signed in: accepted while there is no lead."""
    if op.entity == "audit_event" and op.kind != "insert":
        return f"audit events are append-only; an {op.kind} was sent"
    if role == LEAD:
        return ""
    if op.entity == "operator" and op.kind == "insert" and op.actor is None and not has_lead:
        return ""
    who = "an operator" if role else "an unknown author"
    if op.entity in LEAD_TABLES:
        return f"{op.entity} is the team lead's; written by {who}"
    if op.entity == "operator" and (
        op.kind != "update" or OPERATOR_ADMIN_FIELDS & op.changes.keys()
    ):
        return f"accounts are the team lead's; changed by {who}"
    if op.entity == "lead":
        return _lead_refusal(op, who)
    if op.entity == "day_off_request" and "state" in op.changes:
        row = read_row(op.entity, op.row_id) if op.kind == "update" else None
        before = row._mapping["state"] if row is not None else ""
        return _decision_refusal(before, str(op.changes["state"]), who)
    if op.entity == "day_off_event" and op.kind == "insert":
        return _decision_refusal(
            str(op.changes.get("from_state", "")), str(op.changes.get("to_state", "")), who
        )
    return ""


def _lead_refusal(op: Incoming, who: str) -> str:
    if op.kind == "insert" or op.kind == "delete":
        return f"leads are loaded by the team lead; {op.kind} by {who}"
    if "assignment_epoch" in op.changes and "assigned_to" not in op.changes:
        return f"a lead's assignment epoch moved by {who}"
    owner = op.changes.get("assigned_to", op.actor)
    if "assigned_to" in op.changes and owner not in (None, op.actor):
        return f"a lead reassigned to someone else by {who}"
    return ""


def _decision_refusal(before: str, after: str, who: str) -> str:
    if after not in DECISIONS or (before, after) == SELF_DECIDED:
        return ""
    return f"a day-off decision ({before or 'new'} -> {after}) made by {who}"
