"""Paid time from the records: a session from sign-in to sign-out, and the pauses in it
with their reasons. A session left open by a terminal that died is closed at the last
thing it recorded when its operator next signs in.

Signing in and ending a pause make the operator present again: ``on_present`` (set by the
composition root: the chats' round-robin) runs after that write, in its own; its failure
is logged, never the sign-in's (the next chat started or closed assigns again)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import Call, PauseReason, WorkPause, WorkSession
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import add_event
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

log = logging.getLogger(__name__)

PAUSE_LABELS = {
    PauseReason.BREAK: N_("Break"),
    PauseReason.LUNCH: N_("Lunch (unpaid)"),
    PauseReason.TRAINING: N_("Training"),
    PauseReason.TECHNICAL: N_("Technical problem"),
}


@dataclass(frozen=True)
class Paused:
    reason: PauseReason
    since: datetime


class WorkClock:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.on_present: Callable[[Actor], object] | None = None

    def begin(self, actor: Actor) -> None:
        """Sign-in: close whatever a lost terminal left open, then start a session."""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            for left in _open_sessions(session, actor.operator_id):
                _close(session, left, _last_trace(session, left, now))
            session.add(WorkSession(operator_id=actor.operator_id, started_at=now))
        self._present(actor)

    def end(self, actor: Actor) -> None:
        """Sign-out (or quitting while signed in): the session closes, audited."""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            for left in _open_sessions(session, actor.operator_id):
                _close(session, left, now)
            add_event(session, actor.operator_id, AuditKind.LOGOUT, at=now)

    def pause(self, actor: Actor, reason: PauseReason) -> Paused:
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            current = _current(session, actor.operator_id, now)
            if _open_pause(session, current.id) is not None:
                raise ValidationFailed({"reason": _("Already paused; resume first.")})
            session.add(
                WorkPause(
                    session_id=current.id,
                    operator_id=actor.operator_id,
                    reason=reason.value,
                    started_at=now,
                )
            )
        return Paused(reason, now)

    def resume(self, actor: Actor) -> None:
        now = self.clock()
        ended = False
        with self.db.write(actor.operator_id) as session:
            for left in _open_sessions(session, actor.operator_id):
                pause = _open_pause(session, left.id)
                if pause is not None:
                    pause.ended_at = now
                    ended = True
        if ended:
            self._present(actor)

    def _present(self, actor: Actor) -> None:
        if self.on_present is None:
            return
        try:
            self.on_present(actor)
        except Exception:  # any failure of the hook's own write: the sign-in stands
            log.warning("chats not assigned on %s's return", actor.operator_id, exc_info=True)

    def paused(self, actor: Actor) -> Paused | None:
        with self.db.read() as session:
            for left in _open_sessions(session, actor.operator_id):
                pause = _open_pause(session, left.id)
                if pause is not None:
                    return Paused(PauseReason(pause.reason), pause.started_at)
        return None


def end_open(session: Session, operator_id: uuid.UUID, at: datetime) -> int:
    """A leaver's sessions end now, in the deactivation's own write (a pause with them)."""
    left = _open_sessions(session, operator_id)
    for row in left:
        _close(session, row, at)
    return len(left)


def _open_sessions(session: Session, operator_id: uuid.UUID) -> list[WorkSession]:
    query = select(WorkSession).where(
        col(WorkSession.operator_id) == operator_id, col(WorkSession.ended_at).is_(None)
    )
    return list(session.scalars(query))


def _current(session: Session, operator_id: uuid.UUID, now: datetime) -> WorkSession:
    sessions = _open_sessions(session, operator_id)
    if sessions:
        return max(sessions, key=lambda row: row.started_at)
    row = WorkSession(operator_id=operator_id, started_at=now)
    session.add(row)
    session.flush()
    return row


def _open_pause(session: Session, session_id: uuid.UUID) -> WorkPause | None:
    query = select(WorkPause).where(
        col(WorkPause.session_id) == session_id, col(WorkPause.ended_at).is_(None)
    )
    return session.scalars(query).first()


def _close(session: Session, row: WorkSession, at: datetime) -> None:
    pause = _open_pause(session, row.id)
    if pause is not None:
        pause.ended_at = max(at, pause.started_at)
    row.ended_at = max(at, row.started_at)


def _last_trace(session: Session, row: WorkSession, now: datetime) -> datetime:
    """The last moment the session left a record: its last call or pause, or its start."""
    last_call = session.scalar(
        select(func.max(col(Call.ended_at))).where(
            col(Call.operator_id) == row.operator_id,
            col(Call.started_at) >= row.started_at,
            col(Call.started_at) < now,
        )
    )
    last_pause = session.scalar(
        select(func.max(col(WorkPause.started_at))).where(col(WorkPause.session_id) == row.id)
    )
    traces = [row.started_at] + [t for t in (last_call, last_pause) if t is not None]
    return max(_aware(t) for t in traces)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
