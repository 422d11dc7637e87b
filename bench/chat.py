"""The chat's targets (issue 26): many visitor sockets through the real gateway process
(``cc-terminal chat serve``, started as the tests start it) to the operator side and
back, on a SQLite file and on PostgreSQL, beside a bare websockets echo server in the
same run.

Per store: accounts made (bench/chat_store.py), the gateway started, the operator side
started in its own process (bench/chat_operators.py), then the visitors in this one
(bench/chat_visitors.py). The gateway's memory is read (VmRSS) once every socket has
started its chat and sits idle, before any message; the echo server's the same way."""

from __future__ import annotations

import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.channels.chat.process import GatewayProcess
from tests.pgserver import free_port

from bench.chat_store import postgresql_database, prepare, stored_counts
from bench.chat_tui import POLL, QUEUE_PROBES, TuiOperator, add_operator, fill_the_floor
from bench.chat_visitors import Heard, Plan, run
from bench.table import Row, median_ms, p99_ms

VISITORS, OPERATORS, MESSAGES = 500, 100, 10
INTERVAL = 10.0  # seconds between one visitor's messages (a person typing; 30 a minute max)
SETTLE = 3.0  # seconds the idle sockets sit before the memory is read
ANSWERS_WITHIN = 60.0  # seconds a visitor waits for the answers after its last message
LAST_ANSWERS_WITHIN = 60.0  # then the operator side's, before it is stopped
ROOT = Path(__file__).resolve().parent.parent
# The bench is one address opening every socket: the per-address limits raised for it.
OPTIONS = ("--sockets-per-address", "5000", "--connects-per-minute", "100000")


@dataclass(frozen=True)
class StoreRun:
    to_operator: list[float]
    first: list[float]
    to_visitor: list[float]
    waits: list[float]  # the operator side's reads: asked for until a thread took them
    reads_done: int
    steps: dict[str, list[float]]  # the operator side's service calls: seconds each
    idle_mb: float
    after_mb: float
    gateway_cpu: float  # seconds of CPU the gateway used, start to last answer
    operators_cpu: float
    stored: tuple[int, int, int]  # visitor lines, operator lines, client ids stored twice
    heard: Heard
    answered: int
    load: str
    refused: int  # the operator side's writes refused (a place taken, the store busy)
    tui: list[float]  # the real TUI's visitor's lines: seconds until on its screen
    queued: list[float]  # chats started after the exchange: seconds until in its queue pane
    reads: dict[str, int]  # the operators' chat areas' reads, by why (bench/chat_operators.py)


