"""Typing on the team lead's terminal while the floor board refreshes on every event
(issue 28: echo p99 <= 50 ms meanwhile). The real app in tmux on PostgreSQL, server mode:
every phone event stored elsewhere NOTIFYs, and the board on screen reads again (one read
at a time, one more after it when events came meanwhile). The lead is on F7's Floor tab
with bench/floor.py's floor (100 operators, a day's 6,000 phone calls); a thread of this
process stores a phone event every EVENT_SECONDS (a ring, its answer, its hang-up, for one
operator after another). The key is the board's own S (sort): its echo is the next sort's
name on screen, the whole board redrawn in the new order. Beside it, in the same run, the
bare Textual app's typing echo (bench/typing_echo.py's baseline)."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import floor
from bench.chat_store import postgresql_database
from bench.generate import PASSWORD
from bench.table import Row, median_ms
from bench.terminal import Terminal
from bench.typing_echo import Echoes, baseline
from cc_terminal.config import Settings
from cc_terminal.screens.calls.floor_pane import SORTS
from cc_terminal.services.workstation import Workstation, open_workstation

EVENT_SECONDS = 0.05  # 20 phone events a second: each one a refresh of the board
KEYS = 60
QUICK_KEYS = 30


@dataclass(frozen=True)
class FloorEcho:
    board: Echoes
    bare: Echoes
    events: int
    seconds: float


def measure(keys: int = KEYS) -> FloorEcho:
    bare = baseline()
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as folder, postgresql_database() as url:
        ws = open_workstation(Settings(db_url=url, data_dir=Path(folder)))  # migrates
        try:
            board, events, seconds = _typed_while_events(ws, url, Path(folder), keys)
        finally:
            ws.close()
    return FloorEcho(board, bare, events, seconds)


def _typed_while_events(
    ws: Workstation, url: str, folder: Path, keys: int
) -> tuple[Echoes, int, float]:
    lead, operators = floor._floor(ws)
    (folder / "app").mkdir()
    terminal = Terminal(
        ["env", f"CC_TERMINAL_DB={url}", f"CC_TERMINAL_DATA_DIR={folder / 'app'}",
         sys.executable, "-m", "cc_terminal"]
    )  # fmt: skip
    stop, written = threading.Event(), [0]

    def events() -> None:
        while not stop.is_set():
            run = written[0]
            ws.phone.apply(lead, floor._event(run), operators[(run // 3) % len(operators)])
            written[0] += 1
            stop.wait(EVENT_SECONDS)

    writer = threading.Thread(target=events, name="bench-events", daemon=True)
    try:
        _on_the_floor(terminal)
        writer.start()
        started = time.perf_counter()
        samples = [_sort(terminal, n) for n in range(keys)]
        seconds = time.perf_counter() - started
        intact = f"by {SORTS[keys % len(SORTS)][0]} ·" in terminal.screen()
    finally:
        stop.set()
        if writer.is_alive():
            writer.join(timeout=10)
        terminal.close()
    return Echoes("the board refreshing on every event", samples, intact), written[0], seconds


def _on_the_floor(terminal: Terminal) -> None:
    terminal.wait_for("Sign in to your workstation")
    terminal.type("lead")
    terminal.keys("Enter")
    terminal.type(PASSWORD)
    terminal.keys("Enter")
    terminal.wait_for("Floor")
    terminal.keys("4")
    terminal.wait_for("Operator 001")
    terminal.wait_for("by state ·")


def _sort(terminal: Terminal, pressed: int) -> float:
    """S, timed until the next sort's name is on the screen."""
    shown = f"by {SORTS[(pressed + 1) % len(SORTS)][0]} ·"
    started = time.perf_counter()
    terminal.keys("s")
    terminal.wait_for(shown, timeout=10, poll=0.001)
    return time.perf_counter() - started


def rows(quick: bool = False) -> list[Row]:
    figures = measure(QUICK_KEYS if quick else KEYS)
    board, bare = figures.board, figures.bare
    rate = figures.events / figures.seconds if figures.seconds else 0.0
    kept = "" if board.intact and bare.intact else " (a key's echo went missing)"
    return [
        Row(
            f"typing echo on the lead's terminal (F7, 4: S sorts the board) while the board "
            f"refreshes on every event: {floor.OPERATORS} operators, {floor.CALLS_TODAY:,} "
            f"phone calls today, {rate:.0f} phone events a second on PostgreSQL (NOTIFY), "
            f"{len(board.samples)} keys{kept}",
            f"median {median_ms(board.samples):.1f} ms, p99 {board.p99_ms:.1f} ms",
            f"bare Textual app's typing echo in the same run: median "
            f"{median_ms(bare.samples):.1f} ms, p99 {bare.p99_ms:.1f} ms",
            "p99 <= 50 ms",
        )
    ]
