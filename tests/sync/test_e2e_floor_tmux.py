"""Two real workstations in tmux, each on its own SQLite store, syncing through one floor
folder: an escalation raised by the operator at one reaches the team lead at the other
within 5 seconds, and both headers say the floor is synced."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from bench.terminal import Terminal

from tests.conftest import PASSWORDS
from tests.screens.test_e2e_tmux import sign_in
from tests.sync.kit import Floor, notes_conflict

pytestmark = pytest.mark.e2e


def _workstation(floor: Floor, name: str) -> Terminal:
    data_dir = floor.root / name
    return Terminal(
        [
            f"CC_TERMINAL_DB=sqlite:///{data_dir / 'cc-terminal.sqlite3'}",
            f"CC_TERMINAL_DATA_DIR={data_dir}",
            f"CC_TERMINAL_SYNC_DIR={floor.folder}",
            sys.executable,
            "-m",
            "cc_terminal",
        ]
    )


def test_an_escalation_crosses_the_floor_folder_within_5_seconds(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    floor.add("one", seed=True)
    floor.add("two")
    floor.settle()
    floor.close()
    lead, operator = _workstation(floor, "one"), _workstation(floor, "two")
    try:
        sign_in(lead, "lead", PASSWORDS["lead"], "My escalations")
        sign_in(operator, "jana", PASSWORDS["jana"], "Today: 0 calls")
        lead.wait_for("synced", timeout=10)
        operator.wait_for("synced", timeout=10)
        operator.type("novak praha")
        operator.keys("Enter")
        operator.wait_for("Callers matching")
        operator.keys("Enter")
        operator.wait_for("Phones:")
        operator.keys("C-n")
        operator.type("Wants a manager")
        operator.keys("F12")
        operator.wait_for("Escalated")
        raised = time.perf_counter()
        lead.wait_for("▲ 1 ", timeout=5)
        print(f"escalation crossed the floor in {time.perf_counter() - raised:.2f} s")
        lead.keys("F7")
        lead.wait_for("Wants a manager")
    finally:
        lead.close()
        operator.close()
    with sqlite3.connect(tmp_path / "one" / "cc-terminal.sqlite3") as connection:
        notes = connection.execute("SELECT notes FROM escalation").fetchall()
    assert notes == [("Wants a manager",)]


def test_a_lead_decides_a_conflict_with_f11_in_a_real_terminal(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    t1, customer = notes_conflict(floor)
    floor.close()
    with sqlite3.connect(t1.db_path) as connection:
        losing = json.loads(connection.execute("SELECT value FROM sync_conflict").fetchone()[0])
    lead = _workstation(floor, t1.name)
    try:
        sign_in(lead, "lead", PASSWORDS["lead"], "My escalations")
        lead.wait_for("1 conflict to resolve · F11", timeout=10)
        lead.keys("F11")
        lead.wait_for("Losing value")
        lead.wait_for(losing[:20])  # the list has arrived (a key before it acts on nothing)
        lead.keys("l")  # take the losing value
        lead.wait_for("No conflicts to resolve.")
        lead.keys("Escape")
        lead.wait_for("synced", timeout=10)
    finally:
        lead.close()
    with sqlite3.connect(t1.db_path) as connection:
        notes = connection.execute(
            "SELECT notes FROM customer WHERE id = ?", (customer.hex,)
        ).fetchone()[0]
        decided = connection.execute("SELECT count(*) FROM conflict_resolution").fetchone()[0]
    assert notes == losing
    assert decided == 1
