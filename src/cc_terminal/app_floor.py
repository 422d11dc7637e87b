"""The app's side of sharing: the floor folder synced by a background worker every few
seconds, or, on a server, LISTEN/NOTIFY and a watch on the connection, or, on one host's
SQLite file, the file's data version watched (store/data_version.py). The header's
storage segment says how things stand; the UI never waits for the share or the server."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from cc_terminal.i18n import _, ngettext
from cc_terminal.screens.base import WorkstationApp
from cc_terminal.session_log import log
from cc_terminal.store.change_notice import CHAT_TABLES, Notice

if TYPE_CHECKING:
    from textual.timer import Timer

    from cc_terminal.services.workstation import Workstation
    from cc_terminal.store.data_version import DataVersionWatcher
    from cc_terminal.store.notify import ChangeListener
    from cc_terminal.sync.engine import SyncState

# What the floor board (F7, team leads) shows; the first four concern no header badge.
FLOOR_ONLY = frozenset({"phone_call", "work_session", "work_pause", "call", "call_presence"})
FLOOR_TABLES = FLOOR_ONLY | CHAT_TABLES
# NOT_LOADED_FOR_A_LOOK: the screen a change concerns is asked for only when its module is
# loaded. Importing it to ask "is it on screen?" loaded the floor board on the UI thread at
# the sign-in's own commits (25-55 ms of the sign-in, profiled).
CHAT_AREA = "cc_terminal.screens.channels.chats"
FLOOR_BOARD = "cc_terminal.screens.calls.queues"


class FloorWatch:
    """Started once the store is open; owned by the app."""

    def __init__(self, app: WorkstationApp, services: Workstation, base_line: str) -> None:
        self.app, self.services, self.base_line = app, services, base_line
        self.state_words: Callable[[], str] = str  # what follows the mode: none yet
        self.problem = ""
        self.listener: ChangeListener | DataVersionWatcher | None = None
        self.busy = threading.Lock()
        self._reaching: Timer | None = None  # the floor folder away at start: tried again

    def start(self) -> None:
        settings = self.services.settings
        if self.services.floor is not None:
            self.app.set_interval(settings.sync_seconds, self.sync_now)
            self.sync_now()
        elif self.services.floor_problem:
            self.app.notify(self.services.floor_problem, severity="error", timeout=30)
            if self._share_away():
                since = datetime.now(self.app.zone).strftime("%H:%M")
                self.say(lambda: _("share away since {t}").format(t=since))
                self._reaching = self.app.set_interval(settings.sync_seconds, self._reach_floor)
            else:
                self.say(lambda: _("working locally"))
        elif settings.storage_mode == "server":
            from cc_terminal.store.notify import ChangeListener

            self.listener = ChangeListener(
                settings.database_url, self._heard, self._server_lost, self._server_back
            )
            self.listener.start()
        elif settings.storage_mode == "embedded" and _on_file(settings.database_path):
            # One host on a SQLite file: other processes' commits heard as a NOTIFY is.
            from cc_terminal.store.data_version import DataVersionWatcher

            assert settings.database_path is not None
            self.listener = DataVersionWatcher(settings.database_path, self._heard)
            self.listener.start()

    def say(self, state_words: Callable[[], str]) -> None:
        """The header's storage segment: the mode, then how things stand (said again in the
        language of the moment by ``redraw`` after a change of language)."""
        self.state_words = state_words
        self.redraw()

    def redraw(self) -> None:
        words = self.state_words()
        self.app.storage_line = f"{self.base_line} · {words}" if words else self.base_line

    def _share_away(self) -> bool:
        """The floor folder this terminal was on is not there (an unmounted share)."""
        from cc_terminal.sync.terminal import share_away

        settings = self.services.settings
        return share_away(settings.sync_dir, settings.data_dir)

    def _reach_floor(self) -> None:
        """The share came back: the floor opens and syncing starts, with no restart."""
        from cc_terminal.sync.terminal import open_floor

        if self._share_away():
            return
        if self._reaching is not None:
            self._reaching.stop()
            self._reaching = None
        floor, problem = open_floor(self.services.settings, self.services.db)
        self.services.floor, self.services.floor_problem = floor, problem
        self.start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()

    def sync_now(self) -> None:
        if self.services.floor is not None:
            _sync_round(self.app, self)

    def show(self, state: SyncState) -> None:
        zone = self.app.zone
        summary = state.summary(lambda moment: moment.astimezone(zone).strftime("%H:%M"))
        if state.conflicts and self.app.actor is not None and self.app.actor.is_lead:
            summary += " · F11"
        self.say(lambda: summary)
        problem = state.problem or state.stopped
        if problem and problem != self.problem:
            log.warning("floor sync: %s", problem)
            self.app.notify(problem, severity="warning", timeout=20)
        self.problem = problem
        if state.refused and self.app.actor is not None and self.app.actor.is_lead:
            refused = ngettext(
                "{n} change from other terminals refused; F11 lists it",
                "{n} changes from other terminals refused; F11 lists them",
                state.refused,
            )
            self.app.notify(refused.format(n=state.refused), severity="warning", timeout=20)
        if state.entities & {
            "escalation",
            "escalation_step",
            "lead",
            "day_off_request",
            "day_off_event",
            *CHAT_TABLES,
        }:
            self.app.poll_escalations()
        if state.entities & CHAT_TABLES:
            self._chats_changed(Notice("conversation"))  # a round says no chat: all
        if state.entities & FLOOR_TABLES:
            self._floor_changed()

    # -- server mode, and one host on a SQLite file (store/data_version.py) ---------------

    def _heard(self, notice: Notice) -> None:
        """A notice of another writer's commit. A line of some chats (``lines_only``) is
        read again only by the chat area holding one of them: no badge, no floor board;
        any other chat notice reads the chat area what concerns it
        (screens/channels/chat_reads.py), and the waiting chats' badge alone (a count)
        unless it says the queue stayed as it was (``queue_moved``)."""
        if self.listener is not None and self.listener.stopped.is_set():
            return  # the app is closing: its loop takes no more calls
        entity = notice.entity
        if entity == "phone_call":  # a ring stored by a webhook on another host
            self.app.call_from_thread(self.app.phone_store_changed)
        elif entity in CHAT_TABLES:  # of the badges, only the waiting chats' concern it
            if notice.queue_moved:
                self.app.call_from_thread(self.app.chats_changed)
            self.app.call_from_thread(self._chats_changed, notice)
        elif entity not in FLOOR_ONLY:
            self.app.call_from_thread(self.app.poll_escalations)
        if entity in FLOOR_TABLES and not notice.lines_only:
            self.app.call_from_thread(self._floor_changed)

    def _chats_changed(self, notice: Notice) -> None:
        """A chat changed elsewhere: the chat area on screen reads again at once if the
        change concerns it (screens/channels/chats.py ``heard``)."""
        if CHAT_AREA not in sys.modules:
            return  # F8 never opened here, so not on screen: see NOT_LOADED_FOR_A_LOOK
        from cc_terminal.screens.channels.chats import ChatScreen

        screen = self.app.screen_stack[-1] if self.app.screen_stack else None
        if isinstance(screen, ChatScreen):
            screen.heard(notice)

    def _floor_changed(self) -> None:
        """The floor board on screen reads again (once, however many changes came)."""
        if FLOOR_BOARD not in sys.modules:
            return  # F7 never opened here, so not on screen: see NOT_LOADED_FOR_A_LOOK
        from cc_terminal.screens.calls.queues import QueueScreen

        screen = self.app.screen_stack[-1] if self.app.screen_stack else None
        if isinstance(screen, QueueScreen):
            screen.refresh_floor()

    def _server_lost(self, reason: str) -> None:
        since = datetime.now(self.app.zone).strftime("%H:%M")
        self.app.call_from_thread(self.say, lambda: _("server away since {t}").format(t=since))

    def _server_back(self) -> None:
        self.app.call_from_thread(self.say, str)
        self.app.call_from_thread(self.app.poll_escalations)
        self.app.call_from_thread(self._save_what_waited)

    def _save_what_waited(self) -> None:
        """A call whose save found the server away is saved now (screens/calls/call_saving.py)."""
        for screen in self.app.screen_stack:
            retry = getattr(screen, "retry_unsaved", None)
            if retry is not None:
                retry()


def _on_file(path: Path | None) -> bool:
    return path is not None and path.name not in ("", ":memory:") and path.exists()


def _sync_round(app: WorkstationApp, watch: FloorWatch) -> None:
    # One round at a time: a slow share makes the next tick skip, not queue up.
    if watch.busy.acquire(blocking=False):
        app.run_worker(
            lambda: _round(app, watch), thread=True, exit_on_error=False, group="floor-sync"
        )


def _round(app: WorkstationApp, watch: FloorWatch) -> None:
    try:
        floor = watch.services.floor
        assert floor is not None
        state = floor.round()
    finally:
        watch.busy.release()
    if not get_current_worker().is_cancelled:
        app.call_from_thread(watch.show, state)
