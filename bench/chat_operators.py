"""The operator side of the chat bench: many operators' chat areas in one process, through
the service the F8 screen reads and writes (``ws.chats``), not Textual.

``python -m bench.chat_operators URL DATA_DIR OPERATORS LIMIT EXPECTED SECONDS OUT``
prints ``ready``, then does for each operator whose chat area would read again what it
does on a read: the waiting queue (``queue``), its open chats (``mine``), a chat with
unread lines opened (``detail``, which marks them read; with none, the first chat's, as
the area shows its open chat), each new visitor line answered (``send``), the next chat
taken while some wait (``take_next``); the waiting chats counted (``waiting``).

Who reads is what the terminals do (app_floor.py, screens/channels/chat_reads.py
``heard``): the store's notices are heard as a terminal hears them (PostgreSQL's
LISTEN/NOTIFY; on a SQLite file the data version watcher) and say which chats changed and
to whom a chat was given. An operator's chat area reads in full (the waiting queue, its
own chats, an open chat's lines) at a line of a chat it holds, at a chat it held or was
given (or a notice that does not say), and every ``REFRESH`` seconds on its own timer
unless a notice read it in full since the timer's last tick (the timers spread over those
seconds, as terminals opened at different moments); at any other
chat notice that may have moved the waiting queue (a chat started waiting, a colleague
taking one) it reads the waiting queue alone, if its count says some wait or its pane
listed some. Every operator that hears such a notice counts the waiting chats again (its
header's badge); a chat started and given at once, or a line, leaves the queue as it was
(store/change_notice.py ``queue_moved``).

Each area reads on its own, as each terminal does: a read asked for starts at once on one
of ``WORKERS`` threads (the process's share of the machine; a read waits only for a free
thread), and one asked for while the area's last read runs is folded into the one that
follows it (``Area``: chat_reads.py's ``pending``, the widest kind asked for). No area
waits for another's read. It stops once it has seen and answered ``EXPECTED`` visitor
lines (or after ``SECONDS``, or on SIGTERM) and writes the delays to OUT as JSON.

A visitor line's text ends with the moment it was sent (``time.time()``); an answer's
text ends with the moment the operator sent it, which the visitors measure."""

from __future__ import annotations

import contextlib
import faulthandler
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
from cc_terminal.store.change_notice import Notice
from cc_terminal.store.errors import StoreError
from cc_terminal.store.notify import WatchThread

REFRESH = 2.0  # seconds: the chat area's own timer (screens/channels/chats.py)
WORKERS = 4
T = TypeVar("T")


@dataclass
class Seen:
    to_operator: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)  # a read asked for until it starts
    answered: int = 0
    refused: list[str] = field(default_factory=list)
    lines: set[tuple[uuid.UUID, int]] = field(default_factory=set)
    steps: dict[str, list[float]] = field(default_factory=dict)  # service call: seconds
    reads: dict[str, int] = field(default_factory=dict)  # why an area read: how many times
    done: int = 0  # the reads made (those asked for while one ran folded into the next)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Heard:
    """The notices heard since the last round began (the listener's thread adds)."""

    notices: list[Notice] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    wake: threading.Event = field(default_factory=threading.Event)

    def add(self, notice: Notice) -> None:
        with self.lock:
            self.notices.append(notice)
        self.wake.set()

    def taken(self) -> list[Notice]:
        with self.lock:
            self.wake.clear()
            taken, self.notices = self.notices, []
        return taken


@dataclass(frozen=True)
class Reader:
    """One operator's chat area reading: in full or the waiting queue alone; ``count``:
    its header's badge counts the waiting chats again."""

    actor: Actor
    full: bool
    count: bool

    def wider(self, other: Reader | None) -> Reader:
        """This read and ``other`` (asked for meanwhile) as one: the widest of each."""
        if other is None:
            return self
        return Reader(self.actor, self.full or other.full, self.count or other.count)


@dataclass
class Area:
    """One operator's chat area: a read at a time; what was asked for meanwhile."""

    reading: bool = False
    pending: Reader | None = None


