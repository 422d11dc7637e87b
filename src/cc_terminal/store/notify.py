"""Server mode: terminals hear of each other's escalations and queue changes through
PostgreSQL's LISTEN/NOTIFY instead of polling.

The outbox hook sends ``pg_notify`` in the writing transaction (delivered at commit), one
per table, saying for the chat tables which conversations changed (store/change_notice.py);
``ChangeListener`` holds one autocommit connection per terminal and calls back with the
``Notice`` it heard."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from cc_terminal.store.change_notice import Notice, heard

log = logging.getLogger(__name__)

CHANNEL = "cc_terminal"
# What other terminals wait for: a lead's escalation queue, the outbound and request queues,
# the chats (the header's badge, the chat area).
NOTIFIED = frozenset(
    {
        "escalation",
        "escalation_step",
        "lead",
        "service_request",
        "day_off_request",
        "conversation",
        "conversation_message",
        "phone_call",  # a ring from a webhook on another host; the floor board
        "work_session",  # the floor board: signed in, out
        "work_pause",  # the floor board: paused, back
        "call",  # the floor board: a saved call ends a wrap-up
        "call_presence",  # the floor board: a call typed on F2 began or ended
        "mail_outgoing",  # a letter's send failed or went: F8 and the header's count
    }
)


def notify(connection: Connection, notices: list[Notice]) -> None:
    for notice in notices:
        if notice.entity in NOTIFIED:
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": notice.payload()},
            )


class WatchThread:
    """A daemon thread that watches the store for other terminals' changes (``_watch``)
    until ``stop``; an app that closed meanwhile ends it quietly."""

    def __init__(self, name: str) -> None:
        self.stopped = threading.Event()
        self.watching = threading.Event()  # set once it hears (its first look, its LISTEN)
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _run(self) -> None:
        try:
            self._watch()
        except (RuntimeError, CancelledError):  # the app that wanted to hear has closed
            self.stopped.set()

    def _watch(self) -> None:
        raise NotImplementedError

    @staticmethod
    def _pass_on(on_change: Callable[[Notice], None], notice: Notice) -> None:
        """Hand one notice to the app. One screen's failed refresh (a pane not composed
        yet) is logged and the watch goes on; an app that closed ends it (``_run``)."""
        try:
            on_change(notice)
        except (RuntimeError, CancelledError):
            raise
        except Exception:
            log.warning("a change heard could not be shown", exc_info=True)


class ChangeListener(WatchThread):
    """A daemon thread that LISTENs and calls ``on_change(notice)``; ``on_lost(error)``
    when the server went away (it retries every few seconds)."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[Notice], None],
        on_lost: Callable[[str], None],
        on_back: Callable[[], None],
    ) -> None:
        parsed = make_url(url).set(drivername="postgresql")
        self.dsn = parsed.render_as_string(hide_password=False)
        self.on_change, self.on_lost, self.on_back = on_change, on_lost, on_back
        super().__init__("cc-listen")

    def _watch(self) -> None:
        import psycopg

        lost = False
        while not self.stopped.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.watching.set()
                    if lost:
                        lost = False
                        self.on_back()
                    while not self.stopped.is_set():
                        for note in connection.notifies(timeout=1.0):
                            self._pass_on(self.on_change, heard(note.payload))
            except psycopg.Error as error:
                if not lost:
                    lost = True
                    self.on_lost(str(error).splitlines()[0] if str(error) else type(error).__name__)
                self.stopped.wait(3)
