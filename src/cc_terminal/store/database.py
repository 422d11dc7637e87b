"""A database handle: the engine plus transactions that carry the acting user."""

from __future__ import annotations

import functools
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from cc_terminal.i18n import _
from cc_terminal.store import audit_chain  # also: links every audit event written
from cc_terminal.store.db import (
    DURABLE_OPTION,
    SQLITE_BUSY_TIMEOUT_MS,
    make_engine,
    normalise_url,
)
from cc_terminal.store.errors import StoreBusy, StoreUnavailable
from cc_terminal.store.keyring import Keyring
from cc_terminal.store.outbox import ACTOR_KEY, KEYRING_OPTION, OutboxSession
from cc_terminal.store.writer_turn import WriterTurn

SQLITE_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (the low byte of extended codes)
POSTGRES_BUSY_STATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock timeout
BUSY_RETRY_SECONDS = 60.0  # how long a retried write keeps trying a busy store
FIRST_PAUSE_SECONDS = 0.05
LONGEST_PAUSE_SECONDS = 1.0
_pause = time.sleep  # the tests watch the pauses

T = TypeVar("T")
P = ParamSpec("P")


@contextmanager
def _unavailable_as_store_error() -> Iterator[None]:
    """A lost server or a store busy past its timeout becomes one clear ``StoreError``
    (nothing was saved), which screens and the CLI report instead of a traceback."""
    try:
        yield
    except OperationalError as error:
        detail = str(error.orig).splitlines()[0] if error.orig else str(error)
        kind = StoreBusy if _busy(error) else StoreUnavailable
        raise kind(
            _(
                "The database cannot be reached or stayed busy ({detail}); nothing was saved."
            ).format(detail=detail)
        ) from error


def _busy(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_BUSY_CODES
    return getattr(error.orig, "sqlstate", None) in POSTGRES_BUSY_STATES


def retry_when_busy(work: Callable[[], T], within: float | None = None) -> T:
    """Run ``work`` (whole transactions) again while the store is busy: a terminal on a
    loaded host waits for its turn instead of failing. Each try waits the store's own busy
    timeout; between tries a pause that doubles (with jitter, so waiting terminals do not
    come back together) up to a second; ``StoreBusy`` once ``within`` seconds are over."""
    deadline = time.monotonic() + (BUSY_RETRY_SECONDS if within is None else within)
    pause = FIRST_PAUSE_SECONDS
    while True:
        try:
            return work()
        except StoreBusy:
            if time.monotonic() + pause > deadline:
                raise
        _pause(pause * random.uniform(0.5, 1.0))
        pause = min(2 * pause, LONGEST_PAUSE_SECONDS)


def retried_when_busy(write: Callable[P, T]) -> Callable[P, T]:
    """``retry_when_busy`` around every call of ``write``, which must be one whole write
    transaction and nothing else (a chat's round-robin: two on PostgreSQL may lock the
    same operators in opposite orders, and one of them is refused as a deadlock)."""

    @functools.wraps(write)
    def retried(*args: P.args, **kwargs: P.kwargs) -> T:
        return retry_when_busy(lambda: write(*args, **kwargs))

    return retried


class Database:
    """Opens sessions; one ``write`` block is one transaction with its outbox ops, signed
    with the acting account's key when it is open in ``keyring`` (store/keyring.py)."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = normalise_url(url)
        self.engine = engine or make_engine(self.url)
        self._sessions = sessionmaker(self.engine, class_=OutboxSession, expire_on_commit=False)
        # SQLite has one writer at a time: this process's threads and the other processes
        # on the file queue for it in turn (store/writer_turn.py).
        self._one_writer = _writer_turn_of(self.engine)
        self.keyring = Keyring()
        self.audit_chain = ""  # a server terminal's chain (store/audit_chain.py)

    @contextmanager
    def write(self, actor_id: uuid.UUID | None, durable: bool = True) -> Iterator[OutboxSession]:
        """One write transaction. ``durable=False`` for a staged import's batch, which
        nothing reads until a durable write shows it: its commit does not wait for the
        disk (SQLite's WAL with synchronous=NORMAL, PostgreSQL's synchronous_commit off;
        a power cut may take the last such commits back, never half of one), and the
        durable commit that shows it makes it durable with everything before it. On
        SQLite it leaves the checkpoint to the caller (``checkpoint``), out of the time
        it holds the write lock."""
        with (
            self.writer_turn(),
            _unavailable_as_store_error(),
            self._sessions() as session,
            session.begin(),
        ):
            session.info[ACTOR_KEY] = actor_id
            connection = session.connection(
                execution_options={
                    "cc_write": True,
                    DURABLE_OPTION: durable,
                    KEYRING_OPTION: self.keyring,
                    audit_chain.CHAIN_OPTION: self.audit_chain,
                }
            )
            if not durable and connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield session

    @contextmanager
    def writer_turn(self) -> Iterator[None]:
        """This thread's turn to write (SQLite). A turn not come within SQLite's own busy
        wait is left to SQLite (a thread that waits on another, holding its turn, ends as
        before: the store says it is busy), never a deadlock."""
        if self._one_writer is None:
            yield
            return
        with self._one_writer.turn():
            yield

    def checkpoint(self) -> None:
        """SQLite: the WAL's pages moved into the database file, as a commit past 1,000
        pages does when durable (``write``); passive: it waits for no reader or writer,
        and holds no write lock."""
        if self.engine.dialect.name != "sqlite":
            return
        connection = self.engine.raw_connection()  # outside any transaction, as it must be
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for read-only Core queries; whatever it began is rolled back."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[OutboxSession]:
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._one_writer is not None:
            self._one_writer.close()


def _writer_turn_of(engine: Engine) -> WriterTurn | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    on_file = database not in ("", ":memory:") and "mode=memory" not in str(engine.url)
    return WriterTurn(Path(database) if on_file else None, SQLITE_BUSY_TIMEOUT_MS / 1000)
