"""The phone in a real terminal (tmux, the real command on the demo floor): a real SIP
call from a customer's baresip to the operator's pops the caller's card; the operator's
softphone answers, the customer hangs up, and the phone call is stored answered with its
times; baresip killed and started again is said in the header and the link comes back.
And `cc-terminal ring` from another shell pops the running workstation."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest
from bench.terminal import Terminal

from tests.cli_run import cli_process
from tests.phone.conftest import Softphone
from tests.screens.test_e2e_tmux import sign_in

pytestmark = pytest.mark.e2e


def known_caller(database: Path) -> tuple[str, str]:
    """A customer of the demo floor with a number only they have: name, E.164."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT c.full_name, p.e164 FROM customer c JOIN customer_phone p "
            "ON p.customer_id = c.id WHERE p.e164 IN (SELECT e164 FROM customer_phone "
            "GROUP BY e164 HAVING count(DISTINCT customer_id) = 1) ORDER BY c.full_name LIMIT 1"
        ).fetchone()


def workstation(data_dir: Path, softphone: str = "") -> Terminal:
    database = data_dir / "demo.sqlite3"
    return Terminal(
        [
            f"CC_TERMINAL_DB=sqlite:///{database}",
            f"CC_TERMINAL_DATA_DIR={data_dir}",
            "CC_TERMINAL_PHONE_EXTENSION=101",
            f"CC_TERMINAL_SOFTPHONE={softphone}",
            sys.executable,
            "-m",
            "cc_terminal",
        ]
    )


def header_says(terminal: Terminal, words: str, without: str = "", within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while True:
        top = terminal.screen().splitlines()[0]
        if words in top and not (without and without in top):
            return
        assert time.monotonic() < deadline, f"the header never said {words!r}: {top}"
        time.sleep(0.02)


def phone_call(database: Path) -> tuple[object, ...]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT answered_at IS NOT NULL, ended_at IS NOT NULL, end_reason FROM phone_call"
        ).fetchone()


def test_a_real_sip_call_pops_the_card_and_is_timed(demo_floor, tmp_path):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    name, number = known_caller(database)
    customer = Softphone(tmp_path / "customer", number).start()
    operator = Softphone(tmp_path / "operator", "op101").start()
    terminal = workstation(data_dir, operator.address)
    try:
        sign_in(terminal, "jana", passwords["jana"], "Today: ")
        header_says(terminal, "☎ 101", without="softphone")  # connected
        customer.dial(operator)
        terminal.wait_for(name)
        operator.press("a")  # the operator answers on the softphone
        customer.command("hangup")
        deadline = time.monotonic() + 30
        while phone_call(database) != (1, 1, "answered"):
            assert time.monotonic() < deadline, phone_call(database)
            time.sleep(0.05)
        operator.stop()
        header_says(terminal, "reconnecting")
        operator.start()
        header_says(terminal, "☎ 101", without="softphone")
    finally:
        terminal.close()
        customer.stop()
        operator.stop()


def test_cc_terminal_ring_pops_the_running_workstation(demo_floor):
    data_dir, passwords = demo_floor
    name, number = known_caller(data_dir / "demo.sqlite3")
    terminal = workstation(data_dir)
    try:
        sign_in(terminal, "jana", passwords["jana"], "Today: ")
        terminal.keys("F5")
        terminal.wait_for("Tally")
        stdin = passwords["vedouci"] + "\n"
        db = f"sqlite:///{data_dir / 'demo.sqlite3'}"
        rang = cli_process(
            data_dir, "ring", number, "--extension", "101", "--as", "vedouci",
            "--password-stdin", stdin=stdin, db=db,
        )  # fmt: skip
        assert rang.returncode == 0 and rang.stderr == "", rang.stderr
        terminal.wait_for(name)
    finally:
        terminal.close()
