"""The tally end to end in a real terminal, on the demo floor (a Friday afternoon): an
operator pauses for lunch with Ctrl+B and comes back, claims a sale with Ctrl+Y typed at speed,
finds it on F5 as a claim with no record; the team lead, signed in on the same terminal
afterwards, accepts the dispute with a note. The database is checked afterwards."""

import sqlite3

import pytest

from tests.conftest import friday_terminal
from tests.screens.test_e2e_tmux import sign_in

pytestmark = pytest.mark.e2e


def password_of(database, username):
    accounts = (database.parent / "accounts.txt").read_text()
    return next(line.split()[2] for line in accounts.splitlines() if f" {username} " in line)


def test_a_pause_a_claim_and_the_lead_accepting_it(friday_floor, tmp_path):
    database, password = friday_floor
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "jana", password, "Today:")
        terminal.keys("C-b")
        terminal.wait_for("Pause: why?")
        terminal.keys("2")
        terminal.wait_for("Lunch (unpaid) since 14:00")
        terminal.keys("C-b")
        terminal.wait_gone("Lunch (unpaid) since")
        terminal.keys("C-y")  # the search field has the focus and takes + as typed
        terminal.wait_for("Claim a success")
        # Typed without waiting: Tab to the amount, the amount, Ctrl+S.
        terminal.keys("Tab")
        terminal.type("1234,50")
        terminal.keys("C-s")
        terminal.wait_for("Claim added to your tally")
        terminal.keys("F5")
        terminal.wait_for("Calls handled")
        terminal.keys("4")
        terminal.wait_for("234,50")
        assert "waits for a team lead" in terminal.settled()
        terminal.keys("C-o")
        terminal.wait_for("Sign in to your workstation")
        sign_in(terminal, "vedouci", password_of(database, "vedouci"), "My escalations")
        terminal.keys("F5")
        terminal.wait_for("9 QA forms")
        terminal.keys("7")
        terminal.wait_for("234,50")
        # The demo's own claim with no record (599 Kč, an hour earlier) is first.
        terminal.keys("Down", "y")
        terminal.wait_for("Accept: Jana")
        terminal.type("Confirmed in billing")
        terminal.keys("C-s")
        terminal.wait_for("accepted: Confirmed in")
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        claim = connection.execute(
            "SELECT c.amount_minor, d.accepted, d.note FROM tally_claim c "
            "JOIN dispute_decision d ON d.claim_id = c.id WHERE c.amount_minor = 123450"
        ).fetchone()
        pauses = connection.execute(
            "SELECT reason, ended_at IS NOT NULL FROM work_pause WHERE started_at >= '2026-11-27'"
        ).fetchall()
        sessions = connection.execute(
            "SELECT count(*) FROM work_session WHERE started_at >= '2026-11-27 13:00'"
        ).fetchone()[0]
    assert claim == (123450, 1, "Confirmed in billing")
    assert ("lunch", 1) in pauses
    assert sessions == 2  # Jana's, closed at sign-out, and the lead's
