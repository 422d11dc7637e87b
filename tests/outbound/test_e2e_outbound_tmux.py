"""F3 end to end in a real terminal: the real CLI builds the demo floor and runs the
workstation in tmux on a Friday afternoon (libfaketime sets the wall clock: calls are legal
only in the calling window, never on Sundays), keys go in, and the database is checked."""

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import friday_terminal
from tests.screens.test_e2e_tmux import sign_in, wait_until

pytestmark = pytest.mark.e2e


def test_take_the_due_callback_then_close_the_next_lead_as_a_refusal(friday_floor, tmp_path):
    database, password = friday_floor
    with sqlite3.connect(database) as connection:
        (callback_name,) = connection.execute(
            "SELECT c.full_name FROM lead l JOIN customer c ON c.id = l.customer_id "
            "WHERE l.status = 'callback'"
        ).fetchone()
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "jana", password, "1 callback due")
        terminal.keys("F3")
        terminal.wait_for("N takes the next")
        terminal.keys("n")
        terminal.wait_for("callback that is due.")
        assert callback_name in terminal.settled()
        assert "Existing customer who has not" in terminal.settled()
        terminal.keys("C-e")
        terminal.wait_for("How did it end?")
        terminal.keys("1")  # success: saved at once
        terminal.wait_gone("How did it end?")
        terminal.wait_gone("1 callback due")
        terminal.wait_for("N takes the next")  # back on the list
        terminal.keys("n")
        terminal.wait_gone("N takes the next")  # the next lead's card replaced the list
        terminal.wait_for("Talk 00:0")
        terminal.keys("C-e")
        terminal.wait_for("How did it end?")
        terminal.keys("2")  # not interested
        terminal.wait_for("Why did they refuse?")
        terminal.keys("1")  # too expensive: a final outcome, saved at once
        terminal.wait_gone("How did it end?")
        terminal.keys("C-q")
        assert wait_until(lambda: not terminal.alive()), "the app did not quit on Ctrl+Q"
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        closed = connection.execute(
            "SELECT c.full_name, a.disposition, l.status FROM lead_attempt a "
            "JOIN lead l ON l.id = a.lead_id JOIN customer c ON c.id = l.customer_id "
            "JOIN operator o ON o.id = a.operator_id "
            "WHERE o.username = 'jana' AND a.at > '2026-11-27' ORDER BY a.at"
        ).fetchall()
        offers = connection.execute(
            "SELECT p.code, o.accepted, o.refusal_reason FROM offer o "
            "JOIN product p ON p.id = o.product_id "
            "WHERE o.offered_at > '2026-11-27' ORDER BY o.offered_at"
        ).fetchall()
    assert closed[0] == (callback_name, "SALE", "done")
    assert [(d, s) for _name, d, s in closed[1:]] == [("NI", "done")]
    # The callback sold the campaign's tariff; the next lead (a re-offer of the cheapest
    # tariff, or the winter campaign's) refused its product as too expensive.
    assert offers[0] == ("MOB-M", 1, "")
    assert offers[1][0] in {"MOB-M", "MOB-S"} and offers[1][1:] == (0, "too_expensive")


def test_a_team_lead_imports_a_lead_file_from_setup(friday_floor, tmp_path):
    database, _password = friday_floor
    lead_password = next(
        line.split()[2]
        for line in (tmp_path / "accounts.txt").read_text().splitlines()
        if " vedouci " in line
    )
    sample = Path(__file__).parents[2] / "data" / "samples" / "leads-winter.csv"
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "vedouci", lead_password, "(team lead)")
        terminal.keys("F10")
        terminal.wait_for("1 Catalogue")  # the other tabs by their keys: all do not fit
        terminal.keys("7")
        terminal.wait_for("7 Campaigns")
        terminal.wait_for("zimni-tarify")
        terminal.keys("i")
        terminal.wait_for("Import leads into")
        terminal.type(str(sample))
        terminal.keys("C-r")
        terminal.wait_for("Check where each column goes")
        terminal.keys("C-s")
        terminal.wait_for("rejected: ")
        assert "line 7: phone “12345”" in terminal.settled()
        terminal.keys("Escape")
        terminal.wait_gone("Import leads into")
        terminal.keys("C-q")
        assert wait_until(lambda: not terminal.alive()), "the app did not quit on Ctrl+Q"
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        (added,) = connection.execute(
            "SELECT count(*) FROM lead l JOIN lead_list ll ON ll.id = l.list_id "
            "WHERE ll.name = 'leads-winter.csv'"
        ).fetchone()
    assert added == 3
