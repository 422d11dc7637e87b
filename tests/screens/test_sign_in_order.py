"""Sign-in shows the first screen while today's figures are still being read: they are
the last of the sign-in's reads, and composing the screen need not wait for them."""

from __future__ import annotations

import threading

from textual.pilot import Pilot

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.common.views import Actor, TodayStats
from cc_terminal.services.workstation import Workstation
from cc_terminal.widgets.today_strip import TodayStrip
from tests.conftest import PASSWORDS
from tests.tui import SIZE, make_app, settle, type_text, wait_until


async def test_the_call_screen_is_up_before_todays_figures_and_they_follow(
    sqlite_url, tmp_path, clock, monkeypatch
):
    released = threading.Event()
    read_today = Workstation.today

    def held(self: Workstation, actor: Actor) -> TodayStats:
        released.wait(60)
        return read_today(self, actor)

    monkeypatch.setattr(Workstation, "today", held)
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        try:
            await type_password_and_enter(pilot)  # not sign_in(): it waits for every worker
            await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
            strip = app.screen.query_one(TodayStrip)
            await wait_until(pilot, lambda: "loading" in str(strip.render()))
            assert app.today is None
        finally:
            released.set()
        await wait_until(pilot, lambda: app.today is not None)
        await settle(pilot)
        assert "0 calls" in str(strip.render())


async def type_password_and_enter(pilot: Pilot[None]) -> None:
    await type_text(pilot, "jana")
    await pilot.press("enter")
    await type_text(pilot, PASSWORDS["jana"])
    await pilot.press("enter")
