"""Hostile stored text in a real terminal: the demo floor (a Friday afternoon) with every
free-text column poisoned (tests/hostile/hostile_floor.py). The customer `Karel Novák [/]` and a
campaign script holding an OSC title escape, BEL and a clear-screen CSI are drawn as the
characters they are, and the terminal's title never changes."""

import sqlite3

import pytest

from tests.conftest import friday_terminal
from tests.hostile.hostile_floor import NAME, poison_file
from tests.screens.test_e2e_tmux import sign_in, wait_until

pytestmark = pytest.mark.e2e

LITERAL = "[bold]tučně[/bold] [@click=app.quit]klik[/]"


def test_a_hostile_name_and_script_are_drawn_literally(friday_floor, tmp_path):
    database, password = friday_floor
    poison_file(database)
    with sqlite3.connect(database) as connection:
        (phone,) = connection.execute(
            "SELECT e164 FROM customer_phone ORDER BY e164 LIMIT 1"
        ).fetchone()
    terminal = friday_terminal(database, tmp_path)
    try:
        title = terminal.tmux("display", "-p", "-t", "main", "#{pane_title}").stdout
        sign_in(terminal, "jana", password, "1 callback due")
        terminal.keys("F3")
        terminal.wait_for("N takes the next")
        terminal.keys("n")
        terminal.wait_for("Dobrý den ␛]2;PWNED␇␛[2J")  # the script, its escapes as pictures
        assert LITERAL in terminal.screen()
        terminal.keys("Escape")  # the lead given back untouched
        terminal.wait_for("N takes the next")
        terminal.keys("F2")
        terminal.wait_for("Find caller")
        terminal.type(phone.removeprefix("+420"))
        terminal.keys("Enter")
        terminal.wait_for(NAME)
        card = terminal.screen()
        assert LITERAL in card and "␛]2;PWNED␇␛[2J" in card
        assert terminal.tmux("display", "-p", "-t", "main", "#{pane_title}").stdout == title
        assert "PWNED" not in title
        terminal.keys("C-q")
        terminal.wait_for("Quit anyway?")
        terminal.keys("y")
        assert wait_until(lambda: not terminal.alive()), "the app did not quit"
    finally:
        terminal.close()
