"""One engine factory for SQLite files and PostgreSQL servers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url

from cc_terminal.i18n import _
from cc_terminal.store import bulk_cache
from cc_terminal.store.errors import StoreError

SQLITE_MMAP_BYTES = 256 * 1024 * 1024
# Each pooled connection keeps its own page cache on the heap for the pages beyond the
# mapping: SQLite's own default, 2 MB. At 16 MB five calls on a 3 GB file grew a terminal
# by 37 MB (bench/results/memory-breakdown.md); the OS caches the file's pages anyway.
SQLITE_CACHE_KIB = 2 * 1024
SQLITE_BUSY_TIMEOUT_MS = 10_000
# a write transaction's execution option: False for one whose loss at a power cut harms
# nothing (store.database.Database.write), committed without waiting for the disk
DURABLE_OPTION = "cc_durable"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` and pick the psycopg 3 driver for it."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def dialect_of(url: str) -> str:
    return make_url(normalise_url(url)).get_backend_name()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    backend = dialect_of(url)
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    raise StoreError(_("unsupported database URL scheme: {backend}").format(backend=backend))


def prepare_private_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) so no one else on the machine reads
    them; a folder or files already there with wider permissions (an old install, a umask
    of 000) are tightened, the WAL and its index and the drafts folder too."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK):
            raise PermissionError(13, _("Permission denied"), str(folder))
        _tighten(folder, 0o700)
        # Opened only to create it: closing any descriptor of a file drops every POSIX
        # lock this process holds on it, SQLite's too (sqlite.org/howtocorrupt.html 2.2),
        # and another process would then take this one's connections for gone and delete
        # the WAL they still read.
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
        elif not os.access(path, os.R_OK | os.W_OK):
            raise PermissionError(13, _("Permission denied"), str(path))
        for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if companion.exists():
                _tighten(companion, 0o600)
        drafts = folder / "drafts"
        if drafts.is_dir():
            _tighten(drafts, 0o700)
            for draft in drafts.iterdir():
                _tighten(draft, 0o600)
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("cannot use the data path {path}: {reason}")
        raise StoreError(message.format(path=path, reason=reason)) from error


def _tighten(path: Path, mode: int) -> None:
    """Take away what group and others may do (never add rights the owner lacks)."""
    current = path.stat().st_mode & 0o777
    if current & ~mode:
        os.chmod(path, current & mode)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        prepare_private_file(Path(database))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        pool_use_lifo=True,  # the connection used last, its cache warm, is taken again
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "checkout", _on_sqlite_checkout)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Reads go through the OS page cache by mapping, not a read() call per page: the search
    # index is read in long range scans. The mapping is shared and reclaimable.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _on_sqlite_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    bulk_cache.on_checkout(dbapi_connection, record, proxy, SQLITE_CACHE_KIB)


def _on_sqlite_begin(connection: Any) -> None:
    # A write transaction takes the write lock up front: a deferred one that reads first
    # and writes later can fail with SQLITE_BUSY without waiting for the busy timeout.
    options = connection.get_execution_options()
    writes = options.get("cc_write", False)
    _durable(connection, options.get(DURABLE_OPTION, True))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _durable(connection: Any, durable: bool) -> None:
    """Whether this transaction's commit waits for the disk and then moves the WAL's pages
    into the database file (a checkpoint, past 1,000 pages), or leaves both (the caller
    checkpoints: store.database.Database.checkpoint). Set before the transaction begins
    (SQLite refuses it inside one), and only when it changes."""
    kept = connection.connection.info
    if kept.get("durable", True) != durable:
        connection.exec_driver_sql(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={1000 if durable else 0}")
        kept["durable"] = durable


def refresh_statistics(connection: Connection, table: str) -> None:
    """After a bulk load: the query planner's figures for ``table`` are stale, and a pick
    planned on them reads every lead instead of walking an index to the first."""
    connection.exec_driver_sql(f'ANALYZE "{table}"')  # the same words on both stores
