"""Screen pop, headless: from Enter on a known number to the customer card painted, for
random customers and for the one with a full ledger (500 entries), with where the time goes.

Enter is the phone field's own submit action, so Pilot's waiting for idle is not counted;
"painted" is the first frame the app hands to its display after the card has its customer
(headless, that frame is composed but not written anywhere). The phases are taken from the
marks the workstation makes when a listener asks for them (cc_terminal/phase_marks.py) and,
for Textual's own layout and render steps, from bench/textual_timing.py:

- dispatch: from Enter to the lookup starting in its worker thread;
- lookup: the phone lookup's own queries (the number, the customer, the phones);
- ledger: the ledger's queries (calls, offers, requests, their steps, escalations);
- hand-off: from the worker's end to the screen receiving the card;
- update: the screen filling its widgets with the card;
- wait: until the screen's next refresh starts (Textual refreshes at most 60 times a second);
- layout: the compositor placing the widgets;
- paint: rendering the lines that changed and handing them to the display."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.widgets import Input

from bench.generate import HEAVY_PHONE, OPERATOR, PASSWORD, sample_phones
from bench.pops import Pops, resident
from bench.textual_timing import FirstFrame, Repaints, textual_counted, textual_timed
from cc_terminal import phase_marks
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.memory import take_the_collector
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.widgets.customer_card import CustomerCard

PHASES = ("dispatch", "lookup", "ledger", "hand-off", "update", "wait", "layout", "paint")


class _Stopwatch:
    """The times of one pop: the first time of each mark (cc_terminal.phase_marks), the
    seconds between "X start" and "X done" summed per X, and Textual's layout and paint
    (bench/textual_timing.py)."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}
        self.spent: dict[str, float] = {}
        self.began: dict[str, float] = {}
        self.active = False

    def clear(self) -> None:
        self.marks.clear()
        self.spent.clear()
        self.began.clear()

    def mark(self, name: str) -> None:
        if not self.active:
            return
        now = time.perf_counter()
        self.marks.setdefault(name, now)
        what, _, edge = name.rpartition(" ")
        if edge == "start":
            self.began[what] = now
        elif edge == "done" and what in self.began:
            self.spent[what] = self.spent.get(what, 0.0) + now - self.began.pop(what)


def _phases(watch: _Stopwatch, started: float, painted: float) -> dict[str, float]:
    marks, spent = watch.marks, watch.spent
    frame = painted - spent.get("layout", 0.0) - spent.get("paint", 0.0)
    return {
        "dispatch": marks["lookup start"] - started,
        "lookup": spent["lookup"] - spent.get("ledger", 0.0),
        "ledger": spent.get("ledger", 0.0),
        "hand-off": marks["update"] - marks["lookup done"],
        "update": marks["updated"] - marks["update"],
        "wait": max(0.0, frame - marks["updated"]),
        "layout": spent.get("layout", 0.0),
        "paint": spent.get("paint", 0.0),
    }


async def _measure(path: Path, phones: list[str], gap: float = 0.3, every: int = 0) -> Pops:
    """Pops ``phones`` one after another, ``gap`` seconds apart; with ``every``, reads the
    process's resident memory before the first pop and after every ``every`` pops."""
    # A fresh data folder: a call draft left by an interrupted run would open the next one
    # on the restore dialog instead of the call screen.
    data_dir = Path(tempfile.mkdtemp(prefix="cc-bench-pop-"))
    take_the_collector()  # the app freezes what it keeps, as under its own command
    app = CCTerminal(Settings(db_url=f"sqlite:///{path}", data_dir=data_dir))
    pops = Pops(PHASES)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*OPERATOR, "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause(2)  # past the screen's warm-up, as the first caller is
        screen = app.screen
        assert isinstance(screen, IncomingCallScreen)
        card = screen.query_one(CustomerCard)
        phone = screen.query_one("#phone", Input)
        painted = FirstFrame()
        watch = _Stopwatch()

        def frame(renderable: object) -> None:
            if watch.active and card.card is not None and renderable is not None:
                painted.seen()

        phase_marks.listener = watch.mark
        try:
            with textual_timed(app, watch.spent, frame):
                for done, number in enumerate(phones):
                    if every and done % every == 0:
                        pops.memory.append((done, resident()))
                    pops.add(*await _pop(pilot, screen, phone, watch, painted, number, gap))
                if every:
                    pops.memory.append((len(phones), resident()))
        finally:
            phase_marks.listener = None
    return pops


async def _pop(
    pilot: Any,
    screen: IncomingCallScreen,
    phone: Input,
    watch: _Stopwatch,
    painted: FirstFrame,
    number: str,
    gap: float,
) -> tuple[float, dict[str, float], Repaints]:
    phone.value = number
    await pilot.pause()  # the number is on screen, as typed keys are before Enter
    painted.clear()
    watch.clear()
    watch.active = True
    with textual_counted(Repaints()) as repaints:
        started = time.perf_counter()
        await phone.action_submit()
        ended = await painted.wait()
    watch.active = False
    phases = _phases(watch, started, ended)  # before the reset paints anything more
    screen.reset_call()
    await pilot.pause(gap)  # the next caller rings a moment later, not mid-reset
    return ended - started, phases, repaints


def measure(path: Path, pops: int = 30) -> Pops:
    return asyncio.run(_measure(path, sample_phones(path, pops, seed=7)))


def measure_memory(path: Path, pops: int = 500, every: int = 100) -> Pops:
    """Resident memory over ``pops`` pops of random customers (a leak shows as growth)."""
    return asyncio.run(_measure(path, sample_phones(path, pops, seed=11), 0.02, every))


def measure_full_ledger(path: Path, pops: int = 20) -> Pops:
    """The customer with 500 ledger entries, popped again and again."""
    return asyncio.run(_measure(path, [HEAVY_PHONE] * pops))
