"""An escalation's life after it was raised: the steps a lead adds (taken, a note, advice
handed back to the operator, the outcome) and the raising operator reading the answer.
Steps are append-only rows; the escalation's status follows the latest of them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import EscalationStatus, EscalationStep, Operator, StepKind

# How an escalation ends, in the order a lead is offered them (a digit picks one).
OUTCOMES = ("solved", "credit", "callback", "complaint", "refused", "no_action")

# What the raising operator is told about: the lead's answers.
ANSWERS = frozenset({StepKind.ADVICE.value, StepKind.RESOLVED.value})

# The statuses a lead's step may be added in, and the status it leaves.
WORKING = frozenset({EscalationStatus.TAKEN.value, EscalationStatus.RETURNED.value})
NEXT_STATUS: dict[StepKind, EscalationStatus] = {
    StepKind.ADVICE: EscalationStatus.RETURNED,
    StepKind.RESOLVED: EscalationStatus.RESOLVED,
}


@dataclass(frozen=True)
class StepView:
    kind: str
    outcome: str
    text: str
    actor_name: str
    at: datetime


def step_refusal(status: str) -> str:
    """Why a lead may not add a note, advice or an outcome now, or an empty string."""
    if status == EscalationStatus.OPEN:
        return _("Take the escalation first.")
    if status == EscalationStatus.RESOLVED:
        return _("This escalation is resolved already.")
    return ""


def latest_answer(steps: Sequence[StepView]) -> StepView | None:
    answers = [step for step in steps if step.kind in ANSWERS]
    return answers[-1] if answers else None


def unread(steps: Sequence[StepView]) -> bool:
    """An answer the raising operator has not read yet (no 'seen' step after it)."""
    for step in reversed(steps):
        if step.kind == StepKind.SEEN:
            return False
        if step.kind in ANSWERS:
            return True
    return False


def read_steps(
    session: Session, escalation_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[StepView, ...]]:
    """Each escalation's steps, oldest first."""
    ids = list(escalation_ids)
    found: dict[uuid.UUID, list[StepView]] = defaultdict(list)
    if not ids:
        return {}
    query = (
        select(EscalationStep, col(Operator.full_name))
        .join(Operator, col(Operator.id) == col(EscalationStep.actor_id))
        .where(col(EscalationStep.escalation_id).in_(ids))
        .order_by(col(EscalationStep.seq), col(EscalationStep.at))
    )
    for step, name in session.execute(query):
        found[step.escalation_id].append(
            StepView(step.kind, step.outcome, step.text, name, step.at)
        )
    return {escalation_id: tuple(steps) for escalation_id, steps in found.items()}


def next_seq(session: Session, escalation_id: uuid.UUID) -> int:
    query = select(func.count()).where(col(EscalationStep.escalation_id) == escalation_id)
    return int(session.execute(query).scalar_one()) + 1


def new_step(
    session: Session,
    escalation_id: uuid.UUID,
    kind: StepKind,
    actor_id: uuid.UUID,
    at: datetime,
    *,
    text: str = "",
    outcome: str = "",
) -> EscalationStep:
    return EscalationStep(
        escalation_id=escalation_id,
        seq=next_seq(session, escalation_id),
        kind=kind.value,
        outcome=outcome,
        text=text,
        actor_id=actor_id,
        at=at,
    )
