"""The floor board reads again when what it shows changed elsewhere: a NOTIFY on a server
(app_floor.FloorWatch._heard) or a sync round that applied such rows on a floor folder
(FloorWatch.show); nothing else wakes it, and those tables wake no badge poll; a chat's
notice reads the waiting chats' badge alone."""

from __future__ import annotations

import asyncio
import sys
import time

import pytest

from cc_terminal.app_floor import CHAT_AREA, FLOOR_BOARD
from cc_terminal.screens.calls.floor_pane import READ_GAP, FloorPane
from cc_terminal.store.change_notice import heard
from cc_terminal.sync.engine import SyncState
from tests.tui import settle, sign_in, wait_until

A_CHAT = "0f" * 16


async def _on_the_floor(pilot) -> list[str]:
    await settle(pilot)
    await sign_in(pilot, "lead")
    await pilot.press("4")
    await settle(pilot)
    asked: list[str] = []
    pane = pilot.app.screen.query_one(FloorPane)
    pane.refresh_board = lambda: asked.append("board")  # type: ignore[method-assign]
    polls = pilot.app.poll_escalations
    pilot.app.poll_escalations = lambda: (asked.append("badges"), polls())[1]
    chats_changed = pilot.app.chats_changed
    pilot.app.chats_changed = lambda: (asked.append("chat badge"), chats_changed())[1]
    return asked


@pytest.mark.parametrize(
    ("entity", "woken"),
    [
        ("phone_call", ["board"]),
        ("work_pause", ["board"]),
        ("work_session", ["board"]),
        ("call", ["board"]),
        ("call_presence", ["board"]),
        ("conversation", ["chat badge", "board"]),  # a chat's badge alone, not every badge
        (f"conversation:{A_CHAT}", ["chat badge", "board"]),  # a chat given, closed
        ("conversation_message", ["chat badge", "board"]),  # which chats not said: all
        (f"conversation_message:{A_CHAT}", []),  # a line: nothing the board shows
        ("escalation", ["badges"]),
    ],
)
async def test_a_notify_wakes_the_board_for_what_it_shows(app, entity, woken):
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await _on_the_floor(pilot)
        await asyncio.to_thread(app.floor_watch._heard, heard(entity))
        await pilot.pause()
        assert asked == woken


async def test_a_sync_round_that_applied_pauses_or_calls_wakes_it(app, clock):
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await _on_the_floor(pilot)
        app.floor_watch.show(SyncState("t", clock(), entities=frozenset({"phone_call"})))
        assert asked == ["board"]
        app.floor_watch.show(SyncState("t", clock(), entities=frozenset({"customer"})))
        assert asked == ["board"]


async def test_a_burst_of_changes_is_read_once_more_after_the_gap(app, monkeypatch):
    """Events arriving back to back: one read now, one after READ_GAP with them all, never
    a read a change (the keys typed meanwhile keep their time)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "lead")
        await pilot.press("4")
        await settle(pilot)
        pane = app.screen.query_one(FloorPane)
        reads: list[float] = []
        real_load = pane.load
        monkeypatch.setattr(pane, "load", lambda: (reads.append(time.monotonic()), real_load()))
        pane.last_read = -READ_GAP
        for _ in range(10):
            pane.refresh_board()
        await wait_until(pilot, lambda: len(reads) == 2, timeout=10)
        await settle(pilot)
        assert len(reads) == 2
        assert reads[1] - reads[0] >= READ_GAP * 0.9


@pytest.mark.parametrize("area", [FLOOR_BOARD, CHAT_AREA])
async def test_a_change_heard_does_not_load_a_screen_never_shown(app, monkeypatch, area):
    """Whether F7 or F8 is on screen is asked only when its module is loaded: a terminal
    that never showed it has none on screen, and loading it on the UI thread to ask cost
    the sign-in 25-55 ms (its own commits are heard too)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "jana")
        monkeypatch.delitem(sys.modules, area, raising=False)  # as if never shown here
        await asyncio.to_thread(app.floor_watch._heard, heard("conversation"))
        await asyncio.to_thread(app.floor_watch._heard, heard("work_session"))
        await settle(pilot)
        assert area not in sys.modules
