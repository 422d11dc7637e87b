"""A call typed on F2 without a phone link puts its operator "on a call" on the floor board
from the moment the card opens, and "ready" once it is saved, or once its draft is thrown
away at the next sign-in (Pilot, headless)."""

from __future__ import annotations

from cc_terminal.services.phone.floor_views import FloorState
from cc_terminal.services.workstation import Workstation
from tests.conftest import login
from tests.tui import (
    SIZE,
    choose_first_reason,
    make_app,
    pop_caller,
    settle,
    settled_until,
    sign_in,
    wait_until,
)


def _jana(ws) -> FloorState:
    view = ws.floor_board.view(login(ws, "lead"))
    return next(row.state for row in view.operators if row.username == "jana")


async def _typing_a_call(pilot) -> Workstation:
    """Jana's F2 open on a caller's card: the board has her on a call."""
    await pop_caller(pilot, "601123456")
    ws: Workstation = pilot.app.require_services()
    await settled_until(pilot, lambda: _jana(ws) is FloorState.ON_CALL)
    return ws


async def test_a_typed_call_is_on_the_board_from_its_start_to_its_save(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        ws = await _typing_a_call(pilot)
        assert _jana(ws) is FloorState.ON_CALL
        await choose_first_reason(pilot)
        await pilot.press("ctrl+e", "1")
        await settled_until(pilot, lambda: _jana(ws) is FloorState.READY)
        assert _jana(ws) is FloorState.READY


async def test_a_draft_thrown_away_takes_the_call_off_the_board(sqlite_url, tmp_path, clock):
    first = make_app(sqlite_url, tmp_path, clock)
    async with first.run_test(size=SIZE) as pilot:
        await _typing_a_call(pilot)
        await pilot.press("ctrl+q", "y")  # closed with the call open: still on it
        await pilot.pause()
    again = make_app(sqlite_url, tmp_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = again.require_services()
        assert _jana(ws) is FloorState.ON_CALL  # signed in again, the call not yet settled
        await pilot.press("n")  # the kept call is thrown away
        await settle(pilot)
        await wait_until(pilot, lambda: _jana(ws) is FloorState.READY)
        assert _jana(ws) is FloorState.READY


async def test_signing_in_at_another_terminal_takes_a_call_left_open_off_the_board(
    sqlite_url, tmp_path, clock
):
    first = make_app(sqlite_url, tmp_path / "first", clock)
    async with first.run_test(size=SIZE) as pilot:
        await _typing_a_call(pilot)
        await pilot.press("ctrl+q", "y")  # closed with the call open: its draft stays there
        await pilot.pause()
    other = make_app(sqlite_url, tmp_path / "other", clock)
    async with other.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = other.require_services()
        await settled_until(pilot, lambda: _jana(ws) is FloorState.READY)
        assert _jana(ws) is FloorState.READY
