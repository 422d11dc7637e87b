"""A larger SQLite page cache for a bulk load's transactions (issue 29).

Each pooled connection keeps SQLite's default 2 MB cache (store/db.py says why). A bulk
load into a table with indexes, such as the address register's 3,000,000 points staged
in transactions of 20,000, rereads the indexes' pages at every insert once they outgrow
it: with ``BULK_CACHE_KIB`` on the connection that writes, kept from one transaction to
the next (the pool gives back the connection used last), the register's import took
29.7-31.8 s against 32.5-33.4 s (bench/results/register-apart.md).

The larger cache stays on a connection only while a load runs in this process (inside
``bulk_cache()``; its checkpoints may take the connection from another thread): the first
to take a connection so marked after every load has ended sets it back to the default
first, which frees the pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection

from cc_terminal.store.bulk_gc import fewer_collections

BULK_CACHE_KIB = 64 * 1024
MARK = "cc_bulk_cache"  # in the pooled connection's info: its cache is the larger one
_LOADS = [0]  # loads running in this process
_COUNTING = threading.Lock()


@contextmanager
def bulk_cache() -> Iterator[None]:
    """A load runs: transactions may ``enlarge`` their connection's cache, and it stays;
    Python's collector runs less often meanwhile (store/bulk_gc.py)."""
    with _COUNTING:
        _LOADS[0] += 1
    try:
        with fewer_collections():
            yield
    finally:
        with _COUNTING:
            _LOADS[0] -= 1


def enlarge(connection: Connection) -> None:
    """In a transaction inside ``bulk_cache()``: its SQLite connection's cache made
    ``BULK_CACHE_KIB`` (once; it stays while a load runs)."""
    if connection.dialect.name != "sqlite" or not _LOADS[0]:
        return
    info = connection.connection.info
    if not info.get(MARK):
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        info[MARK] = True


def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any, default_kib: int) -> None:
    """A connection marked larger, taken when no load runs: the default cache again."""
    if record.info.get(MARK) and not _LOADS[0]:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{default_kib}")
        cursor.close()
        del record.info[MARK]
