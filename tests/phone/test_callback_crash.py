"""A callback being worked survives a crash: the missed call it calls back is kept in the
call's draft, so the call restored at the next sign-in marks the callback done when saved
(Pilot, headless, a real SQLite file)."""

from __future__ import annotations

from cc_terminal.screens.pickers import RestoreDraft
from tests.helpers import rows
from tests.phone.floor_pilot import open_the_first_callback, scene
from tests.tui import SIZE, draft_file, make_app, settle, settled_until, sign_in, wait_until


def _draft_names_the_callback(tmp_path) -> bool:
    found = draft_file(tmp_path)
    return found is not None and '"callback_of": "' in found.read_text()


async def test_a_callback_restored_after_a_crash_is_marked_done_on_save(
    sqlite_url, tmp_path, clock
):
    first = make_app(sqlite_url, tmp_path, clock)
    async with first.run_test(size=SIZE) as pilot:
        await scene("jana", missed=True, given_to="jana")(pilot)
        ws = first.require_services()
        await open_the_first_callback(pilot)
        await pilot.press("ctrl+r", "1")
        await wait_until(pilot, lambda: _draft_names_the_callback(tmp_path))
        await pilot.press("ctrl+q", "y")  # the terminal is closed with the call open
        await pilot.pause()
    assert len(ws.phone.missed()) == 2  # nothing marked yet
    second = make_app(sqlite_url, tmp_path, clock)
    async with second.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        assert isinstance(second.screen, RestoreDraft)
        await pilot.press("y")
        await settle(pilot)
        screen = second.screen
        assert screen.call_open and screen.call.card.full_name == "Jan Novák"
        assert screen.call.callback_of is not None
        await pilot.press("ctrl+e", "1")
        ws = second.require_services()
        await settled_until(pilot, lambda: len(ws.phone.missed()) == 1)
        (left,) = ws.phone.missed()
        assert left.number_raw == "+420777888999"
        done = rows(ws, "SELECT count(*) FROM phone_call WHERE callback_call_id IS NOT NULL")
        assert done == [(1,)]
        assert rows(ws, "SELECT direction FROM call") == [("out",)]