class OperatorSide:
    def __init__(self, chats: Conversations, actors: list[Actor], limit: int) -> None:
        self.chats, self.actors, self.limit = chats, actors, limit
        self.seen = Seen()
        self.heard = Heard()
        self.stop = threading.Event()  # SIGTERM: the bench waited long enough
        self.pool = ThreadPoolExecutor(WORKERS)
        self.held: dict[uuid.UUID, set[uuid.UUID]] = {a.operator_id: set() for a in actors}
        began, step = time.monotonic(), REFRESH / max(1, len(actors))
        self.tick = {a.operator_id: began + n * step for n, a in enumerate(actors)}
        self.waiting: dict[uuid.UUID, int] = {}  # each header's badge: the chats waiting
        self.fresh = {a.operator_id: False for a in actors}  # read since its timer's tick
        self.queued: dict[uuid.UUID, bool] = {}  # its queue pane listed chats at its last read
        self.areas = {a.operator_id: Area() for a in actors}
        self.areas_lock = threading.Lock()
        self.failed: BaseException | None = None  # a read's unexpected error ends the run
        self.expected = sys.maxsize  # the visitor lines to answer (run)

    def run(self, expected: int, seconds: float) -> Seen:
        deadline, self.expected = time.monotonic() + seconds, expected
        while self.seen.answered < expected and time.monotonic() < deadline:
            if self.stop.is_set():
                break
            due = min(self.tick.values()) - time.monotonic()
            self.heard.wake.wait(max(0.0, due))
            for reader in self.readers(self.heard.taken()):
                self.want(reader)
        self.stop.set()  # the reads under way end; none follows them
        self.pool.shutdown()
        if self.failed is not None:
            raise self.failed
        return self.seen

    def want(self, reader: Reader) -> None:
        """The area reads now, or right after the read it runs (folded with the others
        asked for meanwhile)."""
        with self.areas_lock:
            area = self.areas[reader.actor.operator_id]
            if area.reading:
                area.pending = reader.wider(area.pending)
                return
            area.reading = True
        self.pool.submit(self._read, reader, time.perf_counter())

    def _read(self, reader: Reader, asked: float) -> None:
        self.seen.waits.append(time.perf_counter() - asked)
        try:
            self.serve(reader)
            with self.seen.lock:  # several threads count
                self.seen.done += 1
        except BaseException as error:  # not a refusal (attempt takes those): the bench's fault
            self.failed = error
            self.stop.set()
            self.heard.wake.set()
        with self.areas_lock:
            area = self.areas[reader.actor.operator_id]
            following, area.pending = area.pending, None
            area.reading = following is not None
        if following is not None and not self.stop.is_set():
            with contextlib.suppress(RuntimeError):  # the run ended meanwhile (shut down)
                self.pool.submit(self._read, following, time.perf_counter())

    def readers(self, notices: list[Notice]) -> list[Reader]:
        """The operators whose chat area reads now and what, each counted by why."""
        now = time.monotonic()
        moved = any(notice.queue_moved for notice in notices)  # the waiting queue
        readers = []
        for actor in self.actors:
            held, ticked = self.held[actor.operator_id], self._ticked(actor.operator_id, now)
            if ticked:  # as the area's timer: nothing if a notice read it since the last tick
                ticked, self.fresh[actor.operator_id] = not self.fresh[actor.operator_id], False
            mine = [n for n in notices if n.concerns(held, actor.operator_id)]
            if mine:
                self.fresh[actor.operator_id] = True
            if any(notice.lines_only for notice in mine):
                why, full = "a line of its chat", True
            elif mine:
                why, full = "its chat given, handed over or closed", True
            elif ticked:
                why, full = "its timer", True
            elif moved:
                why, full = "a colleague's chat or one waiting (the queue alone)", False
            else:
                continue
            self.seen.reads[why] = self.seen.reads.get(why, 0) + 1
            readers.append(Reader(actor, full, moved))
        return readers

    def _ticked(self, operator_id: uuid.UUID, now: float) -> bool:
        """Whether the operator's timer fired since the last round (its next tick set)."""
        if self.tick[operator_id] > now:
            return False
        while self.tick[operator_id] <= now:
            self.tick[operator_id] += REFRESH
        return True

    def serve(self, reader: Reader) -> None:
        actor = reader.actor
        if reader.count:  # the header's badge
            self.waiting[actor.operator_id] = self.timed(
                "waiting", lambda: self.chats.waiting_summary().count
            )
        if not reader.full:  # the queue pane, if some wait or it listed some
            if not (self.waiting.get(actor.operator_id) or self.queued.get(actor.operator_id)):
                return
            queue = self.timed("queue", lambda: self.chats.queue(actor))
            self.queued[actor.operator_id] = bool(queue)
            if queue and len(self.held[actor.operator_id]) < self.limit:
                self.attempt(lambda: self.timed("take_next", lambda: self.chats.take_next(actor)))
            return
        queue = self.timed("queue", lambda: self.chats.queue(actor))
        self.queued[actor.operator_id] = bool(queue)
        mine = self.timed("mine", lambda: self.chats.mine(actor))
        self.held[actor.operator_id] = {chat.id for chat in mine}
        if queue and len(mine) < self.limit:
            self.attempt(lambda: self.timed("take_next", lambda: self.chats.take_next(actor)))
        unread = [chat for chat in mine if chat.unread]
        for chat in unread:
            self.attempt(partial(self.answer, actor, chat.id))
        if mine and not unread:
            # The area shows its open chat's lines on every read, which marks them read: a
            # line arriving since ``mine`` is seen there, and answered as the operator would
            # (answering only the unread ones lost it: 4,999 answers of 5,000 in one run).
            self.attempt(partial(self.answer, actor, mine[0].id))

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
            if self.seen.answered >= self.expected:
                self.heard.wake.set()  # the run loop may stop now


