"""F6 end to end in a real terminal on the demo floor (a Friday afternoon): an operator asks
for Saturday of the week after next off and submits it with keys typed at speed; the team
lead, on the same terminal after her, approves it from the review queue, solves the week,
publishes it, and the published roster keeps her Saturday off. The database is checked."""

import sqlite3

import pytest

from tests.conftest import friday_terminal
from tests.screens.test_e2e_tmux import sign_in, wait_until
from tests.tally.test_e2e_tally_tmux import password_of

pytestmark = pytest.mark.e2e


def approving(screen: str) -> str:
    """The review queue's preview line: whose request the highlighted row is."""
    return next((line for line in screen.splitlines() if "Approving " in line), "")


def test_a_day_off_asked_approved_solved_and_published(friday_floor, tmp_path):
    database, password = friday_floor
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "jana", password, "Today:")
        terminal.keys("F6")
        terminal.wait_for("Sun 13.12.")
        terminal.keys(*["Down"] * 12, "o")  # Sat 12.12.
        terminal.wait_for("Off on Saturday 12.12.2026")
        terminal.keys("C-s")  # the whole day, priority 2, no note: stored as a draft
        terminal.wait_for("Kept as a draft.")
        # A key typed while the form is still closing goes to the form (found here, under
        # load): wait, as the operator does, until it has gone.
        terminal.wait_gone("Off on Saturday")
        terminal.keys("C-s")  # at once, while the table may still be reloading
        terminal.wait_for("Submitted 1 request.")
        terminal.wait_for("submitted")
        terminal.keys("C-o")
        terminal.wait_for("Sign in to your workstation")
        sign_in(terminal, "vedouci", password_of(database, "vedouci"), "My escalations")
        terminal.keys("F6")
        terminal.wait_for("4 Roster")
        terminal.keys("2", "]")
        terminal.wait_for("moving house")  # the demo's own requests are in the queue too
        shown = ""
        for _row in range(6):  # down the queue to hers, as a team lead reads it
            # Each row's preview is read in a worker: wait for it to follow the cursor.
            assert wait_until(lambda was=shown: approving(terminal.screen()) not in ("", was))
            shown = approving(terminal.screen())
            if "Approving Jana" in shown:
                break
            terminal.keys("Down")
        assert "Approving Jana" in shown
        terminal.keys("a")
        terminal.wait_gone("Approving Jana")  # decided: out of the queue
        terminal.keys("4", "s")
        terminal.wait_for("Roster: draft.")
        terminal.keys("p")
        terminal.wait_for("Roster: published.")
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        state = connection.execute(
            "SELECT r.state FROM day_off_request r JOIN operator o ON o.id = r.operator_id "
            "WHERE o.username = 'jana' AND r.day = '2026-12-12'"
        ).fetchone()
        published = connection.execute(
            "SELECT state FROM roster WHERE week_start = '2026-12-07'"
        ).fetchone()
        saturday = connection.execute(
            "SELECT c.shift FROM roster_cell c JOIN operator o ON o.id = c.operator_id "
            "WHERE o.username = 'jana' AND c.day = '2026-12-12'"
        ).fetchone()
    assert state == ("approved",) and published == ("published",) and saturday == ("",)
