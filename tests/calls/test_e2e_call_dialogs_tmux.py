"""The call's two newest dialogs in a real terminal: the ledger entry opened whole with
Enter, and the question before Escape throws a typed form away. The database is checked
afterwards: a form thrown away stores nothing, one kept and saved stores what was typed."""

import sqlite3

import pytest

from tests.screens.test_e2e_tmux import sign_in, workstation

pytestmark = pytest.mark.e2e


def newest_request_of_someone(database):
    """A caller whose newest ledger entry is a request with a step (no call, order or
    escalation since): its dialog has a history. The demo's data depend on the hour it is
    made, so a request without steps may be the newest of all. Its creation is an event
    too, from no status, and the ledger shows it as the request itself, not as a step."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT p.e164, r.summary FROM service_request r "
            "JOIN customer_phone p ON p.customer_id = r.customer_id "
            "WHERE r.created_at = (SELECT MAX(created_at) FROM service_request "
            "  WHERE customer_id = r.customer_id) "
            "AND NOT EXISTS (SELECT 1 FROM call c WHERE c.customer_id = r.customer_id "
            "  AND c.started_at > r.created_at) "
            "AND NOT EXISTS (SELECT 1 FROM customer_order o WHERE o.customer_id = r.customer_id) "
            "AND NOT EXISTS (SELECT 1 FROM escalation e WHERE e.customer_id = r.customer_id) "
            "AND EXISTS (SELECT 1 FROM request_event s WHERE s.request_id = r.id "
            "  AND s.from_status != '') "  # a step; the request's creation is not one
            "ORDER BY r.created_at DESC LIMIT 1"
        ).fetchone()


def summaries(database, like):
    with sqlite3.connect(database) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT summary FROM service_request WHERE summary LIKE ?", (like,)
            )
        ]


def test_enter_opens_the_ledger_entry_whole_and_escape_asks_before_a_form_is_lost(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    e164, summary = newest_request_of_someone(database)
    terminal = workstation(data_dir)
    try:
        sign_in(terminal, "jana", passwords["jana"], "Today: ")
        terminal.type(e164.removeprefix("+420"))
        terminal.keys("Enter")
        terminal.wait_for("Phones:")
        terminal.keys("C-l")  # the ledger, its newest entry first
        terminal.keys("Enter")
        terminal.wait_for("Its history, oldest first:")
        # The request's summary in its history: its first words (the dialog wraps it).
        assert " ".join(summary.split()[:2]) in terminal.settled()
        terminal.keys("Escape")
        terminal.wait_gone("Its history, oldest first:")

        terminal.keys("C-t")  # a request, its category picked by digit, a summary typed
        terminal.wait_for("Choose a category")
        terminal.keys("2")
        terminal.wait_gone("Choose a category")
        terminal.type("Router blinks red")
        terminal.keys("Escape")
        terminal.wait_for("Throw away what you typed?")
        terminal.keys("n")  # back, with the typing kept
        terminal.wait_gone("Throw away what you typed?")
        assert "Router blinks red" in terminal.settled()
        terminal.keys("Escape")
        terminal.wait_for("Throw away what you typed?")
        terminal.keys("y")
        terminal.wait_gone("Router blinks red")
        terminal.wait_for("Phones:")
    finally:
        terminal.close()
    assert summaries(database, "Router blinks%") == []
