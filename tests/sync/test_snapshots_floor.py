"""How the floor looks: the header of a terminal with a conflict to resolve, and the
team lead's F11 dialog listing it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cc_terminal.app import CCTerminal
from cc_terminal.store import hlc
from tests.conftest import FixedClock, start_of_test_day
from tests.screens.test_snapshots import keys, steps
from tests.sync.kit import Floor, floor_settings, notes_conflict
from tests.tui import both_sizes, settle, sign_in, still


@pytest.fixture
def floor_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CCTerminal:
    wall = [int(datetime(2026, 11, 27, 8, 14, tzinfo=UTC).timestamp() * 1000)]
    monkeypatch.setattr(hlc, "wall_millis", lambda: wall[0])
    floor = Floor(tmp_path)

    def a_minute_later() -> None:  # petr's edit wins, whatever the terminal ids
        wall[0] += 60_000

    t1, _customer = notes_conflict(floor, a_minute_later)
    floor.close()
    return CCTerminal(floor_settings(floor, t1), clock=FixedClock(start_of_test_day()))


async def signed_in_lead(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await sign_in(pilot, "lead")
    for _attempt in range(50):  # the round started at sign-in has reported
        await settle(pilot)
        if "F11" in pilot.app.storage_line:
            break
        await pilot.pause(0.1)


@both_sizes
def test_header_with_a_conflict_to_resolve(snap_compare, size, floor_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(floor_app, terminal_size=size, run_before=steps(signed_in_lead, still))


@both_sizes
def test_conflicts_dialog(snap_compare, size, floor_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        floor_app, terminal_size=size, run_before=steps(signed_in_lead, keys("f11"), still)
    )
