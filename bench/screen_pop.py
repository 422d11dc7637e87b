"""Screen pop, headless: from Enter on a known number to the customer card painted.

Enter is the phone field's own submit action, so Pilot's waiting for idle is not counted;
"painted" is the first refresh after the card has its customer."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.widgets import Input

from bench.generate import OPERATOR, PASSWORD, sample_phones
from bench.table import median_ms, p99_ms
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.screens.incoming import IncomingCallScreen
from cc_terminal.services.views import CustomerCard as Card
from cc_terminal.widgets.customer_card import CustomerCard


async def _measure(path: Path, pops: int) -> list[float]:
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

        def card_shown(shown: Card | None) -> None:
            if shown is not None:
                card.call_after_refresh(painted.set)

        card.watch(card, "card", card_shown, init=False)
        for number in sample_phones(path, pops, seed=7):
            phone.value = number
            painted.clear()
            started = time.perf_counter()
            await phone.action_submit()
            await painted.wait()
            samples.append(time.perf_counter() - started)
            screen.reset_call()
            await pilot.pause(0.3)  # the next caller rings a moment later, not mid-reset
    return samples


def measure(path: Path, pops: int = 30) -> tuple[float, float]:
    samples = asyncio.run(_measure(path, pops))
    return median_ms(samples), p99_ms(samples)
