"""What the roster solver is given for a week, read from the store: the team with their
contract days and fair share of weekends, their requests, the needs and the cells pinned
by hand; and the stored week's roster and its cells."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models.roster import DayOffRequest, RequestState, Roster, RosterCell
from cc_terminal.services.rostering.days_off import FAIRNESS_WEEKS
from cc_terminal.services.rostering.planning_reads import fairness_of, needs_of, rules_of, team_of
from cc_terminal.services.rostering.roster_terms import Person, Week, Wish

WISHED = (RequestState.APPROVED, RequestState.SUBMITTED, RequestState.WAITLISTED)


def week_of(session: Session, week_start: date, budget: float) -> Week:
    rules = rules_of(session)
    days = tuple(week_start + timedelta(days=n) for n in range(7))
    people = _people(session, week_start, rules.contract_days)
    wishes = _wishes(session, days)
    roster = roster_of(session, week_start, create=False)
    pinned = {}
    if roster is not None:
        pinned = {(c.operator_id, c.day): c.shift for c in cells_of(session, roster.id) if c.pinned}
    return Week(
        days,
        people,
        needs_of(session, week_start),
        wishes,
        pinned,
        rules.max_consecutive_days,
        seed=7,
        budget=budget,
    )


def _people(session: Session, week_start: date, contract_days: int) -> tuple[Person, ...]:
    """The team, each with the weekends off they had over the last weeks."""
    team = team_of(session)
    fair = fairness_of(session, week_start - timedelta(weeks=FAIRNESS_WEEKS), week_start)
    return tuple(
        Person(
            row.id,
            row.full_name,
            contract_days,
            fair[row.id].weekends_off if row.id in fair else 0,
        )
        for row in team
    )


def _wishes(session: Session, days: tuple[date, ...]) -> tuple[Wish, ...]:
    """The week's approved, submitted and waitlisted requests."""
    requests = session.scalars(
        select(DayOffRequest).where(
            col(DayOffRequest.day) >= days[0],
            col(DayOffRequest.day) <= days[-1],
            col(DayOffRequest.state).in_([state.value for state in WISHED]),
        )
    )
    return tuple(
        Wish(
            row.id,
            row.operator_id,
            row.day,
            row.shift,
            row.priority,
            approved=row.state == RequestState.APPROVED,
            waitlisted=row.state == RequestState.WAITLISTED,
        )
        for row in requests
    )


def roster_of(session: Session, week_start: date, *, create: bool) -> Roster | None:
    """The week's roster; a new one when there is none and ``create``."""
    roster = session.scalars(select(Roster).where(col(Roster.week_start) == week_start)).first()
    if roster is None and create:
        roster = Roster(week_start=week_start)
        session.add(roster)
        session.flush()
    return roster


def cells_of(session: Session, roster_id: uuid.UUID) -> list[RosterCell]:
    return list(session.scalars(select(RosterCell).where(col(RosterCell.roster_id) == roster_id)))
