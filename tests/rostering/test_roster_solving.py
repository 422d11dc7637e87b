"""A week's roster solves the same way every time (issue 19, item 3): CP-SAT stops on a
budget of its deterministic time with one worker and a fixed seed, never on the wall
clock, so a loaded machine neither grants fewer requests nor proves less."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from bench.roster import week

from cc_terminal.services.rostering.roster_solver import solve


@contextmanager
def a_busy_core() -> Iterator[None]:
    """Another process spinning on a core while the solver runs, as on a loaded host."""
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        busy.kill()
        busy.wait()


def test_a_week_cut_short_by_its_budget_stops_at_the_same_place_with_a_core_busy():
    planned = replace(week(1), budget=0.2)  # stops before its proof: the budget says where
    idle = solve(planned)
    with a_busy_core():
        loaded = solve(planned)
    assert not idle.optimal and idle.feasible
    assert loaded == idle  # the same cells, grants, denials and their reasons, objective


def test_the_bench_week_solves_twice_to_the_same_proven_roster():
    first, second = solve(week(1)), solve(week(1))
    assert first.optimal and len(first.granted) == 37
    assert second == first
