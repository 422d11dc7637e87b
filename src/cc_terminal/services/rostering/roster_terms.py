"""What the roster solver is given and gives back: the week with its people, needs,
requests and pinned cells, and the solution; with the shifts and how a day is named."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from cc_terminal.formats import short_day
from cc_terminal.i18n import ngettext, pgettext
from cc_terminal.models.roster import Shift

SHIFTS = (Shift.EARLY, Shift.LATE)
BUDGET = 5.0  # deterministic seconds a solve; the bench's weeks prove optimal in 0.3 to 1.0


def shift_label(shift: str) -> str:
    """The shift's name in the current language ("late" is a shift here, not a delay)."""
    return pgettext("shift", "early") if shift == Shift.EARLY else pgettext("shift", "late")


def above_team(team: int) -> str:
    return ngettext("above the team's {n} head", "above the team's {n} heads", team).format(n=team)


def erlang_detail(busiest: float, agents: int, scheduled: int) -> str:
    calls = round(busiest)
    busy = ngettext(
        "{n} call in the busiest half hour", "{n} calls in the busiest half hour", calls
    ).format(n=calls)
    staff = ngettext("{n} agent, {s} scheduled", "{n} agents, {s} scheduled", agents)
    return f"{busy}: {staff.format(n=agents, s=scheduled)}"


def cell_word(shift: str) -> str:
    return shift_label(shift) if shift else pgettext("shift", "off")


def solution_line(found: int, cost: int) -> str:
    """The solver's progress: the solution found and the soft rules it breaks."""
    return ngettext(
        "Solution {n}: {cost} point of soft rules broken",
        "Solution {n}: {cost} points of soft rules broken",
        cost,
    ).format(n=found, cost=cost)


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    name: str
    contract_days: int
    weekends_off: int = 0  # over the last weeks, for fairness


@dataclass(frozen=True)
class Wish:
    """A day (``shift`` empty) or a shift off: approved ones are hard, the others soft."""

    request_id: uuid.UUID
    operator_id: uuid.UUID
    day: date
    shift: str
    priority: int = 2
    approved: bool = False
    waitlisted: bool = False


@dataclass(frozen=True)
class Week:
    days: tuple[date, ...]
    people: tuple[Person, ...]
    needs: dict[tuple[date, str], int]
    wishes: tuple[Wish, ...] = ()
    pinned: dict[tuple[uuid.UUID, date], str] = field(default_factory=dict)
    max_consecutive: int = 6
    seed: int = 7
    budget: float = BUDGET  # CP-SAT's deterministic seconds, the same on any machine


@dataclass(frozen=True)
class Solution:
    feasible: bool
    cells: dict[tuple[uuid.UUID, date], str]  # shift, or "" for off
    granted: frozenset[uuid.UUID]
    denied: dict[uuid.UUID, str]  # request -> why
    problems: tuple[str, ...]  # why the week cannot be rostered, when it cannot
    objective: float = 0.0
    optimal: bool = False


def day_name(day: date) -> str:
    return short_day(day)