def actors_of(chats: Conversations, count: int) -> list[Actor]:
    names = [operator_name(number) for number in range(count)]
    with chats.db.read() as session:
        found = session.scalars(select(Operator).where(Operator.username.in_(names))).all()  # type: ignore[attr-defined]
    return [Actor(o.id, o.username, o.full_name, o.role, o.department) for o in found]


def listener_of(url: str, heard: Heard) -> WatchThread:
    """What a terminal on this store hears changes with (app_floor.py)."""
    if url.startswith("postgresql"):
        from cc_terminal.store.notify import ChangeListener

        everything = partial(heard.add, Notice("conversation"))
        return ChangeListener(url, heard.add, print, everything)
    from cc_terminal.store.data_version import DataVersionWatcher

    return DataVersionWatcher(Path(url.removeprefix("sqlite:///")), heard.add)


def _cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main(argv: list[str]) -> None:
    url, data_dir, operators, limit, expected, seconds, out = argv
    faulthandler.enable()  # a crash in C (the drivers) says where, on stderr
    ws = open_workstation(Settings(db_url=url, data_dir=Path(data_dir)), migrate=False)
    side = OperatorSide(ws.chats, actors_of(ws.chats, int(operators)), int(limit))
    listener = listener_of(url, side.heard)
    listener.start()
    signal.signal(signal.SIGTERM, lambda _signal, _frame: side.stop.set())
    listener.watching.wait(30)
    print("ready", flush=True)
    seen = side.run(int(expected), float(seconds))
    listener.stop()
    figures = {
        "to_operator": seen.to_operator,
        "first": seen.first,
        "waits": seen.waits,
        "reads_done": seen.done,
        "answered": seen.answered,
        "refused": seen.refused[:20],
        "refused_count": len(seen.refused),
        "steps": seen.steps,
        "reads": seen.reads,
        "cpu_seconds": _cpu_seconds(),
    }
    Path(out).write_text(json.dumps(figures), encoding="utf-8")
    ws.close()


if __name__ == "__main__":
    main(sys.argv[1:])
