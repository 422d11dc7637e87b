"""Every screen, dialog and export of a floor whose every free-text column is hostile
(tests/hostile_floor.py). A note `chce slevu [/]` crashed every team lead who opened F7;
an ESC in a campaign script retitled the terminal and wiped the screen. Now nothing on the
walk crashes, no control character is drawn raw, and markup shows as the text it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from cc_terminal.app import CCTerminal
from tests.conftest import FixedClock
from tests.hostile_floor import ITEM, NAME, NOTE, RAW, build_hostile_floor, copy_floor
from tests.tui import SIZE, make_app, settle, type_text

LITERAL = "[bold]tučně[/bold]"
PICTURED = "␛]2;PWNED␇␛[2J�31m �obráceně�"


@pytest.fixture(scope="module")
def hostile_floor(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return build_hostile_floor(tmp_path_factory.mktemp("hostile"))


def drawn(app: CCTerminal) -> str:
    """What the screen's widgets draw, line by line, as the terminal would get it."""
    return "\n".join(
        "".join(segment.text for segment in widget.render_line(y))
        for widget in app.screen.query("*")
        if widget.display
        for y in range(widget.size.height)
    )


class Walk:
    def __init__(self, app: CCTerminal, pilot: Pilot) -> None:
        self.app = app
        self.pilot = pilot
        self.literal_on: list[str] = []
        self.steps: list[str] = []

    async def step(self, name: str, *keys: str, text: str = "") -> str:
        await self.pilot.press(*keys)
        if text:
            await type_text(self.pilot, text)
        await settle(self.pilot)
        assert self.app.is_running, f"the app stopped at {name}"
        self.steps.append(name)
        screen = drawn(self.app)
        raw = [f"U+{ord(char):04X}" for char in RAW if char in screen]
        assert not raw, f"{name}: drawn raw: {raw}"
        if LITERAL in screen:
            self.literal_on.append(name)
        return screen

    async def sign_in(self, username: str, password: str) -> None:
        await self.step("sign in", *username, "enter", *password, "enter")


def a_phone(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT e164 FROM customer_phone ORDER BY e164 LIMIT 1"
        ).fetchone()[0]


async def walk_lead(walk: Walk, phone: str) -> None:
    await walk.step("F2 a caller's card", text=phone.removeprefix("+420"))
    card = await walk.step("F2 card", "enter")
    assert NAME in card and LITERAL in card and PICTURED in card
    await walk.step("F2 ledger", "ctrl+l")
    found = await walk.step("F2 knowledge base", "ctrl+k", text="tarif")
    assert ITEM in found
    await walk.step("F2 knowledge results", "down")
    await walk.step("F2 back", "escape")
    await walk.step("F2 request form", "ctrl+t")
    await walk.step("F2 back", "escape")
    await walk.step("F2 edit caller", "f8")
    await walk.step("F2 back", "escape")
    await walk.step("F2 end call picker", "ctrl+e")
    await walk.step("F2 back", "escape")
    for key, area in (("f3", "outbound"), ("f4", "orders"), ("f6", "days off")):
        await walk.step(area, key)
    await walk.step("F4 export dialog", "f4", "e")
    await walk.step("F4 back", "escape")
    await walk.step("F4 misses by team", "t")
    await walk.step("F4 back", "escape")
    await walk.step("F5 tally", "f5")
    for tab in "123456789":
        await walk.step(f"F5 tab {tab}", tab)
    await walk.step("F6 days off", "f6")
    for tab in "1234":
        await walk.step(f"F6 tab {tab}", tab)
    await walk.step("F7 queues", "f7")
    escalations = walk.app.screen.query_one("#escalation-queue", DataTable)
    assert str(escalations.get_row_at(0)[6]).startswith(NOTE)
    await walk.step("F7 a request", "enter")
    await walk.step("F7 back", "escape")
    await walk.step("F10 setup", "f10")
    for tab in "123456789":
        await walk.step(f"F10 tab {tab}", tab)
        await walk.step(f"F10 tab {tab}: edit the first row", "enter")
        await walk.step(f"F10 tab {tab}: back", "escape")
    await walk.step("F10 campaigns", "2")
    await walk.step("F10 survey answers", "a")
    await walk.step("F10 back", "escape")
    await walk.step("F10 audit trail", "t")
    await walk.step("F10 back", "escape")
    await walk.step("F10 data requests", "p")
    await walk.step("F10 back", "escape")
    await walk.step("help", "f1")
    await walk.step("help closed", "escape")


async def walk_operator(walk: Walk) -> None:
    await walk.step("F3 outbound", "f3")
    lead = await walk.step("F3 next lead", "n")
    assert "Dobrý den ␛]2;PWNED␇␛[2J" in lead and LITERAL in lead
    await walk.step("F3 knowledge base", "ctrl+k")
    await walk.step("F3 back", "escape")
    await walk.step("F3 close chord", "ctrl+e")
    await walk.step("F3 back", "escape")
    await walk.step("F5 tally", "f5")
    for tab in "12345":
        await walk.step(f"F5 tab {tab}", tab)


async def test_every_screen_of_a_hostile_floor(
    hostile_floor: tuple[Path, dict[str, str]], tmp_path: Path, clock: FixedClock
) -> None:
    database, passwords = hostile_floor
    app = make_app(copy_floor(database, tmp_path), tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await settle(pilot)
        await walk.sign_in("vedouci", passwords["vedouci"])
        await walk_lead(walk, a_phone(database))
    app = make_app(copy_floor(database, tmp_path), tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await settle(pilot)
        await walk.sign_in("jana", passwords["jana"])
        await walk_operator(walk)
