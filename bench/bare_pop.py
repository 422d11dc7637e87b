"""The baseline for the screen pop: a bare Textual app on a 120x40 screen that swaps as much
text as a pop shows (the card's seven lines and a page of ledger rows, 76 columns wide), timed
the same way as the pop: from the call to the first frame handed to the display after it,
with its layout and paint and what it repainted (bench/textual_timing.py)."""

from __future__ import annotations

import asyncio
import random
import string
import time

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

from bench.pops import Pops
from bench.textual_timing import FirstFrame, Repaints, textual_counted, textual_timed

CARD_LINES, LEDGER_LINES, WIDTH = 7, 24, 76
PHASES = ("layout", "paint")


def page(rng: random.Random) -> str:
    letters = string.ascii_letters + "      "
    lines = CARD_LINES + 1 + LEDGER_LINES
    return "\n".join("".join(rng.choice(letters) for _ in range(WIDTH)) for _ in range(lines))


class BarePop(App[None]):
    CSS = """
    #left { width: 2fr; border: round $accent; }
    #right { width: 1fr; border: round $panel; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="left"):
                yield Static("", id="text")
            yield Vertical(Static("Talk 00:00"), id="right")
        yield Footer()


async def _measure(count: int) -> Pops:
    rng = random.Random(5)
    app = BarePop()
    pops = Pops(PHASES)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = app.query_one("#text", Static)
        painted = FirstFrame()
        spent: dict[str, float] = {}

        def frame(renderable: object) -> None:
            if renderable is not None:
                painted.seen()

        pages = [page(rng) for _ in range(count)]
        with textual_timed(app, spent, frame):
            for content in pages:
                await pilot.pause(0.3)
                painted.clear()
                spent.clear()
                with textual_counted(Repaints()) as repaints:
                    started = time.perf_counter()
                    text.update(content)
                    ended = await painted.wait()
                pops.add(ended - started, {name: spent.get(name, 0.0) for name in PHASES}, repaints)
    return pops


def measure(pops: int = 30) -> Pops:
    return asyncio.run(_measure(pops))


if __name__ == "__main__":
    found = measure()
    print(f"median {found.median_ms:.1f} ms, p99 {found.p99_ms:.1f} ms; {found.budget()}")
    print(found.repainted())