@dataclass(frozen=True)
class EchoRun:
    round_trip: list[float]
    idle_mb: float
    cpu: float
    heard: Heard


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used (/proc/PID/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def _environment() -> dict[str, str]:
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _visitors(plan: Plan, pid: int, then: Callable[[], None] = lambda: None) -> tuple[Heard, float]:
    """``then``: run (in a thread) once the idle sockets' memory is read, before they write."""
    idle: list[float] = []

    async def when_idle() -> None:
        await asyncio.sleep(SETTLE)
        idle.append(rss_mb(pid))
        await asyncio.to_thread(then)

    heard = asyncio.run(run(plan, when_idle))
    return heard, idle[0] if idle else 0.0


def echo_run(visitors: int) -> EchoRun:
    port = free_port()
    command = [sys.executable, "-m", "bench.chat_echo", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=_environment())
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        url, origin = f"ws://127.0.0.1:{port}/", f"http://127.0.0.1:{port}"
        plan = Plan(url, origin, visitors, MESSAGES, INTERVAL, ANSWERS_WITHIN)
        heard, idle = _visitors(plan, server.pid)
        cpu = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return EchoRun(heard.to_visitor, idle, cpu, heard)


def store_run(url: str, folder: Path, visitors: int, operators: int) -> StoreRun:
    limit = math.ceil(visitors / operators) + 1
    key_file = prepare(url, folder, operators, limit)
    add_operator(url, folder)
    tui = TuiOperator(url, folder, MESSAGES)
    try:
        tui.sign_in()
    except Exception:
        tui.close()
        raise
    started_load = load()
    gateway = GatewayProcess(url, folder, key_file, OPTIONS).start()
    out = folder / "operators.json"
    expected = visitors * MESSAGES - MESSAGES  # the TUI answers its own visitor
    command = [sys.executable, "-m", "bench.chat_operators", url, str(folder)]
    command += [str(operators), str(limit), str(expected), "900", str(out)]
    side = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=_environment())
    try:
        assert side.stdout is not None and side.stdout.readline().strip() == "ready"
        plan = Plan(gateway.ws_url, gateway.origin, visitors, MESSAGES, INTERVAL, ANSWERS_WITHIN)
        assert gateway.process is not None
        heard, idle = _visitors(plan, gateway.process.pid, tui.watch)
        after = rss_mb(gateway.process.pid)
        gateway_cpu = cpu_seconds(gateway.process.pid)
        try:
            side.wait(timeout=LAST_ANSWERS_WITHIN)
        except subprocess.TimeoutExpired:  # still behind: what it saw so far
            side.terminate()
            side.wait(timeout=120)
        if not out.exists():  # it ended without its figures: say how
            raise RuntimeError(f"the operator side ended ({side.returncode}) with no figures")
        figures = json.loads(out.read_text(encoding="utf-8"))
        stored = stored_counts(url)  # before the probes' chats
        fill_the_floor(url, folder)
        queued = tui.queue_delays(gateway.ws_url, gateway.origin)
    finally:
        tui_delays = tui.close()
        if side.poll() is None:
            side.kill()
        gateway.stop()
    return StoreRun(
        figures["to_operator"],
        figures["first"],
        heard.to_visitor,
        figures["waits"],
        figures["reads_done"],
        figures["steps"],
        idle,
        after,
        gateway_cpu,
        figures["cpu_seconds"],
        stored,
        heard,
        figures["answered"],
        f"{started_load} at start, {load()} at end",
        figures["refused_count"],
        tui_delays,
        queued,
        figures["reads"],
    )


@dataclass(frozen=True)
class ChatFigures:
    visitors: int
    operators: int
    echo: EchoRun
    sqlite: StoreRun
    postgresql: StoreRun


def measure(visitors: int = VISITORS, operators: int = OPERATORS) -> ChatFigures:
    os.environ["PYTHONPATH"] = _environment()["PYTHONPATH"]  # the gateway: this tree's code
    echo = echo_run(visitors)
    with tempfile.TemporaryDirectory(prefix="cc-chat-bench-") as folder:
        on_sqlite = Path(folder) / "sqlite"
        on_sqlite.mkdir()
        sqlite = store_run(
            f"sqlite:///{on_sqlite / 'chat.sqlite3'}", on_sqlite, visitors, operators
        )
        on_postgresql = Path(folder) / "postgresql"
        on_postgresql.mkdir()
        with postgresql_database() as url:
            postgresql = store_run(url, on_postgresql, visitors, operators)
    return ChatFigures(visitors, operators, echo, sqlite, postgresql)


def _ms(samples: list[float]) -> str:
    if not samples:
        return "none measured"
    return f"median {median_ms(samples):.0f} ms, p99 {p99_ms(samples):.0f} ms"


def _ratio(samples: list[float], bare: list[float]) -> str:
    if not samples or not bare:
        return ""
    return f"{p99_ms(samples) / p99_ms(bare):.1f}x bare p99: "


def rows(quick: bool = False) -> list[Row]:
    figures = measure(100, 20) if quick else measure()
    return [row for store in ("sqlite", "postgresql") for row in _store_rows(figures, store)] + [
        _memory_row(figures)
    ]


