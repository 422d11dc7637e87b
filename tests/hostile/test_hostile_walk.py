"""Every screen, dialog and export of a floor whose every free-text column is hostile
(tests/hostile/hostile_floor.py). A note `chce slevu [/]` crashed every team lead who opened F7;
an ESC in a campaign script retitled the terminal and wiped the screen. Now nothing on the
walk crashes, no control character is drawn raw, and markup shows as the text it is."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from itertools import product
from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import DataTable

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.services.tally.periods import month_of
from cc_terminal.services.workstation import open_workstation
from tests.conftest import FixedClock
from tests.hostile.hostile_floor import (
    BIDI,
    ESCAPES,
    ITEM,
    MARKUP,
    NAME,
    NOTE,
    RAW,
    build_hostile_floor,
    copy_floor,
)
from tests.tui import SIZE, make_app, settle, type_text, without_animations

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


# Each dialog is opened with its keys and closed with Escape.
LEAD_DIALOGS = (
    ("F2 request form", "f2", "ctrl+t"),
    ("F2 edit caller", "f2", "ctrl+u"),
    ("F2 end call picker", "f2", "ctrl+r", "enter", "down", "enter", "ctrl+e"),
    ("F4 export dialog", "f4", "e"),
    ("F4 misses by team", "t"),
    *((f"F10 tab {tab}: its first row", "f10", tab, "enter") for tab in "12345678"),
    ("F10 survey answers", "7", "a"),  # campaigns
    ("F10 audit trail", "t"),
    ("F10 data requests", "p"),
    ("help", "f1"),
)
OPERATOR_DIALOGS = (("F3 knowledge base", "ctrl+k"), ("F3 close chord", "ctrl+e"))
TABS = (("f5", "123456789"), ("f6", "1234"), ("f10", "123456789"))  # F10's 9th is empty


async def visit(walk: Walk, dialogs: tuple[tuple[str, ...], ...]) -> None:
    for name, *keys in dialogs:
        # An F-key first switches to that area, whose own screen is the bottom of its stack.
        depth = 1 if keys[0] in ("f2", "f4", "f7", "f10") else len(walk.app.screen_stack)
        await walk.step(name, *keys)
        assert len(walk.app.screen_stack) > depth, f"{name} opened no dialog"
        await walk.step(f"{name}: closed", "escape")


def hostile_lead_file(folder: Path) -> Path:
    """A lead file whose names and notes are markup and escapes (the importer removes the
    controls and says so; the markup stays, as data)."""
    path = folder / "leads.csv"
    path.write_text(
        "Jméno;Příjmení;Telefon;Město;Poznámka\n"
        f"Karel;Novák [/];+420 731 111 201;Plzeň;{MARKUP} {ESCAPES}\n"
        f"[bold]Eva;Černá [@click=app.quit]x[/];731111202;Brno;{BIDI}\n",
        encoding="utf-8",
    )
    return path


async def walk_lead_import(walk: Walk, folder: Path) -> None:
    await walk.step("F10 campaigns", "f10", "7")
    await walk.step("F10 lead import", "i", text=str(hostile_lead_file(folder)))
    preview = await walk.step("F10 lead import preview", "ctrl+r")
    assert "Novák [/]" in preview
    report = await walk.step("F10 lead import report", "ctrl+s")
    assert "Rows: 2; leads added: 2" in report
    await walk.step("F10 lead import closed", "escape")


async def walk_lead(walk: Walk, phone: str) -> None:
    await walk.step("F7 where a team lead lands")
    await walk.step("F2 the incoming call", "f2")
    await walk.step("F2 a caller's card", text=phone.removeprefix("+420"))
    card = await walk.step("F2 card", "enter")
    assert NAME in card and LITERAL in card and PICTURED in card
    await walk.step("F2 ledger", "ctrl+l")
    found = await walk.step("F2 knowledge base", "ctrl+k", text="tarif")
    assert ITEM in found
    await walk.step("F2 knowledge results", "down")
    await walk.step("F2 back", "escape")
    for key in ("f3", "f4", "f6", "f10"):
        await walk.step(f"area {key}", key)
    for key, tabs in TABS:
        for tab in tabs:
            await walk.step(f"{key} tab {tab}", key, tab)
    await walk.step("F7 queues", "f7")
    escalations = walk.app.screen.query_one("#escalation-queue", DataTable)
    assert str(escalations.get_row_at(0)[6]).startswith(NOTE)
    walk.app.screen.query_one("#request-queue", DataTable).focus()  # the lead's is escalations
    await visit(walk, (("F7 a request", "enter"),))
    await visit(walk, LEAD_DIALOGS)


async def walk_operator(walk: Walk) -> None:
    await walk.step("F3 outbound", "f3")
    lead = await walk.step("F3 next lead", "n")
    assert "Dobrý den ␛]2;PWNED␇␛[2J" in lead and LITERAL in lead
    await visit(walk, OPERATOR_DIALOGS)
    for tab in "12345":
        await walk.step(f"F5 tab {tab}", "f5", tab)


async def test_every_screen_of_a_hostile_floor(
    hostile_floor: tuple[Path, dict[str, str]], tmp_path: Path, clock: FixedClock
) -> None:
    database, passwords = hostile_floor
    app = without_animations(make_app(copy_floor(database, tmp_path), tmp_path, clock))
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await settle(pilot)
        await walk.sign_in("vedouci", passwords["vedouci"])
        await walk_lead(walk, a_phone(database))
        await walk_lead_import(walk, tmp_path)
    # A store of its own: copied over the first one, the file would be cut under a worker
    # thread of the first app still reading it (SQLite maps it: a bus error).
    second = tmp_path / "operator"
    second.mkdir()
    app = without_animations(make_app(copy_floor(database, second), second, clock))
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await settle(pilot)
        await walk.sign_in("jana", passwords["jana"])
        await walk_operator(walk)


def exported_text(path: Path) -> str:
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8-sig")
    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


def test_every_export_of_a_hostile_floor_writes_its_controls_as_pictures(
    hostile_floor: tuple[Path, dict[str, str]], tmp_path: Path, clock: FixedClock
) -> None:
    database, passwords = hostile_floor
    settings = Settings(db_url=copy_floor(database, tmp_path), data_dir=tmp_path)
    ws = open_workstation(settings, clock=clock)
    try:
        lead = ws.auth.login("vedouci", passwords["vedouci"])
        today = clock.now.date()
        with sqlite3.connect(database) as connection:
            campaigns = [code for (code,) in connection.execute("SELECT code FROM campaign")]
        for kind in ("csv", "xlsx"):
            path = tmp_path / f"orders.{kind}"
            ws.order_export.export(lead, path, kind, today - timedelta(days=120), today)
            ws.tally_export.export(lead, month_of(today), tmp_path / f"pay.{kind}", kind)
        for code, kind in product(campaigns, ("csv", "xlsx", "vicidial")):
            suffix = "xlsx" if kind == "xlsx" else "csv"
            ws.exports.export(lead, code, tmp_path / f"{code}-{kind}.{suffix}", kind)
    finally:
        ws.close()
    files = [p for p in tmp_path.iterdir() if p.suffix in (".csv", ".xlsx")]
    texts = {path.name: exported_text(path) for path in files}
    assert len(texts) == 4 + 3 * len(campaigns)
    for name, text in texts.items():
        assert not [char for char in RAW if char in text], name
    assert any(LITERAL in text and "␛]2;PWNED␇" in text for text in texts.values())
