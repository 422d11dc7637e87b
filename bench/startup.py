"""Start to first frame in a real terminal, beside a bare Textual app in the same run;
sign-in to data on screen; and resident memory with a large database open."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import OPERATOR, PASSWORD, sample_phones
from bench.pops import Resident, resident
from bench.terminal import Terminal, end_call
from cc_terminal.store.password_cost import CHEAP_ENV

BARE = [sys.executable, "-m", "bench.bare_app"]


DRAFTS = Path(tempfile.mkdtemp(prefix="cc-bench-"))


def app_command(path: Path) -> list[str]:
    """A terminal's everyday start: plain ``cc-terminal``, configured by the environment."""
    return [
        "env",
        # Argon2 at production cost: bench.chat_floor imports the tests' conftest, which
        # makes it cheap for this process and every process it starts; the sign-in's key
        # derivation then took under a millisecond (and opened no key) instead of about
        # 110 ms beside the password's check
        f"--unset={CHEAP_ENV}",
        f"CC_TERMINAL_DB=sqlite:///{path}",
        f"CC_TERMINAL_DATA_DIR={DRAFTS}",  # a fresh folder: no draft left by an earlier run
        sys.executable,
        "-m",
        "cc_terminal",
    ]


def first_frame(command: list[str], text: str) -> float:
    terminal = Terminal(command)
    try:
        return terminal.wait_for(text)
    finally:
        terminal.close()


def compare_first_frames(path: Path, runs: int = 7) -> tuple[float, float]:
    """Median seconds to first frame: (cc-terminal, bare app), runs interleaved."""
    ours, bare = [], []
    for _run in range(runs):
        bare.append(first_frame(BARE, "Bare Textual app ready"))
        ours.append(first_frame(app_command(path), "Sign in to your workstation"))
    return statistics.median(ours), statistics.median(bare)


def account_at_production_cost(path: Path) -> None:
    """The bench operator's password hash and key seal at production's Argon2 cost, as a
    person's are. The data set is made at the tests' cheap cost (bench.run imports their
    conftest), and a terminal at production cost rehashes the password at the first
    sign-in but cannot open a key sealed at another cost, so every later sign-in would pay
    a second run for a key it never opens. Signing in once at the cheap cost opens the key
    and reseals it with the hash; once more at production's, both move to that cost."""
    import os

    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation

    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=DRAFTS))
    cheap = os.environ.get(CHEAP_ENV)
    try:
        os.environ[CHEAP_ENV] = "1"
        ws.auth.login(OPERATOR, PASSWORD)
        os.environ.pop(CHEAP_ENV)
        ws.auth.login(OPERATOR, PASSWORD)
    finally:
        if cheap is not None:
            os.environ[CHEAP_ENV] = cheap
        ws.close()


# A fast typist's pace: the name and the password take a person a second or two. Typed
# in one go, they reached the terminal within milliseconds of "Database ready", while the
# work a terminal does as the person types (composing F2's screen, warming today's
# statements) was still running, and the Enter waited for it.
KEY_SECONDS = 0.08


def type_at_a_persons_pace(terminal: Terminal, text: str) -> None:
    for char in text:
        terminal.type(char)
        time.sleep(KEY_SECONDS)


def sign_in(terminal: Terminal) -> float:
    """Sign the bench operator in once the database is open, the name and the password
    typed at a person's pace; seconds from Enter on the password to today's figures on
    screen."""
    terminal.wait_for("Database ready")
    type_at_a_persons_pace(terminal, OPERATOR)
    terminal.keys("Enter")
    type_at_a_persons_pace(terminal, PASSWORD)
    started = time.perf_counter()
    terminal.keys("Enter")
    terminal.wait_for("calls ·")
    return time.perf_counter() - started


def more_sign_ins(path: Path, runs: int = 5) -> list[float]:
    """Seconds of ``sign_in`` in fresh terminals, one each: one sign-in's figure varies
    by a factor of two with what else the machine does in that second."""
    taken = []
    for _run in range(runs):
        terminal = Terminal(app_command(path))
        try:
            taken.append(sign_in(terminal))
        finally:
            terminal.close()
    return taken


def sign_in_and_look_up(path: Path, pops: int = 5) -> tuple[float, float, Resident]:
    """Seconds from Enter on the password to today's figures on screen; the median seconds
    from Enter on a number to the caller's name on screen; resident memory (KiB) after the
    calls, its heap and its file-backed pages apart."""
    terminal = Terminal(app_command(path))
    try:
        signed_in = sign_in(terminal)
        popped = [_pop_and_end(terminal, phone) for phone in sample_phones(path, pops, seed=99)]
        return signed_in, statistics.median(popped), resident(terminal.pid())
    finally:
        terminal.close()


def _pop_and_end(terminal: Terminal, phone: str) -> float:
    terminal.type(phone)
    started = time.perf_counter()
    terminal.keys("Enter")
    terminal.wait_for("Phones:")
    popped = time.perf_counter() - started
    end_call(terminal)
    return popped
