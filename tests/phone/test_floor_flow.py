"""F7's floor board, missed calls and callbacks from the keyboard (Pilot): the lead sees
every operator's state, sorts, opens one's tally; gives a missed call's callback with a
digit; the operator calls it back from "My callbacks" and saving the call marks it done."""

from __future__ import annotations

import uuid

from textual.widgets import Label

from cc_terminal.screens.calls.floor_pane import FloorPane
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.pickers import PersonPicker
from cc_terminal.screens.tally.tally import TallyScreen
from cc_terminal.services.phone.floor_views import FloorState
from cc_terminal.widgets.row_table import RowTable
from tests.conftest import PASSWORDS
from tests.helpers import rows
from tests.phone.floor_pilot import (
    lead_on_the_board_of_six,
    lead_on_the_missed_calls,
    open_the_first_callback,
)
from tests.phone.floor_scenes import missed_calls
from tests.tui import make_app, settle, settled_until, sign_in, wait_until


def _pane(app) -> FloorPane:
    return app.screen.query_one(FloorPane)


async def test_lead_sees_the_floor_sorts_it_and_opens_a_tally(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await lead_on_the_board_of_six(pilot)
        assert isinstance(app.screen, QueueScreen)
        states = [row.state for row in _pane(app).rows]
        assert states[:3] == [FloorState.RINGING, FloorState.ON_CALL, FloorState.WRAP_UP]
        assert states[-1] is FloorState.SIGNED_OUT
        assert _pane(app).alerts == 1  # Eva's wrap-up past 2 minutes
        assert "⚠ 1" in str(app.screen.query_one("#queue-tabs").get_tab("tab-floor").label)
        await pilot.press("s")  # longest in state
        assert _pane(app).rows[0].username == "karel"  # paused 5 minutes
        await pilot.press("s")  # by name
        names = [row.full_name for row in _pane(app).rows]
        assert names == sorted(names)
        assert names[0] == "Eva Nová"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TallyScreen))
        await settle(pilot)
        assert app.screen.operator_id == _eva(app)


async def test_the_how_long_column_ticks_from_memory(app, clock):
    async with app.run_test(size=(120, 40)) as pilot:
        await lead_on_the_board_of_six(pilot)
        table = app.screen.query_one("#floor-board", RowTable)
        assert table.cell_texts(0)[2] == "00:12"
        clock.advance(5)
        await wait_until(pilot, lambda: table.cell_texts(0)[2] == "00:17", timeout=10)


async def test_lead_gives_a_callback_and_the_operator_calls_back(app):
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await lead_on_the_missed_calls(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonPicker))
        await pilot.press("j", "a", "n", "enter")  # typing finds Jana
        await settled_until(pilot, lambda: bool(ws.phone.missed()[0].callback_operator_name))
        assert ws.phone.missed()[0].callback_operator_name == "Jana Svobodová"
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in(pilot, "jana")
        await pilot.press("f7")
        await settle(pilot)
        screen = await open_the_first_callback(pilot)
        assert screen.call.card.full_name == "Jan Novák"
        await pilot.press("ctrl+r", "1", "ctrl+e", "1")
        await settled_until(pilot, lambda: not ws.phone.missed() or len(ws.phone.missed()) == 1)
        (left,) = ws.phone.missed()
        assert left.number_raw == "+420777888999"
        assert rows(ws, "SELECT direction FROM call") == [("out",)]  # a call back is a call out


def _eva(app):
    return next(r.operator_id for r in _pane_rows(app) if r.username == "eva")


def _pane_rows(app):
    return app.require_services().floor_board.view(app.require_actor()).operators


async def test_lead_gives_with_a_digit_and_takes_back_with_zero(app):
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await lead_on_the_missed_calls(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonPicker))
        people = app.screen.people
        await pilot.press("2")  # the second by name
        await settled_until(pilot, lambda: bool(ws.phone.missed()[0].callback_operator_name))
        assert ws.phone.missed()[0].callback_operator_id == uuid.UUID(people[1][1])
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonPicker))
        await pilot.press("0")
        await settled_until(pilot, lambda: ws.phone.missed()[0].callback_operator_id is None)
        assert ws.phone.missed()[0].callback_operator_id is None


async def test_the_board_on_both_databases(db_url, tmp_path, clock):
    """The same six people in their states, on SQLite and on PostgreSQL (server mode: the
    app LISTENs), and a pause ended elsewhere reaches the board."""
    app = make_app(db_url, tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await lead_on_the_board_of_six(pilot)
        by_name = {row.username: row.state for row in _pane(app).rows}
        assert by_name == {
            "jana": FloorState.RINGING,
            "petr": FloorState.ON_CALL,
            "eva": FloorState.WRAP_UP,
            "lead": FloorState.READY,
            "karel": FloorState.PAUSED,
            "olga": FloorState.SIGNED_OUT,
        }
        ws.work_clock.resume(ws.auth.login("karel", PASSWORDS["jana"]))  # from elsewhere
        await wait_until(pilot, lambda: _state_of(app, "karel") is FloorState.READY)


def _state_of(app, username):
    return next(row.state for row in _pane(app).rows if row.username == username)


def _missed_badge(app) -> str:
    badge = app.screen.query_one("#header-missed", Label)
    return str(badge.render()) if badge.display else ""


async def test_the_operators_badge_counts_her_callbacks_until_made(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.require_services()
        missed_calls(ws, given_to="jana")
        await sign_in(pilot, "jana")
        await wait_until(pilot, lambda: _missed_badge(app).startswith("☏ 1"))
        assert _missed_badge(app) == "☏ 1 missed call to call back · F7"
        await pilot.press("f7")
        await settle(pilot)
        await open_the_first_callback(pilot)
        await pilot.press("ctrl+r", "1", "ctrl+e", "1")
        await wait_until(pilot, lambda: _missed_badge(app) == "")
        assert ws.phone.open_callbacks(app.require_actor()) == 0
