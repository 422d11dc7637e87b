"""Escalations: an operator asks the supervisor to step in; every signed-in lead sees the
open ones (the header badge polls ``open_count``) and one of them takes it."""

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
from cc_terminal.models import Customer, Escalation, EscalationStatus, Operator
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import ConflictError, NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

RECENTLY_TAKEN = timedelta(hours=12)


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
            escalation = session.get(Escalation, escalation_id)
            if escalation is None:
                raise NotFound(_("No such escalation."))
            if escalation.status != EscalationStatus.OPEN:
                taker = session.get(Operator, escalation.taken_by)
                raise ConflictError(
                    _("Already taken by {name}.").format(name=taker.full_name if taker else "?")
                )
            escalation.status = EscalationStatus.TAKEN
            escalation.taken_by = actor.operator_id
            escalation.taken_at = self.clock()
            session.flush()
            return self._load(session, escalation.id)

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


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead takes escalations."))
