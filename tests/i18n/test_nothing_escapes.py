"""Nothing on a screen escapes translation. The walk visits every area, tab and dialog of
a demo floor in a pseudo-language (tests/i18n/pseudo.py) chosen as the people's own after
the app started, as a language switched at sign-in is: a word outside ⟦…⟧ that is not data
(a word the database holds) was never translated, or was translated when its module was
imported."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cc_terminal import i18n
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.services.demo.floor import build_demo_floor
from cc_terminal.services.workstation import open_workstation
from tests.conftest import FixedClock, start_of_test_day
from tests.hostile.test_hostile_walk import LEAD_DIALOGS, OPERATOR_DIALOGS, TABS, drawn
from tests.i18n.pseudo import PSEUDO, data_words, escaped_words, pseudo_catalogue
from tests.tui import SIZE, make_app, settle, without_animations


@pytest.fixture(scope="module")
def pseudo_floor(tmp_path_factory: pytest.TempPathFactory):
    """A demo floor built in the pseudo-language (its prose is the workstation's own words),
    every account speaking it; yields the database and the passwords."""
    folder = tmp_path_factory.mktemp("pseudo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n, "LOCALE_DIR", pseudo_catalogue(folder / "locale"))
        i18n._load.cache_clear()
        i18n.set_language(PSEUDO)
        database = folder / "floor.sqlite3"
        settings = Settings(db_url=f"sqlite:///{database}", data_dir=folder, language=PSEUDO)
        ws = open_workstation(settings, clock=FixedClock(start_of_test_day()))
        try:
            accounts = build_demo_floor(ws, customers=60)
        finally:
            ws.close()
        connection = sqlite3.connect(database)
        with connection:
            connection.execute("UPDATE operator SET language = ?", (PSEUDO,))
        connection.close()  # its write-ahead log folded into the file that is copied
        i18n.set_language("en")
        yield database, {a.username: a.password for a in accounts}, data_words(database)
        i18n._load.cache_clear()
    i18n.set_language("en")


class Walk:
    def __init__(self, app: CCTerminal, pilot: Pilot, data: frozenset[str]) -> None:
        self.app, self.pilot, self.data = app, pilot, data
        self.escaped: dict[str, list[str]] = {}

    async def step(self, name: str, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)
        assert self.app.is_running, f"the app stopped at {name}"
        words = escaped_words(drawn(self.app), self.data)
        if words:
            self.escaped[name] = sorted(set(words))

    async def dialogs(self, dialogs: tuple[tuple[str, ...], ...]) -> None:
        for name, *keys in dialogs:
            await self.step(name, *keys)
            await self.step(f"{name}: closed", "escape")


def a_phone(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT e164 FROM customer_phone ORDER BY e164 LIMIT 1")
        return str(row.fetchone()[0]).removeprefix("+420")


async def walk_the_lead(walk: Walk, phone: str) -> None:
    await walk.step("F7 where a team lead lands")
    await walk.step("F2 the incoming call", "f2")
    await walk.step("F2 a caller's card", *phone, "enter")
    await walk.step("F2 ledger", "ctrl+l")
    for key in ("f3", "f4", "f6", "f10"):
        await walk.step(f"area {key}", key)
    for key, tabs in TABS:
        for tab in tabs:
            await walk.step(f"{key} tab {tab}", key, tab)
    await walk.step("F7 queues", "f7")
    await walk.dialogs(LEAD_DIALOGS)


async def walk_an_operator(walk: Walk, phone: str) -> None:
    await walk.step("F2 where an operator lands")
    await walk.step("F3 outbound", "f3")
    await walk.step("F3 next lead", "n")
    await walk.dialogs(OPERATOR_DIALOGS)
    for tab in "12345":
        await walk.step(f"F5 tab {tab}", "f5", tab)
    await walk.step("F10 the operator's language", "f10")


async def test_no_screen_shows_text_that_escaped_translation(pseudo_floor, tmp_path, clock):
    database, passwords, data = pseudo_floor
    copy = tmp_path / "floor.sqlite3"
    copy.write_bytes(database.read_bytes())
    escaped: dict[str, list[str]] = {}
    for username, walk_it in (("vedouci", walk_the_lead), ("jana", walk_an_operator)):
        app = without_animations(make_app(f"sqlite:///{copy}", tmp_path, clock))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press(*username, "enter", *passwords[username], "enter")
            await settle(pilot)
            assert app.actor is not None, drawn(app)[-2000:]
            assert i18n.current_language() == PSEUDO, app.actor  # the account's own
            walk = Walk(app, pilot, data)
            await walk_it(walk, a_phone(database))
            escaped |= {f"{username}: {step}": words for step, words in walk.escaped.items()}
        i18n.set_language("en")
    assert escaped == {}, "\n".join(f"{step}: {' '.join(words)}" for step, words in escaped.items())
