"""Escalations: an operator asks the supervisor to step in; every signed-in lead sees the
open ones (the header badge polls ``open_count``) and one of them takes it. Then a lead adds
notes, hands it back to the operator with advice, or resolves it with an outcome; the
raising operator's header polls ``answers_waiting`` until they read the answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Customer, Escalation, EscalationStatus, Operator, StepKind
from cc_terminal.services.calls.escalation_steps import (
    NEXT_STATUS,
    OUTCOMES,
    StepView,
    latest_answer,
    new_step,
    read_steps,
    step_refusal,
    unread,
)
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import ConflictError, NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

RECENTLY_TAKEN = timedelta(hours=12)
# How long an operator's own escalations stay on their F7 list.
RECENTLY_RAISED = timedelta(days=7)


@dataclass(frozen=True)
class EscalationDraft:
    call_id: uuid.UUID
    customer_id: uuid.UUID
    call_started_at: datetime
    reason: str
    notes: str


@dataclass(frozen=True)
class EscalationView:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    operator_name: str
    reason: str
    notes: str
    elapsed_seconds: int
    raised_at: datetime
    status: str
    taken_by: str
    taken_at: datetime | None


@dataclass(frozen=True)
class EscalationDetail:
    """An escalation with its steps so far, oldest first."""

    escalation: EscalationView
    steps: tuple[StepView, ...]

    @property
    def answer(self) -> StepView | None:
        return latest_answer(self.steps)

    @property
    def unread(self) -> bool:
        return unread(self.steps)


@refusals_audited
class EscalationService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def raise_(self, actor: Actor, draft: EscalationDraft) -> EscalationView:
        """Ask for the supervisor, with the call's context as it stands now."""
        now = self.clock()
        form = FormErrors()
        notes = form.text("notes", draft.notes, limits.NOTES)
        if draft.call_started_at.tzinfo is None or draft.call_started_at > now:
            form.add("times", _("The call's start time is wrong."))
        with self.db.write(actor.operator_id) as session:
            form.customer_exists(session, draft.customer_id)
            form.raise_if_any()
            already = session.scalars(
                select(Escalation).where(
                    col(Escalation.call_id) == draft.call_id,
                    col(Escalation.status) == EscalationStatus.OPEN,
                )
            ).first()
            if already is not None:
                raise ConflictError(_("This call is already waiting for a supervisor."))
            escalation = Escalation(
                call_id=draft.call_id,
                customer_id=draft.customer_id,
                operator_id=actor.operator_id,
                reason=draft.reason,
                notes=notes,
                call_started_at=draft.call_started_at,
                elapsed_seconds=max(0, round((now - draft.call_started_at).total_seconds())),
                raised_at=now,
            )
            session.add(escalation)
            session.flush()
            return self._load(session, escalation.id)

    def open_count(self) -> int:
        query = select(func.count()).where(col(Escalation.status) == EscalationStatus.OPEN)
        with self.db.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def queue(self, actor: Actor) -> tuple[EscalationView, ...]:
        """Open escalations, oldest first, then the ones taken in the last hours."""
        _require_lead(actor)
        since = self.clock() - RECENTLY_TAKEN
        query = _SELECT.where(
            or_(
                col(Escalation.status) == EscalationStatus.OPEN,
                col(Escalation.taken_at) >= since,
            )
        ).order_by(col(Escalation.status), col(Escalation.raised_at))
        with self.db.read() as session:
            return tuple(_view(row) for row in session.execute(query))

    def take(self, actor: Actor, escalation_id: uuid.UUID) -> EscalationView:
        _require_lead(actor)
        with self.db.write(actor.operator_id) as session:
            escalation = _locked(session, escalation_id)
            if escalation.status != EscalationStatus.OPEN:
                taker = session.get(Operator, escalation.taken_by)
                raise ConflictError(
                    _("Already taken by {name}.").format(name=taker.full_name if taker else "?")
                )
            escalation.status = EscalationStatus.TAKEN
            escalation.taken_by = actor.operator_id
            escalation.taken_at = self.clock()
            session.add(
                new_step(session, escalation.id, StepKind.TAKEN, actor.operator_id, self.clock())
            )
            session.flush()
            return self._load(session, escalation.id)

    def detail(self, actor: Actor, escalation_id: uuid.UUID) -> EscalationDetail:
        """The escalation and its steps: for the team leads and the operator who raised it."""
        with self.db.read() as session:
            escalation = session.get(Escalation, escalation_id)
            if escalation is None:
                raise NotFound(_("No such escalation."))
            _require_lead_or_raiser(actor, escalation)
            return self._detail(session, escalation_id)

    def add_note(self, actor: Actor, escalation_id: uuid.UUID, text: str) -> EscalationDetail:
        """A lead's note on what was done; the status stays."""
        return self._step(actor, escalation_id, StepKind.NOTE, text=text)

    def hand_back(self, actor: Actor, escalation_id: uuid.UUID, advice: str) -> EscalationDetail:
        """Back to the operator with the lead's advice: the operator is told."""
        return self._step(actor, escalation_id, StepKind.ADVICE, text=advice)

    def resolve(
        self, actor: Actor, escalation_id: uuid.UUID, outcome: str, note: str = ""
    ) -> EscalationDetail:
        """Done, with an outcome from OUTCOMES and a note: the operator is told."""
        return self._step(actor, escalation_id, StepKind.RESOLVED, text=note, outcome=outcome)

    def mine(self, actor: Actor) -> tuple[EscalationDetail, ...]:
        """The escalations this person raised lately, newest first, with their steps."""
        since = self.clock() - RECENTLY_RAISED
        query = _SELECT.where(
            col(Escalation.operator_id) == actor.operator_id, col(Escalation.raised_at) >= since
        ).order_by(col(Escalation.raised_at).desc())
        with self.db.read() as session:
            views = [_view(row) for row in session.execute(query)]
            steps = read_steps(session, (view.id for view in views))
        return tuple(EscalationDetail(view, steps.get(view.id, ())) for view in views)

    def answers_waiting(self, actor: Actor) -> int:
        """How many of this person's escalations have an answer they have not read."""
        return sum(1 for detail in self.mine(actor) if detail.unread)

    def mark_seen(self, actor: Actor, escalation_id: uuid.UUID) -> EscalationDetail:
        """The raising operator read the answer: their notice goes away."""
        with self.db.write(actor.operator_id) as session:
            escalation = _locked(session, escalation_id)
            if escalation.operator_id != actor.operator_id:
                raise PermissionDenied(_("Only the operator who raised it marks it read."))
            if unread(read_steps(session, [escalation_id]).get(escalation_id, ())):
                seen = new_step(
                    session, escalation_id, StepKind.SEEN, actor.operator_id, self.clock()
                )
                session.add(seen)
                session.flush()
            return self._detail(session, escalation_id)

    def _step(
        self,
        actor: Actor,
        escalation_id: uuid.UUID,
        kind: StepKind,
        *,
        text: str,
        outcome: str = "",
    ) -> EscalationDetail:
        _require_lead(actor, _("Only a team lead answers escalations."))
        form = FormErrors()
        text = form.text("text", text, limits.NOTES, required=kind is not StepKind.RESOLVED)
        if kind is StepKind.RESOLVED and outcome not in OUTCOMES:
            form.add("outcome", _("Pick an outcome."))
        form.raise_if_any()
        with self.db.write(actor.operator_id) as session:
            escalation = _locked(session, escalation_id)
            refused = step_refusal(escalation.status)
            if refused:
                raise ConflictError(refused)
            step = new_step(
                session,
                escalation_id,
                kind,
                actor.operator_id,
                self.clock(),
                text=text,
                outcome=outcome,
            )
            session.add(step)
            if kind in NEXT_STATUS:
                escalation.status = NEXT_STATUS[kind].value
            session.flush()
            return self._detail(session, escalation_id)

    def _detail(self, session: Session, escalation_id: uuid.UUID) -> EscalationDetail:
        steps = read_steps(session, [escalation_id]).get(escalation_id, ())
        return EscalationDetail(self._load(session, escalation_id), steps)

    @staticmethod
    def _load(session: Session, escalation_id: uuid.UUID) -> EscalationView:
        return _view(session.execute(_SELECT.where(col(Escalation.id) == escalation_id)).one())


