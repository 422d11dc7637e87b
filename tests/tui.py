"""Driving the workstation headless with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from tests.conftest import PASSWORDS, FixedClock

SIZE = (120, 40)


def make_app(db_url: str, data_dir: Path, clock: FixedClock) -> CCTerminal:
    settings = Settings(db_url=db_url, data_dir=data_dir, cursor_blink=False)
    return CCTerminal(settings, clock=clock)


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sign_in(pilot: Pilot, username: str = "jana", password: str | None = None) -> None:
    await pilot.press(*username, "enter", *(password or PASSWORDS[username]), "enter")
    await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def choose_first_reason(pilot: Pilot) -> None:
    await pilot.press("ctrl+r", "enter", "down", "enter")
    await pilot.pause()


async def pop_caller(pilot: Pilot, number: str, username: str = "jana") -> None:
    """Sign in and look a number up, as an operator starts every call."""
    await sign_in(pilot, username)
    await type_text(pilot, number)
    await pilot.press("enter")
    await settle(pilot)
