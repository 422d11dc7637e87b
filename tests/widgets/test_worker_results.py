"""A read replaced by a newer one never shows its older result over the newer
(widgets/worker_results.py): the older thread runs to its end after the newer showed."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App

from cc_terminal.widgets.worker_results import show_latest
from tests.tui import wait_until


class Reads(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.older_began = threading.Event()
        self.older_may_end = threading.Event()
        self.older_ended = threading.Event()

    @work(thread=True, exclusive=True, group="read")
    def read(self, result: str, hold: bool) -> None:
        if hold:
            self.older_began.set()
            self.older_may_end.wait(timeout=30)
        show_latest(self, self.shown.append, result)  # returns once handed over (or not)
        if hold:
            self.older_ended.set()


async def test_the_older_read_ending_last_is_not_shown():
    app = Reads()
    async with app.run_test() as pilot:
        app.read("read before the change", hold=True)
        await wait_until(pilot, app.older_began.is_set)  # read, not yet handed over
        app.read("read after the change", hold=False)  # cancels the older
        await wait_until(pilot, lambda: app.shown == ["read after the change"])
        app.older_may_end.set()
        await wait_until(pilot, app.older_ended.is_set)
        assert app.shown == ["read after the change"]


async def test_a_read_nobody_replaced_is_shown():
    app = Reads()
    async with app.run_test() as pilot:
        await app.read("the only read", hold=False).wait()
        await pilot.pause()
        assert app.shown == ["the only read"]
