"""The baseline for the screen pop: a bare Textual app on a 120x40 screen that swaps as much
text as a pop shows (the card's seven lines and a page of ledger rows, 76 columns wide), timed
the same way as the pop: from the call to the first frame handed to the display after it."""

from __future__ import annotations

import asyncio
import random
import string
import time

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

CARD_LINES, LEDGER_LINES, WIDTH = 7, 24, 76


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


async def _measure(pops: int) -> list[float]:
    rng = random.Random(5)
    app = BarePop()
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = app.query_one("#text", Static)
        painted = asyncio.Event()
        display = app._display

        def frame(screen: Screen, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                painted.set()

        app._display = frame  # type: ignore[method-assign]
        pages = [page(rng) for _ in range(pops)]
        for content in pages:
            await pilot.pause(0.3)
            painted.clear()
            started = time.perf_counter()
            text.update(content)
            await painted.wait()
            samples.append(time.perf_counter() - started)
    return samples


def measure(pops: int = 30) -> list[float]:
    return asyncio.run(_measure(pops))


if __name__ == "__main__":
    import statistics

    found = measure()
    print(f"median {statistics.median(found) * 1000:.1f} ms, max {max(found) * 1000:.1f} ms")
