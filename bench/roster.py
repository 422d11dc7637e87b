"""The weekly roster at the size of a big team: 60 operators, two shifts, 40 pending
requests (a third of them for a weekend day) and 6 approved, needs of 20 heads a weekday
shift and 12 a weekend one. CP-SAT's solve with every denial explained, beside a greedy
assignment of the same requests in the same run: time, and requests granted."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from cc_terminal.services.rostering.roster_solver import greedy, solve
from cc_terminal.services.rostering.roster_terms import Person, Week, Wish

OPERATORS = 60
PENDING = 40
APPROVED = 6
RUNS = 5
MONDAY = date(2026, 12, 7)


@dataclass(frozen=True)
class RosterTimes:
    seconds: list[float]
    granted: list[int]
    greedy_granted: list[int]
    greedy_seconds: list[float]
    explained: int
    optimal: int


def week(seed: int) -> Week:
    rng = random.Random(seed)
    days = tuple(MONDAY + timedelta(days=n) for n in range(7))
    people = tuple(
        Person(uuid.UUID(int=n + 1), f"Operator {n + 1:02d}", 5, rng.randrange(0, 5))
        for n in range(OPERATORS)
    )
    needs = {
        (day, shift): 12 if day.weekday() >= 5 else 20
        for day in days
        for shift in ("early", "late")
    }
    wishes = []
    for number in range(PENDING + APPROVED):
        person = rng.choice(people)
        day = rng.choice(days[5:]) if number % 3 == 0 else rng.choice(days)
        wishes.append(
            Wish(
                uuid.UUID(int=1000 + number),
                person.id,
                day,
                rng.choice(("", "", "early", "late")),
                rng.choice((1, 2, 2, 3)),
                approved=number >= PENDING,
            )
        )
    unique = {(w.operator_id, w.day): w for w in wishes}  # one request a day each
    return Week(days, people, needs, tuple(unique.values()), seed=seed)


def measure() -> RosterTimes:
    seconds, granted, greedy_granted, greedy_seconds = [], [], [], []
    explained = optimal = 0
    for run in range(RUNS):
        planned = week(run + 1)
        started = time.perf_counter()
        solution = solve(planned)
        seconds.append(time.perf_counter() - started)
        granted.append(len(solution.granted))
        explained += len(solution.denied)
        optimal += solution.optimal
        started = time.perf_counter()
        greedy_granted.append(len(greedy(planned)))
        greedy_seconds.append(time.perf_counter() - started)
    return RosterTimes(seconds, granted, greedy_granted, greedy_seconds, explained, optimal)
