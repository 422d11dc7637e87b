"""Two of F10's phone forms in a real terminal (tmux, the real command on the demo floor),
typed as a team lead types them: the floor's limits (F) and an account's extension (K on
the Accounts tab). A wrong value is refused next to its field and nothing is stored; the
right one is stored, and audited, as the database then shows. Every step waits for what
the screen or the database shows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from bench.terminal import Terminal

from tests.phone.test_e2e_callback_tmux import stored, until
from tests.screens.test_e2e_tmux import sign_in, workstation

pytestmark = pytest.mark.e2e

LIMITS = "SELECT name, value FROM floor_setting ORDER BY name"
SERVICE = "Service level: answered within (seconds, 1 to 600)"
PAUSE = "A pause alerts after (minutes, 1 to 480)"
AUDITED = "SELECT subject, detail FROM audit_event WHERE kind = ? ORDER BY at"


def audited(database: Path, kind: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(AUDITED, (kind,)).fetchall()


def shown_under(terminal: Terminal, label: str) -> str:
    """The text on the line under ``label`` in the form's frame."""
    lines = terminal.screen().splitlines()
    row = next((n for n, line in enumerate(lines) if label in line), None)
    if row is None or row + 1 >= len(lines):
        return ""
    return lines[row + 1].rsplit("█", 2)[-2].strip() if lines[row + 1].count("█") >= 2 else ""


def typed_in_box(terminal: Terminal, label: str) -> str:
    """What a boxed input under ``label`` shows (its top edge, then ▊text▎)."""
    lines = terminal.screen().splitlines()
    row = next((n for n, line in enumerate(lines) if label in line), None)
    if row is None or row + 2 >= len(lines) or "▊" not in lines[row + 2]:
        return "?"
    return lines[row + 2].split("▊", 1)[1].split("▎", 1)[0].strip()


def focus_under(terminal: Terminal, label: str) -> None:
    """Wait until the focused field is the one under ``label``: Textual puts the terminal's
    cursor at the input that takes the focus (a key that edits, as Ctrl+U, typed behind an
    Enter before the focus has moved would edit the field just left). Only for a focus
    moved on a form that does not change its layout after: the cursor stays where the
    input was when it took the focus."""

    def there() -> bool:
        lines = terminal.screen().splitlines()
        row = next((n for n, line in enumerate(lines) if label in line), None)
        cursor = terminal.tmux("display", "-p", "-t", "main", "#{cursor_y}").stdout.strip()
        return row is not None and cursor == str(row + 1)

    until(there, f"the focus never reached the field under {label!r}")


def until_stored(
    terminal: Terminal, database: Path, sql: str, expected: tuple[object, ...]
) -> None:
    """Wait for ``sql``'s first row to be ``expected``; else fail with the screen."""
    try:
        until(lambda: stored(database, sql) == expected, f"never stored: {expected}", 60)
    except AssertionError as failed:
        raise AssertionError(
            f"{failed}; stored {stored(database, sql)}; the screen:\n{terminal.screen()}"
        ) from failed


def on_f10(lead: Terminal, password: str) -> None:
    """The demo floor's team lead signed in, on F10."""
    sign_in(lead, "vedouci", password, "Queues")
    lead.keys("F10")
    lead.wait_for("1 Catalogue")


def type_limits(lead: Terminal, service: str, after_the_pause: str) -> None:
    """F on F10: the service level's limit typed over its own, and digits typed after the
    pause's 15. (Ctrl+U or End typed behind an Enter can still land on the next field when
    the app is busy: a key Textual had queued on the field just left is handed on without
    its binding. Digits are handed on whole.)"""
    lead.keys("f")
    lead.wait_for(PAUSE)
    lead.settled()  # drawn whole: the first field has the focus
    lead.keys("End", "C-u")
    lead.type(service)
    until(lambda: shown_under(lead, SERVICE) == service, f"{service} never showed")
    lead.keys("Enter")  # drawn with the cursor in it: the cursor moves on with the focus
    focus_under(lead, PAUSE)
    lead.type(after_the_pause)
    until(lambda: shown_under(lead, PAUSE) == "15" + after_the_pause, "the pause never showed")


def test_a_lead_types_the_floors_limits_and_a_wrong_one_is_refused(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    lead = workstation(data_dir)
    try:
        on_f10(lead, passwords["vedouci"])
        type_limits(lead, "30", "00")  # 1500 minutes
        lead.keys("C-s")
        lead.wait_for("A whole number from 1 to 480.")
        assert PAUSE in lead.settled()  # the form stays open
        assert stored(database, LIMITS) is None  # nothing stored while one is wrong
        lead.keys("Escape")  # cancelled, what was typed thrown away
        lead.wait_for("Throw away what you typed?")
        lead.keys("y")
        lead.wait_gone("Floor limits")  # opened again below, as stored: the defaults
        type_limits(lead, "30", "0")  # 150 minutes
        lead.keys("C-s")
        until_stored(lead, database, LIMITS, ("pause_minutes", 150))
        lead.wait_gone(PAUSE)
    finally:
        lead.close()
    with sqlite3.connect(database) as connection:
        limits = connection.execute(LIMITS).fetchall()
    assert limits == [("pause_minutes", 150), ("service_seconds", 30)]
    assert audited(database, "config.floor") == [("floor", "service_seconds=30 pause_minutes=150")]


def test_a_lead_gives_jana_an_extension_and_a_malformed_one_is_refused(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    janas = "SELECT phone_extension FROM operator WHERE username = 'jana'"
    lead = workstation(data_dir)
    try:
        on_f10(lead, passwords["vedouci"])
        lead.keys("u")
        lead.wait_for("Petr Dvořák")
        lead.type("svob")  # the filter: Jana Svobodová only
        lead.wait_gone("Petr Dvořák")
        lead.wait_for("Jana Svobodová")
        lead.keys("Down")  # to the list: its keys come up in the key bar
        lead.wait_for("Reset password")
        lead.keys("k")
        lead.wait_for("Phone extension of Jana Svobodová")
        lead.type("1 01")
        lead.keys("C-s")
        lead.wait_for("1 to 16 letters")
        assert "Phone extension of Jana Svobodová" in lead.settled()  # the form stays open
        assert stored(database, janas) == ("",)
        lead.keys("End", "C-u")
        until(lambda: typed_in_box(lead, "Extension") == "", "the field was never emptied")
        lead.type("101")
        until(lambda: typed_in_box(lead, "Extension") == "101", "101 never showed")
        lead.keys("C-s")
        until_stored(lead, database, janas, ("101",))
        lead.wait_gone("Phone extension of Jana Svobodová")
    finally:
        lead.close()
    assert audited(database, "account.extension") == [("jana", "101")]