_operator = aliased(Operator)
_taker = aliased(Operator)
_SELECT = (
    select(
        Escalation,
        col(Customer.full_name),
        col(_operator.full_name),
        col(_taker.full_name),
    )
    .join(Customer, col(Customer.id) == col(Escalation.customer_id))
    .join(_operator, col(_operator.id) == col(Escalation.operator_id))
    .outerjoin(_taker, col(_taker.id) == col(Escalation.taken_by))
)


def _view(row: Any) -> EscalationView:
    escalation, customer, operator, taker = row
    return EscalationView(
        id=escalation.id,
        customer_id=escalation.customer_id,
        customer_name=customer,
        operator_name=operator,
        reason=escalation.reason,
        notes=escalation.notes,
        elapsed_seconds=escalation.elapsed_seconds,
        raised_at=escalation.raised_at,
        status=escalation.status,
        taken_by=taker or "",
        taken_at=escalation.taken_at,
    )


def _locked(session: Session, escalation_id: uuid.UUID) -> Escalation:
    """The escalation, locked for this transaction on PostgreSQL (SQLite's write
    transaction holds the whole file already): two leads never both move it."""
    escalation = session.get(Escalation, escalation_id, with_for_update=True)
    if escalation is None:
        raise NotFound(_("No such escalation."))
    return escalation


def _require_lead(actor: Actor, message: str = "") -> None:
    if not actor.is_lead:
        raise PermissionDenied(message or _("Only a team lead takes escalations."))


def _require_lead_or_raiser(actor: Actor, escalation: Escalation) -> None:
    if not actor.is_lead and escalation.operator_id != actor.operator_id:
        raise PermissionDenied(_("Only a team lead or the operator who raised it reads it."))
