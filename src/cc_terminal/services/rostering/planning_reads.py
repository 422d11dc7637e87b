"""What days off and the roster both read: the planning rules, the team, the heads each
shift needs and could have, and each operator's fair share of weekends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import Operator, Role
from cc_terminal.models.roster import (
    DayOffRequest,
    RequestState,
    RosterRules,
    Shift,
    StaffingNeed,
)

S = RequestState
ACTIVE = frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.WAITLISTED})


@dataclass(frozen=True)
class Fairness:
    weekends_off: int
    denied: int


@dataclass(frozen=True)
class Coverage:
    """Per day and shift: the heads who could work it, and the fewest it needs."""

    heads: dict[tuple[date, str], int]
    needs: dict[tuple[date, str], int]

    def left(self, day: date, shift: str) -> int:
        return self.heads.get((day, shift), 0) - self.needs.get((day, shift), 0)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def shifts_of(shift: str) -> tuple[str, ...]:
    return (shift,) if shift else (Shift.EARLY.value, Shift.LATE.value)


def rules_of(session: Session) -> RosterRules:
    rules = session.get(RosterRules, 1)
    return rules if rules is not None else RosterRules(updated_at=datetime.now().astimezone())


def fairness_of(session: Session, since: date, until: date) -> dict[uuid.UUID, Fairness]:
    rows = session.scalars(
        select(DayOffRequest).where(
            col(DayOffRequest.day) >= since,
            col(DayOffRequest.day) < until,
            col(DayOffRequest.state).in_([S.APPROVED.value, S.REJECTED.value]),
        )
    ).all()
    off: dict[uuid.UUID, set[date]] = {}
    denied: dict[uuid.UUID, int] = {}
    for row in rows:
        if row.state == S.REJECTED:
            denied[row.operator_id] = denied.get(row.operator_id, 0) + 1
        elif not row.shift:
            off.setdefault(row.operator_id, set()).add(row.day)
    result = {}
    for operator in set(off) | set(denied):
        days = off.get(operator, set())
        weekends = sum(1 for day in days if day.weekday() == 5 and day + timedelta(days=1) in days)
        result[operator] = Fairness(weekends, denied.get(operator, 0))
    return result


def team_of(session: Session) -> list[Operator]:
    return list(
        session.scalars(
            select(Operator)
            .where(col(Operator.active), col(Operator.role) == Role.OPERATOR.value)
            .order_by(col(Operator.full_name))
        )
    )


def team_names(session: Session) -> dict[uuid.UUID, str]:
    return {row.id: row.full_name for row in team_of(session)}


def needs_of(session: Session, week_start: date) -> dict[tuple[date, str], int]:
    rules = rules_of(session)
    days = [week_start + timedelta(days=n) for n in range(7)]
    needs = {(day, shift.value): rules.floor_heads for day in days for shift in Shift}
    rows = session.scalars(
        select(StaffingNeed).where(
            col(StaffingNeed.day) >= week_start, col(StaffingNeed.day) < days[-1] + timedelta(1)
        )
    )
    for row in rows:
        needs[(row.day, row.shift)] = row.heads
    return needs


def coverage_of(session: Session, week_start: date, extra: set[uuid.UUID]) -> Coverage:
    team = len(team_of(session))
    heads = {key: team for key in needs_of(session, week_start)}
    rows = session.scalars(
        select(DayOffRequest).where(
            col(DayOffRequest.day) >= week_start,
            col(DayOffRequest.day) < week_start + timedelta(days=7),
        )
    )
    for row in rows:
        if row.state == S.APPROVED or (row.id in extra and row.state in ACTIVE):
            for shift in shifts_of(row.shift):
                heads[(row.day, shift)] -= 1
    return Coverage(heads, needs_of(session, week_start))
