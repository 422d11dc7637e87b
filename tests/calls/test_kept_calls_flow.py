"""The open call kept as a draft while the operator types: written as they type, restored at
the next sign-in after a crash, or discarded (Pilot, headless, a real SQLite file)."""

import pytest
from textual.widgets import Select, TextArea

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.pickers import RestoreDraft
from tests.helpers import rows
from tests.tui import (
    SIZE,
    choose_first_reason,
    db,
    draft_file,
    make_app,
    pop_caller,
    settle,
    sign_in,
    type_text,
    wait_until,
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def wait_for_draft(pilot, tmp_path, text):
    """The draft is written half a second after typing pauses: wait for it on disk."""

    def written():
        found = draft_file(tmp_path)
        return found is not None and text in found.read_text()

    await wait_until(pilot, written)


async def test_the_open_call_is_kept_as_a_draft_until_saved(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await choose_first_reason(pilot)
        await pilot.press("ctrl+n", *"Wants a cheaper tariff")
        await wait_for_draft(pilot, tmp_path, "Wants a cheaper tariff")
        assert "Wants a cheaper tariff" in draft_file(tmp_path).read_text()
        await pilot.press("ctrl+e", "1")
        await settle(pilot)
        await wait_until(pilot, lambda: draft_file(tmp_path) is None)
        assert draft_file(tmp_path) is None


async def test_a_kept_call_is_restored_at_the_next_sign_in(sqlite_url, tmp_path, clock):
    first = make_app(sqlite_url, tmp_path, clock)
    async with first.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await choose_first_reason(pilot)
        await pilot.press("ctrl+n", *"Line dropped")
        clock.advance(50)
        await pilot.press("f9")
        await wait_for_draft(pilot, tmp_path, '"hung_up_at": "')
        started = first.screen.call.started_at
        await pilot.press("ctrl+q", "y")  # the terminal is closed with the call open
        await pilot.pause()
    clock.advance(600)
    second = make_app(sqlite_url, tmp_path, clock)
    async with second.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(second.screen, RestoreDraft)
        await pilot.press("y")
        await settle(pilot)
        screen = second.screen
        assert screen.call_open and screen.card.full_name == "Jan Novák"
        assert screen.call.started_at == started
        assert screen.query_one("#reason", Select).value == "tariff_question"
        assert screen.query_one("#notes", TextArea).text == "Line dropped"
        await pilot.press("ctrl+e", "1")
        await settle(pilot)
        stored = rows(
            db(second), "SELECT talk_seconds, wrap_seconds FROM call WHERE notes = 'Line dropped'"
        )
        assert [tuple(r) for r in stored] == [(50, 600)]


async def test_a_kept_call_can_be_discarded(app, sqlite_url, tmp_path, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await wait_for_draft(pilot, tmp_path, "customer")
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    again = make_app(sqlite_url, tmp_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(again.screen, IncomingCallScreen) and not again.screen.call_open
        assert draft_file(tmp_path) is None


async def test_a_team_lead_lands_on_the_queue_unless_a_call_of_theirs_was_kept(
    sqlite_url, tmp_path, clock
):
    first = make_app(sqlite_url, tmp_path, clock)
    async with first.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        assert isinstance(first.screen, QueueScreen)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "601123456")
        await pilot.press("enter")
        await settle(pilot)
        await wait_for_draft(pilot, tmp_path, '"customer_id": "')
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    second = make_app(sqlite_url, tmp_path, clock)
    async with second.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        assert isinstance(second.screen, RestoreDraft)  # on F2, which offers the call back
