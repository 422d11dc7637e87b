"""A larger SQLite page cache for a bulk load's transactions (issue 29).

Each pooled connection keeps SQLite's default 2 MB cache (store/db.py says why). A bulk
load into a table with indexes, such as the address register's 3,000,000 points staged
in transactions of 20,000, rereads the indexes' pages at every insert once they outgrow
it: with ``BULK_CACHE_KIB`` on the connection that writes, kept from one transaction to
the next (the pool gives back the connection used last), the register's import took
30.1-30.9 s against 32.5-33.4 s (bench/results/register-apart.md).

The larger cache stays on that connection only while the thread that loads is inside
``bulk_cache()``: a connection marked larger that anyone else takes from the pool, the
loader after its load included, is set back to the default first, which frees the pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection

BULK_CACHE_KIB = 64 * 1024
MARK = "cc_bulk_cache"  # in the pooled connection's info: its cache is the larger one
_loading = threading.local()


@contextmanager
def bulk_cache() -> Iterator[None]:
    """This thread's transactions in the block may ``enlarge`` their connection's cache."""
    _loading.active = True
    try:
        yield
    finally:
        _loading.active = False


def enlarge(connection: Connection) -> None:
    """In a transaction inside ``bulk_cache()``: its SQLite connection's cache made
    ``BULK_CACHE_KIB`` (once; it stays while this thread loads)."""
    if connection.dialect.name != "sqlite" or not getattr(_loading, "active", False):
        return
    info = connection.connection.info
    if not info.get(MARK):
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        info[MARK] = True


def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any, default_kib: int) -> None:
    """A connection marked larger, taken outside a load: the default cache again."""
    if record.info.get(MARK) and not getattr(_loading, "active", False):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{default_kib}")
        cursor.close()
        del record.info[MARK]
