"""F2 and F3 in Czech in a real terminal: the real CLI in tmux on a Czech system
(``LANG=cs_CZ.UTF-8``, no other setting), keys go in, the screen speaks Czech, and the
database holds what an English terminal would store (codes, not words)."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from bench.terminal import Terminal

from tests.conftest import at_friday
from tests.screens.test_e2e_tmux import wait_until

pytestmark = pytest.mark.e2e
CZECH_SYSTEM = ["CC_TERMINAL_LANG=", "LC_ALL=", "LC_MESSAGES=", "LANG=cs_CZ.UTF-8"]


def czech_terminal(database, data_dir, *before: str) -> Terminal:
    return Terminal(
        [
            f"CC_TERMINAL_DB=sqlite:///{database}",
            f"CC_TERMINAL_DATA_DIR={data_dir}",
            *CZECH_SYSTEM,
            *before,
            sys.executable,
            "-m",
            "cc_terminal",
        ]
    )


def sign_in(terminal: Terminal, username: str, password: str) -> None:
    terminal.wait_for("Přihlaste se ke své pracovní stanici")
    terminal.type(username)
    terminal.keys("Enter")
    terminal.type(password)
    terminal.keys("Enter")


def test_an_incoming_call_in_czech(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    with sqlite3.connect(database) as connection:
        name, e164 = connection.execute(
            "SELECT c.full_name, p.e164 FROM customer c JOIN customer_phone p "
            "ON p.customer_id = c.id ORDER BY c.full_name LIMIT 1"
        ).fetchone()
    terminal = czech_terminal(database, data_dir)
    try:
        sign_in(terminal, "jana", passwords["jana"])
        terminal.wait_for("Jana Svobodová (operátor)")
        terminal.wait_for("Dnes: 0 hovorů")
        terminal.type(e164.removeprefix("+420"))
        terminal.keys("Enter")
        terminal.wait_for(name)
        terminal.wait_for("Ukončit hovor")  # the key bar
        terminal.keys("1")  # the reason list has the focus: its digit picks and moves on
        terminal.type("Zákazník se ptal na fakturu")
        terminal.keys("C-e")
        terminal.wait_for("Ukončit hovor s výsledkem")
        terminal.keys("1")
        terminal.wait_for("Dnes: 1 hovor ")
        screen = terminal.settled()
        assert "Today" not in screen and "Incoming call" not in screen
        terminal.keys("C-q")
        assert wait_until(lambda: not terminal.alive()), "the app did not quit on Ctrl+Q"
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "SELECT c.reason, c.outcome, c.notes FROM call c WHERE c.notes != ''"
        ).fetchall()
    assert stored == [("tariff_question", "resolved", "Zákazník se ptal na fakturu")]


def test_an_outbound_lead_closed_as_a_refusal_in_czech(friday_floor, tmp_path):
    database, password = friday_floor
    terminal = czech_terminal(database, tmp_path, *at_friday())
    try:
        sign_in(terminal, "jana", password)
        terminal.wait_for("zpětné volání na řadě")  # the header's badge
        terminal.keys("F3")
        terminal.wait_for("N vezme další")
        terminal.keys("n")
        terminal.wait_for("Zpětné volání, jehož termín nastal.")
        terminal.keys("C-e")
        terminal.wait_for("Jak hovor skončil?")
        terminal.keys("2")  # not interested
        terminal.wait_for("Proč zákazník odmítl?")
        terminal.keys("1")  # too expensive
        terminal.wait_gone("Jak hovor skončil?")
        screen = terminal.settled()
        assert "Outbound" not in screen and "callback" not in screen
        terminal.keys("C-q")
        assert wait_until(lambda: not terminal.alive()), "the app did not quit on Ctrl+Q"
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        closed = connection.execute(
            "SELECT disposition FROM lead_attempt WHERE at > '2026-11-27'"
        ).fetchall()
        refused = connection.execute(
            "SELECT refusal_reason FROM offer WHERE offered_at > '2026-11-27'"
        ).fetchall()
    assert closed == [("NI",)] and refused == [("too_expensive",)]