def _store_rows(figures: ChatFigures, store: str) -> list[Row]:
    measured: StoreRun = getattr(figures, store)
    name = "SQLite" if store == "sqlite" else "PostgreSQL"
    bare = figures.echo.round_trip
    scale = f"{figures.visitors} sockets x {MESSAGES} messages, {figures.operators} operators"
    echo = f"bare websockets echo round trip {_ms(bare)} (same client)"
    visitor, operator, twice = measured.stored
    sent = figures.visitors * MESSAGES
    failed = len(measured.heard.errors)
    return [
        Row(
            f"chat delivery visitor -> operator side, {name}, {scale}",
            _ratio(measured.to_operator, bare) + _ms(measured.to_operator),
            f"{echo}; the operator side's reads waited for a thread {_ms(measured.waits)}",
            "p99 <= 250 ms",
        ),
        Row(
            f"  one real TUI among them (tmux, F8 open), {name}",
            _ms(measured.tui) + f" ({len(measured.tui)} of {MESSAGES} lines seen)",
            f"its visitor's lines, from sent to the first screen capture showing them "
            f"(the screen read every {POLL * 1000:.0f} ms), each answered from its keyboard",
            "p99 <= 250 ms",
        ),
        Row(
            f"  operator -> visitor, {name}",
            _ratio(measured.to_visitor, bare) + _ms(measured.to_visitor),
            echo,
            "p99 <= 250 ms",
        ),
        Row(
            f"  where the operator side's time goes, {name}",
            _steps(measured.steps),
            "median / p99 ms of each service call (detail also marks the lines read)",
            "",
        ),
        Row(
            f"  the operators' chat areas read again, {name}",
            f"{measured.reads_done:,} times, {measured.reads_done / sent:.1f} per visitor "
            f"message ({sum(measured.reads.values()):,} asked for, those asked while one ran "
            "folded into the next)",
            _reads(measured.reads),
            "",
        ),
        Row(
            f"  CPU per message, {name}",
            f"gateway {measured.gateway_cpu * 1000 / sent:.1f} ms, "
            f"operator side {measured.operators_cpu * 1000 / sent:.1f} ms",
            f"CPU over the run, chats' start included, per visitor message with its answer "
            f"({measured.gateway_cpu:.0f} s and {measured.operators_cpu:.0f} s); bare echo "
            f"server {figures.echo.cpu * 1000 / sent:.1f} ms",
            "",
        ),
        Row(
            f"  a visitor's first message seen by the operator side, {name}",
            _ms(measured.first),
            f"{len(measured.first)} chats, each given to an operator when it started",
            "<= 1 s",
        ),
        Row(
            f"  a chat in the real TUI's queue pane, {name}",
            _ms(measured.queued) + f" ({len(measured.queued)} of {QUEUE_PROBES} seen)",
            "after the exchange, every operator full: each chat from its start sent (its "
            f"first message right after) to the first screen capture showing it in F8's "
            f"queue (read every {POLL * 1000:.0f} ms), one at a time, the gateway up",
            "<= 1 s",
        ),
        Row(
            f"  every message stored once, {name}",
            f"{visitor:,} of {sent:,} visitor lines, {operator:,} answers, {twice} stored twice",
            f"acks {measured.heard.acks:,}, answers heard {len(measured.to_visitor):,} "
            f"({measured.heard.doubled} twice), {failed} visitors failed, "
            f"{measured.refused} operator writes refused; load {measured.load}",
            "all, once",
        ),
    ]


def _reads(reads: dict[str, int]) -> str:
    """Why: a line of its chat (a notice naming it), its chat given, handed over or closed,
    its timer (every two seconds): in full; a colleague's chat or one waiting: the queue
    alone (bench/chat_operators.py)."""
    return ", ".join(f"{why} {count:,}" for why, count in sorted(reads.items()))


def _steps(steps: dict[str, list[float]]) -> str:
    return ", ".join(
        f"{step} {median_ms(times):.0f} / {p99_ms(times):.0f}"
        for step, times in sorted(steps.items())
        if times
    )


def _memory_row(figures: ChatFigures) -> Row:
    sqlite, postgresql, echo = figures.sqlite, figures.postgresql, figures.echo
    return Row(
        f"gateway memory (RSS), {figures.visitors} idle sockets",
        f"{echo_ratio(sqlite.idle_mb, echo.idle_mb)}SQLite {sqlite.idle_mb:.0f} MB, "
        f"PostgreSQL {postgresql.idle_mb:.0f} MB",
        f"bare websockets echo server {echo.idle_mb:.0f} MB; after the messages: "
        f"{sqlite.after_mb:.0f} / {postgresql.after_mb:.0f} MB",
        "<= 150 MB",
    )


def echo_ratio(measured: float, bare: float) -> str:
    return f"{measured / bare:.1f}x bare: " if bare else ""
