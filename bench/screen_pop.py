"""Screen pop, headless: from Enter on a known number to the customer card painted, for
random customers and for the one with a full ledger (500 entries), with where the time goes.

Enter is the phone field's own submit action, so Pilot's waiting for idle is not counted;
"painted" is the first frame the app hands to its display after the card has its customer
(headless, that frame is composed but not written anywhere). The phases are taken by
wrapping, in this process only, the service calls and Textual's layout and render steps:

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
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual._compositor import Compositor
from textual.screen import Screen
from textual.widgets import Input

from bench.generate import HEAVY_PHONE, OPERATOR, PASSWORD, sample_phones
from bench.table import median_ms, p99_ms
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.calls import cards
from cc_terminal.widgets.customer_card import CustomerCard

PHASES = ("dispatch", "lookup", "ledger", "hand-off", "update", "wait", "layout", "paint")


@dataclass
class Pops:
    """Seconds per pop, and per phase of each pop."""

    totals: list[float] = field(default_factory=list)
    phases: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def median_ms(self) -> float:
        return median_ms(self.totals)

    @property
    def p99_ms(self) -> float:
        return p99_ms(self.totals)

    def budget(self) -> str:
        """Median milliseconds per phase, in order."""
        return ", ".join(
            f"{name} {statistics.median(self.phases[name]) * 1000:.1f}" for name in PHASES
        )


class _Stopwatch:
    """Marks taken during one pop, from the patched calls."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}
        self.spent: dict[str, float] = defaultdict(float)
        self.active = False

    def mark(self, name: str) -> None:
        if self.active and name not in self.marks:
            self.marks[name] = time.perf_counter()

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.active:
                    self.spent[name] += time.perf_counter() - started

        return wrapper


@contextmanager
def _patched(watch: _Stopwatch, screen: IncomingCallScreen) -> Iterator[None]:
    timeline, reflow, render = cards.ledger.timeline, Compositor.reflow, Compositor.render_update
    lookup_phone, open_call = screen.services.customers.lookup_phone, screen.open_call

    def lookup(raw: str) -> Any:
        watch.mark("worker start")
        found = watch.timed("database", lookup_phone)(raw)
        watch.mark("worker done")
        return found

    def opened(*args: Any, **kwargs: Any) -> None:
        watch.mark("update")
        open_call(*args, **kwargs)
        watch.mark("updated")

    cards.ledger.timeline = watch.timed("ledger", timeline)  # type: ignore[method-assign]
    Compositor.reflow = watch.timed("layout", reflow)  # type: ignore[method-assign]
    Compositor.render_update = watch.timed("paint", render)  # type: ignore[method-assign]
    screen.services.customers.lookup_phone = lookup  # type: ignore[method-assign]
    screen.open_call = opened  # type: ignore[method-assign]
    try:
        yield
    finally:
        cards.ledger.timeline = timeline  # type: ignore[method-assign]
        Compositor.reflow = reflow  # type: ignore[method-assign]
        Compositor.render_update = render  # type: ignore[method-assign]
        del screen.services.customers.lookup_phone
        del screen.open_call


def _phases(watch: _Stopwatch, started: float, painted: float) -> dict[str, float]:
    marks, spent = watch.marks, watch.spent
    frame = painted - spent["layout"] - spent["paint"]
    return {
        "dispatch": marks["worker start"] - started,
        "lookup": spent["database"] - spent["ledger"],
        "ledger": spent["ledger"],
        "hand-off": marks["update"] - marks["worker done"],
        "update": marks["updated"] - marks["update"],
        "wait": max(0.0, frame - marks["updated"]),
        "layout": spent["layout"],
        "paint": spent["paint"],
    }


async def _measure(path: Path, phones: list[str]) -> Pops:
    app = CCTerminal(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    pops = Pops()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*OPERATOR, "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause(2)  # past the screen's warm-up, as the first caller is
        screen = app.screen
        assert isinstance(screen, IncomingCallScreen)
        card = screen.query_one(CustomerCard)
        phone = screen.query_one("#phone", Input)
        painted = asyncio.Event()
        watch = _Stopwatch()
        display = app._display

        def frame(screen: Screen, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if card.card is not None and renderable is not None:
                painted.set()

        app._display = frame  # type: ignore[method-assign]
        with _patched(watch, screen):
            for number in phones:
                phone.value = number
                await pilot.pause()  # the number is on screen, as typed keys are before Enter
                painted.clear()
                watch.marks.clear()
                watch.spent.clear()
                watch.active = True
                started = time.perf_counter()
                await phone.action_submit()
                await painted.wait()
                ended = time.perf_counter()
                watch.active = False
                pops.totals.append(ended - started)
                for name, seconds in _phases(watch, started, ended).items():
                    pops.phases[name].append(seconds)
                screen.reset_call()
                await pilot.pause(0.3)  # the next caller rings a moment later, not mid-reset
    return pops


def measure(path: Path, pops: int = 30) -> Pops:
    return asyncio.run(_measure(path, sample_phones(path, pops, seed=7)))


def measure_full_ledger(path: Path, pops: int = 20) -> Pops:
    """The customer with 500 ledger entries, popped again and again."""
    return asyncio.run(_measure(path, [HEAVY_PHONE] * pops))
