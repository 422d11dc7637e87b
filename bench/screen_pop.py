"""Screen pop, headless: from Enter on a known number to the customer card painted, for
random customers and for the one with a full ledger (500 entries).

Enter is the phone field's own submit action, so Pilot's waiting for idle is not counted;
"painted" is the first frame the app hands to its display after the card has its customer
(headless, that frame is composed but not written anywhere)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.screen import Screen
from textual.widgets import Input

from bench.generate import HEAVY_PHONE, OPERATOR, PASSWORD, sample_phones
from bench.table import median_ms, p99_ms
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.screens.incoming import IncomingCallScreen
from cc_terminal.widgets.customer_card import CustomerCard


async def _measure(path: Path, phones: list[str]) -> list[float]:
    app = CCTerminal(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*OPERATOR, "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncomingCallScreen)
        card = screen.query_one(CustomerCard)
        phone = screen.query_one("#phone", Input)
        painted = asyncio.Event()

        display = app._display

        def frame(screen: Screen, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if card.card is not None and renderable is not None:
                painted.set()

        app._display = frame  # type: ignore[method-assign]
        for number in phones:
            phone.value = number
            await pilot.pause()  # the number is on screen, as typed keys are before Enter
            painted.clear()
            started = time.perf_counter()
            await phone.action_submit()
            await painted.wait()
            samples.append(time.perf_counter() - started)
            screen.reset_call()
            await pilot.pause(0.3)  # the next caller rings a moment later, not mid-reset
    return samples


def measure(path: Path, pops: int = 30) -> tuple[float, float]:
    samples = asyncio.run(_measure(path, sample_phones(path, pops, seed=7)))
    return median_ms(samples), p99_ms(samples)


def measure_full_ledger(path: Path, pops: int = 20) -> tuple[float, float]:
    """The customer with 500 ledger entries, popped again and again."""
    samples = asyncio.run(_measure(path, [HEAVY_PHONE] * pops))
    return median_ms(samples), p99_ms(samples)
