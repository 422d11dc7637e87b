"""Sign-in reads today's figures before the first screen composes, so the screen comes up
with them. Read beside the compose they waited on it at every statement and came last. A
failed read of the figures does not refuse the sign-in: they are read again."""

from __future__ import annotations

import threading

from textual.pilot import Pilot

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.services.common.views import Actor, TodayStats
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.widgets.today_strip import TodayStrip
from tests.conftest import PASSWORDS
from tests.tui import SIZE, make_app, settle, type_text, wait_until


async def test_the_call_screen_comes_up_with_todays_figures(
    sqlite_url, tmp_path, clock, monkeypatch
):
    reading, released = threading.Event(), threading.Event()
    read_today = Workstation.today
    reads: list[str] = []

    def held(self: Workstation, actor: Actor) -> TodayStats:
        reads.append(actor.username)
        reading.set()
        released.wait(60)
        return read_today(self, actor)

    monkeypatch.setattr(Workstation, "today", held)
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        try:
            await type_password_and_enter(pilot)  # not sign_in(): it waits for every worker
            await wait_until(pilot, reading.is_set)
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen)  # the figures come first
        finally:
            released.set()
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        assert app.today is not None  # set before the screen was: its strip never "loading"
        await settle(pilot)
        assert "0 calls" in str(app.screen.query_one(TodayStrip).render())
        assert reads == ["jana"]  # read once, not again after the screen came up


async def test_a_failed_read_of_todays_figures_signs_in_and_reads_them_again(
    sqlite_url, tmp_path, clock, monkeypatch
):
    read_today = Workstation.today
    reads: list[str] = []

    def first_fails(self: Workstation, actor: Actor) -> TodayStats:
        reads.append(actor.username)
        if len(reads) == 1:
            raise StoreUnavailable("the database is busy")
        return read_today(self, actor)

    monkeypatch.setattr(Workstation, "today", first_fails)
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_password_and_enter(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        await wait_until(pilot, lambda: app.today is not None)
        await settle(pilot)
        assert reads == ["jana", "jana"]
        assert "0 calls" in str(app.screen.query_one(TodayStrip).render())


async def type_password_and_enter(pilot: Pilot[None]) -> None:
    await type_text(pilot, "jana")
    await pilot.press("enter")
    await type_text(pilot, PASSWORDS["jana"])
    await pilot.press("enter")
