"""The privacy screens in a real terminal on the demo floor (a Friday afternoon): an
operator's screen locks after the idle time and opens with her password, the call screen
as it was; the team lead reads the audit trail (her colleague's lock is in it), answers a
data protection request for a caller with Ctrl+E and erases them with Ctrl+X; an account
she adds chooses its own password at its first sign-in. The database is checked."""

import json
import sqlite3
import uuid

import pytest

from tests.cli_run import cli
from tests.conftest import friday_terminal
from tests.screens.test_e2e_tmux import sign_in
from tests.tally.test_e2e_tally_tmux import password_of

pytestmark = pytest.mark.e2e


def a_caller(database):
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT c.id, c.full_name, p.e164 FROM customer c "
            "JOIN customer_phone p ON p.customer_id = c.id "
            "WHERE c.full_name NOT LIKE '%.%' ORDER BY c.full_name LIMIT 1"
        ).fetchone()


def test_the_lock_the_audit_trail_and_an_erasure(friday_floor, tmp_path):
    database, password = friday_floor
    raw_id, name, e164 = a_caller(database)
    terminal = friday_terminal(database, tmp_path, "CC_TERMINAL_IDLE_LOCK_MINUTES=0.05")
    try:
        # Three idle seconds after the sign-in the screen locks: on a loaded machine before
        # the call screen has painted, so the lock is the state to wait for.
        sign_in(terminal, "jana", password, "was away. Type your password")
        terminal.keys("F3")  # nothing gets past the lock
        terminal.type(password)
        terminal.keys("Enter")
        terminal.wait_for("Find caller")  # the call screen as it was
        terminal.keys("C-q")
        terminal.wait_gone("Find caller")
    finally:
        terminal.close()
    # The team lead's terminal keeps the usual ten idle minutes: her steps may take longer
    # than the operator's three seconds under load.
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "vedouci", password_of(database, "vedouci"), "My escalations")
        terminal.keys("F10")
        terminal.wait_for("Audit trail")
        terminal.keys("t")
        terminal.wait_for("the newest first")
        assert "screen unlocked" in terminal.settled() and "jana" in terminal.settled()
        terminal.keys("Escape")
        terminal.wait_gone("the newest first")
        terminal.keys("p")
        terminal.wait_for("Find the customer the request is about")
        terminal.type(e164.removeprefix("+420"))
        terminal.keys("Enter")
        terminal.wait_for("1 customer.")
        terminal.keys("C-e")
        terminal.wait_for("Everything held about")
        terminal.keys("Enter")
        terminal.wait_for("records to")
        terminal.keys("C-x")
        terminal.wait_for("The request's reference")
        terminal.type("GDPR 2026/42")
        terminal.keys("Enter")
        terminal.wait_for("is erased")
        terminal.keys("C-q")
        terminal.wait_gone("Data protection")
    finally:
        terminal.close()
    lead_password = password_of(database, "vedouci")
    added = cli(
        tmp_path,
        "user",
        "add",
        "nova",
        "--full-name",
        "Eva Nová",
        "--as",
        "vedouci",
        "--password-stdin",
        stdin=f"{lead_password}\ngiven-by-lead\n",
        db=f"sqlite:///{database}",
    )
    assert added.returncode == 0, added.stderr
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "nova", "given-by-lead", "Choose your own password")
        terminal.type("evas-own-pass")
        terminal.keys("Enter")
        terminal.type("evas-own-pass")
        terminal.keys("Enter")
        terminal.wait_for("Today:")
        terminal.keys("C-q")
        terminal.wait_gone("Today:")
    finally:
        terminal.close()
    exported = json.loads((tmp_path / f"customer-{uuid.UUID(raw_id).hex[-8:]}.json").read_text())
    assert exported["customer"][0]["full_name"] == name
    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "SELECT full_name, erased_at IS NOT NULL FROM customer WHERE id = ?", (raw_id,)
        ).fetchone()
        reason = connection.execute(
            "SELECT detail FROM audit_event WHERE kind = 'customer.erased'"
        ).fetchone()
    assert stored == ("(erased)", 1) and reason == ("GDPR 2026/42",)
