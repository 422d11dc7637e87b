"""A missed call's callback end to end in real terminals (tmux, the real command on the demo
floor): `cc-terminal ring ... --hangup` leaves a call nobody answered; the team lead on F7,
5 gives its callback to Jana; Jana's header counts it (☏ 1), F7, 6 and C open F2 on the
caller's card, she saves the call, and the database has the callback done, linked to her
call. Every step waits for what the screen or the database shows."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli_run import cli_process
from tests.phone.test_e2e_phone_tmux import known_caller, workstation
from tests.screens.test_e2e_tmux import sign_in

pytestmark = pytest.mark.e2e


def stored(database: Path, sql: str) -> tuple[object, ...] | None:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()


def until(done: Callable[[], bool], what: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def ring_unanswered(data_dir: Path, number: str, password: str) -> None:
    db = f"sqlite:///{data_dir / 'demo.sqlite3'}"
    for ending in ([], ["--hangup"]):
        rang = cli_process(
            data_dir, "ring", number, "--extension", "101", *ending, "--as", "vedouci",
            "--password-stdin", stdin=password + "\n", db=db,
        )  # fmt: skip
        assert rang.returncode == 0, rang.stderr


def test_a_lead_gives_a_callback_and_the_operator_makes_it(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    name, number = known_caller(database)
    (jana_name,) = stored(database, "SELECT full_name FROM operator WHERE username = 'jana'")
    ring_unanswered(data_dir, number, passwords["vedouci"])
    assert stored(database, "SELECT end_reason FROM phone_call") == ("abandoned",)
    lead, operator = workstation(data_dir), workstation(data_dir)
    try:
        sign_in(lead, "vedouci", passwords["vedouci"], "Queues")
        lead.keys("5")
        lead.wait_for(name)  # the caller's card has the number
        lead.keys("Enter")  # G: give the highlighted (the only) missed call
        lead.wait_for(str(jana_name))
        lead.type(str(jana_name))
        lead.keys("Enter")
        given = (
            "SELECT o.username FROM phone_call p JOIN operator o ON o.id = p.callback_operator_id"
        )
        until(lambda: stored(database, given) == ("jana",), "the callback was never given")
        sign_in(operator, "jana", passwords["jana"], "Today: ")
        operator.wait_for("☏ 1")
        operator.keys("F7")
        operator.wait_for("My callbacks")
        operator.keys("6")
        operator.wait_for("callback for you")
        operator.keys("c")
        operator.wait_for("^e End call")  # F2's key bar while a call is open
        operator.keys("C-r", "1", "C-e")
        operator.wait_for("End the call with an outcome")
        operator.keys("1")
        done = "SELECT callback_done_at IS NOT NULL, callback_call_id IS NOT NULL FROM phone_call"
        until(lambda: stored(database, done) == (1, 1), "the callback was never marked done")
        linked = stored(
            database,
            "SELECT c.direction FROM call c JOIN phone_call p ON p.callback_call_id = c.id",
        )
        assert linked == ("out",)
        until(lambda: "☏" not in operator.screen().splitlines()[0], "the badge stayed")
    finally:
        lead.close()
        operator.close()
