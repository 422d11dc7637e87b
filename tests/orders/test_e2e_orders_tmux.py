"""F4 end to end in a real terminal: on the demo floor (a Friday afternoon, libfaketime), an
operator pops a caller, opens an equipment order with Ctrl+W, types the caller's address
from the register, picks the materials, the work and how to pay with the keyboard, books
the first free slot, reads the order back and submits it; on F4 the visit still to come
cannot be reported missed; once its slot has begun (the workstation started again with the
clock faked to then) it is, with one key. The database is checked afterwards, and the
sessions' log is searched for every customer's name, street, e-mail and phone: none may be
in it."""

import re
import sqlite3
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bench.terminal import Terminal

from tests.conftest import friday_terminal
from tests.faked_clock import at_moment
from tests.screens.test_e2e_tmux import sign_in

pytestmark = pytest.mark.e2e
PRAGUE = ZoneInfo("Europe/Prague")


def a_caller_in_the_register(database):
    """A customer whose own address is a point of the demo's register (no order yet)."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT c.id, c.full_name, p.e164, c.city, c.street, c.house_number "
            "FROM customer c JOIN customer_phone p ON p.customer_id = c.id "
            "JOIN address_point a ON a.municipality = c.city AND a.street = c.street "
            "AND CAST(a.house_number AS TEXT) = c.house_number "
            "WHERE c.id NOT IN (SELECT customer_id FROM customer_order) "
            "AND c.full_name NOT LIKE '%.%' ORDER BY c.full_name LIMIT 1"
        ).fetchone()


def test_an_equipment_order_from_a_call_and_a_missed_visit(friday_floor, tmp_path):
    database, password = friday_floor
    customer_id, name, e164, _city, street, _number = a_caller_in_the_register(database)
    terminal = friday_terminal(database, tmp_path)
    try:
        sign_in(terminal, "jana", password, "Today:")
        terminal.type(e164.removeprefix("+420"))
        terminal.keys("Enter")
        terminal.wait_for(name)
        terminal.keys("C-w")
        terminal.wait_for("New order for")
        terminal.keys("2")
        terminal.wait_for("Equipment change, technician visit for")
        # The caller's address is on their card and in the register: filled in, and the
        # form starts at the first material. The rest at full speed, each list by its digit.
        terminal.wait_for("✓ " + street)
        terminal.keys("1")  # the first material
        terminal.type("2")  # two of them
        terminal.keys("Enter", "Enter")  # on, and past the empty rows
        terminal.keys("1", "1")  # the first work; paid by bank transfer
        terminal.keys("F5")
        terminal.wait_for("free slots, the soonest first")
        terminal.keys("Enter")
        terminal.wait_gone("free slots, the soonest first")
        terminal.keys("C-s")
        terminal.wait_for("Read this to the client")
        assert "never cash to the technician" in terminal.settled()
        terminal.keys("Enter")
        terminal.wait_for("scheduled. Visit")
        number = re.search(r"Order (O-[0-9A-F]{8}) scheduled", terminal.screen()).group(1)
        terminal.keys("C-r", "1")  # the call's reason, then end it
        terminal.keys("C-e")
        terminal.wait_for("End the call with an outcome")
        terminal.keys("Enter")  # "order taken", proposed by the order
        terminal.wait_gone("End the call with an outcome")
        the_order_on_f4(terminal, number)
        # The order's keys come with its detail, read in a worker: wait for them to show.
        terminal.wait_for("s Started")
        assert "Visit missed" not in terminal.settled()
        terminal.keys("C-q")
        terminal.wait_gone("Orders")
    finally:
        terminal.close()
    later = terminal_at(database, tmp_path, slot_begun(database, customer_id))
    try:
        sign_in(later, "jana", password, "Today:")
        the_order_on_f4(later, number)
        later.wait_for("m Visit missed")
        later.keys("m")
        later.wait_for("What you told the client")
        later.keys("Enter")
        later.wait_for("Re-booked:")
        later.keys("C-q")
        later.wait_gone("Orders")
    finally:
        later.close()
    with sqlite3.connect(database) as connection:
        kind, status, lines, amount = connection.execute(
            "SELECT kind, status, lines, amount_minor FROM customer_order WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()
        steps = [
            row[0]
            for row in connection.execute(
                "SELECT e.to_status FROM order_event e JOIN customer_order o "
                "ON o.id = e.order_id WHERE o.customer_id = ? ORDER BY e.seq",
                (customer_id,),
            )
        ]
        priority = connection.execute(
            "SELECT priority FROM customer WHERE id = ?", (customer_id,)
        ).fetchone()
    assert (kind, status) == ("equipment", "rescheduled")
    assert steps == ["submitted", "scheduled", "missed", "rescheduled"]
    assert '"quantity": 2' in lines and amount > 0 and priority == (1,)
    assert_the_log_holds_no_personal_data(tmp_path / "cc-terminal.log", database, password)


def the_order_on_f4(terminal, number: str) -> None:
    """F4, the order searched by its number, its detail shown (the keys act on it now)."""
    terminal.keys("F4")
    terminal.wait_for("F toggles mine")
    terminal.type("/")
    terminal.type(number)
    terminal.keys("Enter")
    terminal.wait_for("1 order, everyone's")
    terminal.wait_for(f"{number}  Equipment")


def slot_begun(database: Path, customer_id: str) -> datetime:
    """A minute after the customer's visit's slot began (UTC)."""
    with sqlite3.connect(database) as connection:
        day, slot = connection.execute(
            "SELECT visit_day, visit_slot FROM customer_order WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()
    start = datetime.combine(date.fromisoformat(day), time.fromisoformat(slot[:5]), PRAGUE)
    return (start + timedelta(minutes=1)).astimezone(UTC)


def terminal_at(database: Path, data_dir: Path, moment: datetime) -> Terminal:
    """The workstation on the same floor, its clock faked to ``moment`` (UTC)."""
    faked = at_moment(f"@{moment:%F %T}")
    where = [f"CC_TERMINAL_DB=sqlite:///{database}", f"CC_TERMINAL_DATA_DIR={data_dir}"]
    return Terminal([*where, *faked, sys.executable, "-m", "cc_terminal"])


def assert_the_log_holds_no_personal_data(log: Path, database: Path, password: str) -> None:
    """The whole session's log names the operator and what happened, never a customer
    (nor the password she typed)."""
    text = log.read_text(encoding="utf-8")
    assert password not in text
    assert log.stat().st_mode & 0o777 == 0o600
    assert "workstation started" in text and "signed in: jana (operator)" in text
    with sqlite3.connect(database) as connection:
        people = connection.execute("SELECT full_name, street, email FROM customer").fetchall()
        numbers = [row[0] for row in connection.execute("SELECT e164 FROM customer_phone")]
    personal = {value for row in people for value in row if value and len(value) > 3}
    personal |= {number for number in numbers} | {number[4:] for number in numbers}
    assert not [value for value in personal if value in text]
