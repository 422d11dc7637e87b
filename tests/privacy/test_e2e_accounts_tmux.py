"""The team lead's Accounts tab in a real terminal on the demo floor (a Friday afternoon):
F10, U, a few letters of a leaver's name, Down, X, the colleague who takes over, Ctrl+S.
The database is checked: the account is deactivated, its open leads are the colleague's,
the deactivation is audited with what moved."""

import sqlite3

import pytest

from tests.conftest import friday_terminal
from tests.screens.test_e2e_tmux import sign_in
from tests.tally.test_e2e_tally_tmux import password_of

pytestmark = pytest.mark.e2e

OPEN_LEADS = (
    "SELECT count(*) FROM lead JOIN operator o ON o.id = lead.assigned_to"
    " WHERE o.username = ? AND lead.status IN ('open', 'callback', 'calling')"
)


def test_a_leaver_is_deactivated_and_her_leads_go_to_a_colleague(friday_floor, tmp_path):
    database, _password = friday_floor
    with sqlite3.connect(database) as connection:
        petrs, janas = (
            connection.execute(OPEN_LEADS, (u,)).fetchone()[0] for u in ("petr", "jana")
        )
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "vedouci", password_of(database, "vedouci"), "My escalations")
        terminal.keys("F10")
        terminal.wait_for("Audit trail")
        terminal.keys("u")
        terminal.wait_for("To the list")  # the key bar once the filter has the cursor
        terminal.type("dvor")
        terminal.wait_for("Petr Dvořák")
        terminal.keys("Down")
        terminal.wait_for("Deactivate ")  # the list's keys
        terminal.keys("x")
        terminal.wait_for("Deactivate petr (Petr Dvořák)?")
        terminal.type("jana")
        terminal.wait_for("go to jana (Jana Svobodová)")
        terminal.keys("C-s")
        terminal.wait_for("Deactivated;")
        terminal.keys("C-q")
        terminal.wait_gone("Accounts")
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        active = connection.execute("SELECT active FROM operator WHERE username = 'petr'")
        assert active.fetchone() == (0,)
        assert connection.execute(OPEN_LEADS, ("petr",)).fetchone() == (0,)
        assert connection.execute(OPEN_LEADS, ("jana",)).fetchone() == (janas + petrs,)
        event = connection.execute(
            "SELECT subject, detail FROM audit_event WHERE kind = 'account.deactivated'"
        ).fetchone()
    assert event[0] == "petr" and event[1].startswith(f"handover=jana leads={petrs} ")
