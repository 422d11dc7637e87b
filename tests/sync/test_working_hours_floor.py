"""A department's working hours on a floor folder: the lead's week reaches every terminal,
whose requests then fall due in it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.calls.requests import RequestService
from cc_terminal.services.common.working_hours import WeekHours
from tests.sync.kit import Floor, assert_converged, two_terminals

EVENINGS = WeekHours(("14:00-22:00",) * 5 + ("", ""))
FRIDAY_MORNING = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # 9:30 in Prague


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    two_terminals(floor)
    yield floor
    floor.close()


def test_the_week_reaches_every_terminal_and_its_due_times(floor: Floor) -> None:
    t1, t2 = floor.terminals
    technical = t1.ws.reference.lists().find(ListKind.DEPARTMENT, "technical")
    changed = replace(technical, working_hours=EVENINGS.text())
    t1.ws.reference.save(t1.actor("lead"), ListKind.DEPARTMENT, changed)
    floor.settle()
    assert_converged(floor)
    lists = t2.ws.reference.lists()
    assert lists.find(ListKind.DEPARTMENT, "technical").working_hours == EVENINGS.text()
    on_friday = RequestService(t2.ws.db, lambda: FRIDAY_MORNING, t2.ws.requests.floor)
    # four hours of a technical fault: from 14:00 (13:00 UTC) to 18:00
    due = on_friday.default_due(lists, "technical_fault")
    assert due == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
