"""The operator side of the chat bench: many operators' chat areas in one process, through
the service the F8 screen reads and writes (``ws.chats``), not Textual.

``python -m bench.chat_operators URL DATA_DIR OPERATORS LIMIT EXPECTED SECONDS OUT``
prints ``ready``, then in rounds does for every operator what the chat area does on a refresh:
its open chats (``mine``), a chat with unread lines opened (``detail``, which marks them
read), each new visitor line answered (``send``), the next chat taken while some wait
(``take_next``). A round starts when the store says a chat changed (PostgreSQL's
LISTEN/NOTIFY, heard as the terminals hear it) or, on SQLite, every ``SQLITE_POLL``
seconds. It stops once it has seen and answered ``EXPECTED`` visitor lines (or after
``SECONDS``, or on SIGTERM) and writes the delays to OUT as JSON.

A visitor line's text ends with the moment it was sent (``time.time()``); an answer's
text ends with the moment the operator sent it, which the visitors measure."""

from __future__ import annotations

import json
import resource
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from bench.chat_store import operator_name
from cc_terminal.config import Settings
from cc_terminal.models import Operator
from cc_terminal.services.channels.conversations import Conversations
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.errors import StoreError

SQLITE_POLL = 0.25  # the gateway's own poll on SQLite (cc-terminal chat serve --poll-seconds)
FALLBACK_POLL = 2.0  # the chat area's refresh when nothing is heard
WORKERS = 4
T = TypeVar("T")


@dataclass
class Seen:
    to_operator: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    rounds: list[float] = field(default_factory=list)
    answered: int = 0
    refused: list[str] = field(default_factory=list)
    lines: set[tuple[uuid.UUID, int]] = field(default_factory=set)
    steps: dict[str, list[float]] = field(default_factory=dict)  # service call: seconds
    lock: threading.Lock = field(default_factory=threading.Lock)


class OperatorSide:
    def __init__(self, chats: Conversations, actors: list[Actor], limit: int) -> None:
        self.chats, self.actors, self.limit = chats, actors, limit
        self.seen = Seen()
        self.wake = threading.Event()
        self.stop = threading.Event()  # SIGTERM: the bench waited long enough
        self.pool = ThreadPoolExecutor(WORKERS)

    def run(self, expected: int, seconds: float, poll: float) -> Seen:
        deadline = time.monotonic() + seconds
        while self.seen.answered < expected and time.monotonic() < deadline:
            if self.stop.is_set():
                break
            self.wake.wait(poll)
            self.wake.clear()
            started = time.perf_counter()
            waiting = self.chats.waiting_summary().count
            list(self.pool.map(partial(self.serve, waiting=waiting), self.actors))
            self.seen.rounds.append(time.perf_counter() - started)
        self.pool.shutdown()
        return self.seen

    def serve(self, actor: Actor, waiting: int) -> None:
        mine = self.timed("mine", lambda: self.chats.mine(actor))
        if waiting and len(mine) < self.limit:
            self.attempt(lambda: self.timed("take_next", lambda: self.chats.take_next(actor)))
        for chat in mine:
            if chat.unread:
                self.attempt(partial(self.answer, actor, chat.id))

    def timed(self, step: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            return work()
        finally:
            self.seen.steps.setdefault(step, []).append(time.perf_counter() - started)

    def attempt(self, work: Callable[[], object]) -> None:
        try:
            work()
        except (ServiceError, StoreError) as refused:  # a place taken, a chat closed,
            self.seen.refused.append(str(refused))  # or the store busy: the next round again

    def answer(self, actor: Actor, chat_id: uuid.UUID) -> None:
        detail = self.timed("detail", lambda: self.chats.detail(actor, chat_id))
        now = time.time()
        for line in detail.lines:
            if line.author != "visitor":
                continue
            with self.seen.lock:
                if (chat_id, line.seq) in self.seen.lines:
                    continue
                self.seen.lines.add((chat_id, line.seq))
            words = line.text.split()
            delay = now - float(words[-1])
            self.seen.to_operator.append(delay)
            if words[1] == "m0":
                self.seen.first.append(delay)
            reply = f"re {words[0]} {words[1]} {time.time():.6f}"
            client_id = f"r-{chat_id.hex[:12]}-{line.seq}"
            self.timed("send", partial(self.chats.send, actor, chat_id, client_id, reply))
            with self.seen.lock:
                self.seen.answered += 1


def actors_of(chats: Conversations, count: int) -> list[Actor]:
    names = [operator_name(number) for number in range(count)]
    with chats.db.read() as session:
        found = session.scalars(select(Operator).where(Operator.username.in_(names))).all()  # type: ignore[attr-defined]
    return [Actor(o.id, o.username, o.full_name, o.role, o.department) for o in found]


def _cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main(argv: list[str]) -> None:
    url, data_dir, operators, limit, expected, seconds, out = argv
    ws = open_workstation(Settings(db_url=url, data_dir=Path(data_dir)), migrate=False)
    side = OperatorSide(ws.chats, actors_of(ws.chats, int(operators)), int(limit))
    poll = SQLITE_POLL
    if url.startswith("postgresql"):
        from cc_terminal.store.notify import ChangeListener

        listener = ChangeListener(url, lambda _entity: side.wake.set(), print, side.wake.set)
        listener.start()
        poll = FALLBACK_POLL
    signal.signal(signal.SIGTERM, lambda _signal, _frame: side.stop.set())
    print("ready", flush=True)
    seen = side.run(int(expected), float(seconds), poll)
    figures = {
        "to_operator": seen.to_operator,
        "first": seen.first,
        "rounds": seen.rounds,
        "answered": seen.answered,
        "refused": seen.refused[:20],
        "refused_count": len(seen.refused),
        "steps": seen.steps,
        "cpu_seconds": _cpu_seconds(),
    }
    Path(out).write_text(json.dumps(figures), encoding="utf-8")
    ws.close()


if __name__ == "__main__":
    main(sys.argv[1:])
