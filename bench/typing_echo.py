"""Typing under load, in a real terminal: each key is sent to tmux on its own and timed until
it is on the screen (its echo), while the app is busy.

- ledger: the notes of a call whose customer has 500 ledger entries, typed right after the pop;
- search: the find field, with a customer search started (Enter) before each key, which the
  key must cancel rather than wait for;
- import: the notes, while another process imports 60,000 catalogue items into the same
  database.

Afterwards the stored call's notes must equal what was typed: no key lost or reordered."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import HEAVY_PHONE, PASSWORD
from bench.startup import app_command, sign_in
from bench.table import p99_ms
from bench.terminal import ControlClient, Terminal, end_call

KEYS_PER_LOAD = 40
IMPORT_ROWS = 60_000
LINE = 24  # notes typed in short lines, so a line never wraps in the notes pane


@dataclass(frozen=True)
class Echoes:
    load: str
    samples: list[float]
    intact: bool

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p99_ms(self) -> float:
        return p99_ms(self.samples)


class Typist:
    """Types into the terminal one key at a time and times each key's echo, through one
    control-mode client (bench.terminal.ControlClient): the harness's own cost kept out of
    the figure as far as tmux allows."""

    def __init__(self, terminal: ControlClient) -> None:
        self.terminal = terminal
        self.line = ""
        self.typed = ""
        self.lines = 0

    def key(self, char: str) -> float:
        """Send ``char`` and time its echo."""
        self.line += char
        self.typed += char
        started = time.perf_counter()
        self.terminal.type(char)
        self.terminal.wait_for(self.line, timeout=10)
        return time.perf_counter() - started

    def new_line(self) -> None:
        """A line starts with a marker (~1:, ~2:, ...), typed but not timed, so that even its
        first timed key makes the line unlike anything else on the screen."""
        if self.typed:
            self.terminal.keys("Enter")
            self.typed += "\n"
        self.line = ""
        self.lines += 1
        for char in f"~{self.lines}:":
            self.key(char)

    def text(self, count: int, offset: int = 0) -> list[float]:
        samples = []
        for index in range(count):
            if len(self.line) >= LINE or not self.line:
                self.new_line()
            samples.append(self.key("abcdefghijklmnopqrstuvwxyz"[(index + offset) % 26]))
        return samples


def measure(path: Path) -> list[Echoes]:
    """On a copy of the database: the run stores a call and imports a catalogue."""
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        return _measure(copy)


def baseline() -> Echoes:
    """The same typing into a bare Textual app's text area: what tmux and the polling cost."""
    terminal = Terminal([sys.executable, "-m", "bench.bare_typing"])
    try:
        terminal.wait_for("Bare typing app ready")
        with ControlClient(terminal) as control:
            typist = Typist(control)
            samples = typist.text(KEYS_PER_LOAD)
        return Echoes("bare Textual app", samples, typist.line in terminal.screen())
    finally:
        terminal.close()


def _measure(path: Path) -> list[Echoes]:
    terminal = Terminal(app_command(path))
    try:
        sign_in(terminal)
        with ControlClient(terminal) as control:
            found = _while_searching(terminal, control)
            terminal.type(HEAVY_PHONE)
            terminal.keys("Enter")
            notes = Typist(control)
            terminal.wait_for("Phones:")
            terminal.keys("C-n")
            ledger = notes.text(KEYS_PER_LOAD)
            importing = _while_importing(path, notes)
        stored = _end_call_and_read_notes(terminal, path)
    finally:
        terminal.close()
    intact = stored == notes.typed
    return [
        found,
        Echoes("right after a pop with 500 ledger entries", ledger, intact),
        Echoes("while another process imports 60,000 rows", importing, intact),
    ]


def _while_searching(terminal: Terminal, control: ControlClient) -> Echoes:
    """'jan no', 'jan nov', ...: Enter starts a search over a common first name and the next
    key follows 3 ms later, while it runs: the key cancels it. A busy app may take the key
    before the Enter: then the search includes it and shows its list of callers after the
    key's frame, and the list is closed (untimed) before the next Enter."""
    typist = Typist(control)
    for char in "jan n":
        typist.key(char)
    samples = []
    for char in ("ovakova n" * 5)[:KEYS_PER_LOAD]:
        control.keys("Enter")
        time.sleep(0.003)
        samples.append(typist.key(char))
        time.sleep(0.15)  # let a search that outran the key show its list
        if "Callers matching" in terminal.screen():
            terminal.keys("Escape")
            terminal.wait_gone("Callers matching")
    intact = typist.line in terminal.screen()
    terminal.keys("Escape")  # clear the find field
    terminal.wait_gone(typist.line)
    return Echoes("while a customer search runs", samples, intact)


def _while_importing(path: Path, notes: Typist) -> list[float]:
    catalogue = _catalogue_file()
    importer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cc_terminal",
            "--db",
            f"sqlite:///{path}",
            "catalog",
            "import",
            str(catalogue),
            "--password-stdin",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert importer.stdin is not None
    importer.stdin.write(PASSWORD + "\n")
    importer.stdin.close()
    time.sleep(1.0)  # past its start-up, into the import itself
    samples = notes.text(KEYS_PER_LOAD, offset=7)
    importer.wait(timeout=600)
    return samples


def _catalogue_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="cc-bench-")) / "catalogue.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["code", "name", "kind", "price", "currency", "valid_from", "valid_to"])
        for number in range(IMPORT_ROWS):
            writer.writerow([f"B{number:06d}", f"Bench item {number}", "product", "99,00", "CZK",
                             "1.1.2026", ""])  # fmt: skip
    return path


def _end_call_and_read_notes(terminal: Terminal, path: Path) -> str:
    end_call(terminal)
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT notes FROM call WHERE phone_e164 = ? ORDER BY ended_at DESC LIMIT 1",
            (HEAVY_PHONE,),
        ).fetchone()
    return row[0] if row else ""
