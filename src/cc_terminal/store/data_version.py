"""One host on a SQLite file: terminals hear of each other's commits without PostgreSQL's
NOTIFY. ``DataVersionWatcher`` holds one connection of its own to the file and asks it
``PRAGMA data_version`` every ``period`` seconds (SQLite answers from the file's header,
no table read: a few microseconds); the number moves when any other connection, of this
process or another, committed. Only then does it read which tables the commits touched
(their change ops since the last one it saw, by the ops' own sequence) and calls
``on_change(notice)`` once per table, for the chat tables with the conversations the ops
touched, as ``ChangeListener`` (store/notify.py) does for a NOTIFY: the same callers, the
same notices (store/change_notice.py)."""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from cc_terminal.store.change_notice import (
    CHAT_LINES,
    CHAT_ROWS,
    Notice,
    Touch,
    notices,
    touched,
)
from cc_terminal.store.notify import NOTIFIED, WatchThread

log = logging.getLogger(__name__)
PERIOD_SECONDS = 0.1
_NEWEST = "SELECT coalesce(max(seq), 0) FROM outbox_op"
_WATCHED = ", ".join(f"'{entity}'" for entity in sorted(NOTIFIED))
_SINCE = (
    "SELECT entity, row_id, kind, changes FROM outbox_op"
    f" WHERE seq > ? AND seq <= ? AND entity IN ({_WATCHED})"
)
# a line's marks: its op names the line, not its chat
_CHATS_OF_LINES = (
    "SELECT id, conversation_id FROM conversation_message"
    " WHERE id IN (SELECT value FROM json_each(?))"
)
Op = tuple[str, str, str, str]  # entity, row id, kind, changes (JSON)


class DataVersionWatcher(WatchThread):
    """A daemon thread; ``stop`` ends it at its next look."""

    def __init__(
        self, path: Path, on_change: Callable[[Notice], None], period: float = PERIOD_SECONDS
    ) -> None:
        self.path, self.on_change, self.period = path, on_change, period
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
            ops: list[Op] = connection.execute(_SINCE, (seen, newest)).fetchall()
            told = notices(_touches(connection, ops))
        except sqlite3.Error:  # busy past the wait, or the file away: the next look again
            log.debug("the change watcher could not read the ops", exc_info=True)
            return seen
        for notice in told:
            if self.stopped.is_set():
                break
            self._pass_on(self.on_change, notice)
        return newest

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int:
        return int(connection.execute("PRAGMA data_version").fetchone()[0])

    @staticmethod
    def _newest(connection: sqlite3.Connection) -> int:
        return int(connection.execute(_NEWEST).fetchone()[0])


def _touches(connection: sqlite3.Connection, ops: list[Op]) -> Iterator[Touch]:
    """Each op's notice and chat (store/change_notice.py ``touched``)."""
    marked = [
        row_id for entity, row_id, kind, _ in ops if entity == CHAT_LINES and kind != "insert"
    ]
    chat_of_line = _chats_of_lines(connection, marked) if marked else {}
    for entity, row_id, kind, changes in ops:
        values = json.loads(changes) if changes else {}
        if entity == CHAT_ROWS:
            chat = _id(row_id)
        elif entity == CHAT_LINES and kind != "insert":
            chat = chat_of_line.get(row_id)
        else:
            chat = _id(values.get("conversation_id"))
        yield touched(entity, kind, values, chat)


def _chats_of_lines(connection: sqlite3.Connection, row_ids: list[str]) -> dict[str, uuid.UUID]:
    """The chat of each line (by its op's row id); a line since erased has none."""
    stored = {_id(row_id): row_id for row_id in row_ids}
    listed = json.dumps([line.hex for line in stored if line is not None])
    chats: dict[str, uuid.UUID] = {}
    for line, chat in connection.execute(_CHATS_OF_LINES, (listed,)):
        line_id, chat_id = _id(line), _id(chat)
        if line_id in stored and chat_id is not None:
            chats[stored[line_id]] = chat_id
    return chats


def _id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
