"""The chat on a floor that syncs through a shared folder (issue 26): the real gateway
process (``cc-terminal --sync-dir … chat serve``) on its own joined store, one visitor's
WebSocket, and a terminal of the floor in this process running its sync round every
``sync_seconds`` as the workstation does (app_floor.py), its operator answering through
the services. Beside it in the same run, the same on one host: the gateway on the
terminal's own SQLite file.

visitor -> terminal: from sending the line to the line in the terminal's store (F8 reads
again as soon as a round brings chat changes; on one host F8 reads every 2 s on its own).
operator -> visitor: from the operator's send to the line's frame on the visitor's socket.
On the floor each waits for the reader's next round: the writer shares at once (the gateway
after a visitor's write, the workstation after a chat line sent from F8)."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col
from tests.channels.chat.conftest import ALWAYS
from tests.channels.chat.process import GatewayProcess, Visitor
from tests.conftest import seed_floor
from tests.sync.kit import Floor, new_store

from bench.chat import _environment, load
from bench.table import Row, median_ms, p99_ms
from cc_terminal.config import SYNC_DIR_ENV, Settings
from cc_terminal.models import ConversationMessage, ListKind, PauseReason
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE

SYNC_SECONDS = 1.5  # the workstation's default (config.py)
MESSAGES, QUICK_MESSAGES = 12, 4


@dataclass(frozen=True)
class Latency:
    to_terminal: list[float]
    to_visitor: list[float]
    presence: list[float] = field(default_factory=list)  # a pause, seen by the gateway


@dataclass(frozen=True)
class Terminal:
    """The operator's side: her services, and a look at her store."""

    ws: Workstation
    jana: Actor
    share: Callable[[], None]  # after the operator's send: F8 asks for a round at once

    def has(self, client_id: str) -> bool:
        query = select(col(ConversationMessage.id)).where(
            col(ConversationMessage.client_id) == client_id
        )
        with self.ws.db.read() as session:
            return session.scalars(query).first() is not None


def _floor_ready(ws: Workstation, lead: Actor, jana: Actor, key: Path) -> None:
    """The gateway's account, every department open, Jana on shift with room for chats."""
    ServiceAccounts(ws.db).add(lead, "chat-gateway", ",".join(CHAT_GATEWAY_SCOPE), key)
    for department in ws.reference.lists().active(ListKind.DEPARTMENT):
        ws.reference.save(lead, ListKind.DEPARTMENT, replace(department, working_hours=ALWAYS))
    ws.chats.set_limit(lead, jana.operator_id, 3)
    ws.work_clock.begin(jana)


@contextmanager
def _on_floor(folder: Path) -> Iterator[tuple[Terminal, GatewayProcess]]:
    floor = Floor(folder)
    t1, gw = floor.add("t1", seed=True), floor.add("gw")
    key = folder / "gw.pem"
    _floor_ready(t1.ws, t1.actor("lead"), t1.actor("jana"), key)
    floor.settle()
    gw.close()
    floor.terminals.remove(gw)
    os.environ[SYNC_DIR_ENV] = str(floor.folder)
    options = ("--sync-seconds", str(SYNC_SECONDS))
    gateway = GatewayProcess(f"sqlite:///{gw.db_path}", gw.data_dir, key, options)
    stop, wake = threading.Event(), threading.Event()
    ticks = threading.Thread(target=_ticks, args=(t1.round, stop, wake), daemon=True)
    try:
        gateway.start()
        ticks.start()
        yield Terminal(t1.ws, t1.actor("jana"), wake.set), gateway
    finally:
        stop.set()
        wake.set()
        gateway.stop()
        os.environ.pop(SYNC_DIR_ENV, None)
        ticks.join(30)
        floor.close()


def _ticks(round_: Callable[[], object], stop: threading.Event, wake: threading.Event) -> None:
    """The workstation's sync: a round every tick, and one at once when asked."""
    while not stop.is_set():
        wake.wait(SYNC_SECONDS)
        wake.clear()
        round_()


@contextmanager
def _one_host(folder: Path) -> Iterator[tuple[Terminal, GatewayProcess]]:
    path = folder / "cc-terminal.sqlite3"
    new_store(path)
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=folder))
    seed_floor(ws)
    lead, jana = ws.auth.login("lead", "lead-pass-1"), ws.auth.login("jana", "jana-pass-1")
    _floor_ready(ws, lead, jana, folder / "gw.pem")
    gateway = GatewayProcess(f"sqlite:///{path}", folder, folder / "gw.pem")
    try:
        gateway.start()
        yield Terminal(ws, jana, lambda: None), gateway
    finally:
        gateway.stop()
        ws.close()


