"""One host on a SQLite file: terminals hear of each other's commits without PostgreSQL's
NOTIFY. ``DataVersionWatcher`` holds one connection of its own to the file and asks it
``PRAGMA data_version`` every ``period`` seconds (SQLite answers from the file's header,
no table read: a few microseconds); the number moves when any other connection, of this
process or another, committed. Only then does it read which tables the commits touched
(their change ops since the last one it saw, by the ops' own sequence) and calls
``on_change(entity)`` once per table, as ``ChangeListener`` (store/notify.py) does for a
NOTIFY: the same callers, the same words."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from cc_terminal.store.notify import NOTIFIED, WatchThread

log = logging.getLogger(__name__)
PERIOD_SECONDS = 0.1
_NEWEST = "SELECT coalesce(max(seq), 0) FROM outbox_op"
_SINCE = "SELECT DISTINCT entity FROM outbox_op WHERE seq > ? AND seq <= ?"


class DataVersionWatcher(WatchThread):
    """A daemon thread; ``stop`` ends it at its next look."""

    def __init__(
        self, path: Path, on_change: Callable[[str], None], period: float = PERIOD_SECONDS
    ) -> None:
        self.path, self.on_change, self.period = path, on_change, period
        self.watching = threading.Event()  # set once the first version is read
        super().__init__("cc-data-version")

    def _watch(self) -> None:
        # autocommit: no transaction stays open between looks (each look sees the newest)
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            version, seen = self._version(connection), self._newest(connection)
            self.watching.set()
            while not self.stopped.wait(self.period):
                now = self._version(connection)
                if now == version:
                    continue
                version = now
                seen = self._tell(connection, seen)
        finally:
            connection.close()

    def _tell(self, connection: sqlite3.Connection, seen: int) -> int:
        """The tables changed since op ``seen``, each told once; the newest op's number."""
        try:
            newest = self._newest(connection)
            entities = {row[0] for row in connection.execute(_SINCE, (seen, newest))}
        except sqlite3.Error:  # busy past the wait, or the file away: the next look again
            log.debug("the change watcher could not read the ops", exc_info=True)
            return seen
        for entity in sorted(entities & NOTIFIED):
            if self.stopped.is_set():
                break
            self.on_change(entity)
        return newest

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int:
        return int(connection.execute("PRAGMA data_version").fetchone()[0])

    @staticmethod
    def _newest(connection: sqlite3.Connection) -> int:
        return int(connection.execute(_NEWEST).fetchone()[0])
