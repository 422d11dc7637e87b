"""The transitions of a day-off request, each written with its event (who, when, why),
and what they do beyond the request: an approved change takes the day off the published
week, and a cancellation that frees room approves the waitlisted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models.roster import DayOffEvent, DayOffRequest, RequestState, Roster, RosterCell
from cc_terminal.services.common.views import Actor
from cc_terminal.services.rostering.planning_reads import coverage_of, monday_of, shifts_of

S = RequestState


def apply_to_published(session: Session, request: DayOffRequest) -> None:
    """An approved change request takes the day (or the shift) off the published week; the
    roster's cover rows show what that leaves."""
    roster = session.scalars(
        select(Roster).where(col(Roster.week_start) == monday_of(request.day))
    ).first()
    if roster is None:
        return
    cell = session.scalars(
        select(RosterCell).where(
            col(RosterCell.roster_id) == roster.id,
            col(RosterCell.operator_id) == request.operator_id,
            col(RosterCell.day) == request.day,
        )
    ).first()
    if cell is not None and cell.shift in shifts_of(request.shift):
        cell.shift, cell.pinned = "", True
        cell.version += 1


def published(session: Session, week_start: date) -> bool:
    """Whether the week's roster is published (a request for it is then a change)."""
    roster = session.scalars(select(Roster).where(col(Roster.week_start) == week_start)).first()
    return roster is not None and roster.state == "published"


def move(
    session: Session,
    request: DayOffRequest,
    to: RequestState,
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    """The request's next state, with its event."""
    event(session, request, request.state, to, actor, now, reason)
    request.state = to.value
    request.reason = reason
    request.updated_at = now
    request.version += 1


def event(
    session: Session,
    request: DayOffRequest,
    from_state: str,
    to: RequestState,
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    session.add(
        DayOffEvent(
            request_id=request.id,
            from_state=from_state,
            to_state=to.value,
            reason=reason,
            actor_id=actor.operator_id,
            at=now,
        )
    )


def approve_waitlisted(session: Session, day: date, actor: Actor, now: datetime) -> None:
    """A cancellation freed room on ``day``: its waitlisted requests, by priority and then
    first come, are approved while every shift keeps its heads."""
    waiting = session.scalars(
        select(DayOffRequest)
        .where(col(DayOffRequest.day) == day, col(DayOffRequest.state) == S.WAITLISTED.value)
        .order_by(col(DayOffRequest.priority), col(DayOffRequest.created_at))
    ).all()
    for row in waiting:
        coverage = coverage_of(session, monday_of(day), {row.id})
        if all(coverage.left(day, shift) >= 0 for shift in shifts_of(row.shift)):
            move(session, row, S.APPROVED, actor, now, _("a cancellation freed room"))
            session.flush()