def _conversation(terminal: Terminal, visitor: Visitor) -> uuid.UUID:
    return uuid.UUID(visitor.start()["conversation"])


def _exchange(terminal: Terminal, gateway: GatewayProcess, messages: int) -> Latency:
    """One visitor's lines, each answered by the operator once she has it; a random pause
    before each (the rounds' phase is sampled, not locked to the answers)."""
    pick = random.Random(26)
    to_terminal, to_visitor = [], []
    with gateway.visitor() as visitor:
        conversation = _conversation(terminal, visitor)
        for number in range(messages):
            time.sleep(pick.uniform(0, SYNC_SECONDS))
            sent = time.monotonic()
            visitor.send(type="message", client_id=f"v-{number}", text=f"Question {number}")
            _wait(lambda n=number: terminal.has(f"v-{n}"))
            to_terminal.append(time.monotonic() - sent)
            answered = time.monotonic()
            terminal.ws.chats.send(terminal.jana, conversation, f"o-{number}", f"Answer {number}")
            terminal.share()
            _heard(visitor, f"o-{number}")
            to_visitor.append(time.monotonic() - answered)
    return Latency(to_terminal, to_visitor)


def _presence_lag(terminal: Terminal, gateway: GatewayProcess, times: int) -> list[float]:
    """From a pause begun (or ended) on the terminal to the gateway's store knowing it: what
    its round-robin and its "is anyone there" lag behind the floor."""
    pick, lags = random.Random(27), []
    path = gateway.db_url.removeprefix("sqlite:///")
    for number in range(times):
        time.sleep(pick.uniform(0, SYNC_SECONDS))
        began = time.monotonic()
        if number % 2 == 0:
            terminal.ws.work_clock.pause(terminal.jana, PauseReason.BREAK)
        else:
            terminal.ws.work_clock.resume(terminal.jana)
        _wait(lambda paused=number % 2 == 0: _open_pauses(path) == int(paused))
        lags.append(time.monotonic() - began)
    return lags


def _open_pauses(path: str) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        query = "SELECT count(*) FROM work_pause WHERE ended_at IS NULL"
        return int(connection.execute(query).fetchone()[0])
    finally:
        connection.close()


def _wait(done: Callable[[], bool], within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the line did not arrive")
        time.sleep(0.01)


def _heard(visitor: Visitor, client_id: str) -> None:
    while True:
        frame = visitor.until("line", timeout=60)
        if frame["client_id"] == client_id:
            return


def measure(messages: int = MESSAGES) -> tuple[Latency, Latency, str]:
    import tempfile

    os.environ["PYTHONPATH"] = _environment()["PYTHONPATH"]  # the gateway: this tree's code
    started = load()
    with tempfile.TemporaryDirectory(prefix="cc-chat-floor-") as folder:
        with _on_floor(Path(folder) / "floor") as (terminal, gateway):
            on_floor = _exchange(terminal, gateway, messages)
            on_floor.presence.extend(_presence_lag(terminal, gateway, messages // 2 * 2))
        host = Path(folder) / "host"
        host.mkdir()
        with _one_host(host) as (terminal, gateway):
            on_host = _exchange(terminal, gateway, messages)
    return on_floor, on_host, f"{started} at start, {load()} at end"


def _ms(samples: list[float]) -> str:
    return f"median {median_ms(samples):.0f} ms, p99 {p99_ms(samples):.0f} ms"


def rows(quick: bool = False) -> list[Row]:
    on_floor, on_host, loads = measure(QUICK_MESSAGES if quick else MESSAGES)
    scale = f"{len(on_floor.to_terminal)} lines each way, sync every {SYNC_SECONDS} s"
    return [
        Row(
            f"chat on a folder floor: visitor -> terminal's store, {scale}",
            _ms(on_floor.to_terminal),
            f"one host (the gateway on the terminal's file): {_ms(on_host.to_terminal)}; "
            f"load {loads}",
            "say it (sync interval)",
        ),
        Row(
            "  operator -> visitor's socket, folder floor",
            _ms(on_floor.to_visitor),
            f"one host (the gateway watching the file's data version): {_ms(on_host.to_visitor)}",
            "say it (sync interval)",
        ),
        Row(
            "  a pause on the terminal -> the gateway's round-robin, folder floor",
            _ms(on_floor.presence),
            "one host: the same file, at once",
            "say it (sync interval)",
        ),
    ]
