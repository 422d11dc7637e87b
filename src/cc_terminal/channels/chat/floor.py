"""The gateway as one more member of a floor that syncs through a shared folder: its own
SQLite store, its sync rounds run in a thread of the gateway's process (publish its ops,
ingest the others'), every ``sync_seconds`` and again right after a visitor's write
(writes during a round make one more round, not one each). A round that brought chat
changes wakes the hub, which brings every socket up to date: the lines ingested were
written on a terminal's clock a sync interval ago or more, older than the hub's look-back.
A round that brought an operator's sign-in or a pause's end gives the waiting chats
round-robin (``present``), shared by the next round at once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from cc_terminal.sync.engine import FloorSync, SyncState

log = logging.getLogger(__name__)
CHAT_TABLES = frozenset({"conversation", "conversation_message", "conversation_assignment"})
PRESENCE_TABLES = frozenset({"work_session", "work_pause"})
# Between two rounds at least this long: a busy gateway's writes coalesce into one round
# (one segment on the share) instead of a segment each.
GAP_SECONDS = 0.1


class FloorPace:
    """Runs ``floor.round()`` in one daemon thread; ``wake`` from any thread."""

    def __init__(
        self,
        floor: FloorSync | None,
        every: float,
        ingested: Callable[[], None],
        gap: float = GAP_SECONDS,
        reach: Callable[[], FloorSync | None] = lambda: None,
        present: Callable[[], int] = lambda: 0,
    ) -> None:
        """``floor`` None: the share was away at start; ``reach`` opens it once it is back."""
        self.floor, self.every, self.ingested, self.gap = floor, every, ingested, gap
        self.reach, self.present = reach, present
        self.last: SyncState | None = None
        self._woken = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="floor-sync", daemon=True)
        self._problem = ""

    def start(self) -> None:
        self._thread.start()

    def cut_off(self) -> bool:
        """The last round found the share away, or sharing stopped: what visitors write now
        reaches no operator until it is back."""
        last = self.last
        if self.floor is None:
            return True
        return last is not None and (last.away_since is not None or bool(last.stopped))

    def wake(self) -> None:
        """A visitor's write is stored: share it now rather than at the next tick."""
        self._woken.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the round under way and run one more: what was written is shared."""
        self._stopped.set()
        self._woken.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            self._woken.wait(self.every)
            self._woken.clear()
            if self._stopped.is_set():
                break
            self.round()
            time.sleep(self.gap)
        self.round()

    def round(self) -> SyncState | None:
        if self.floor is None:
            self.floor = self.reach()
            if self.floor is None:
                return None
        try:
            state = self.floor.round()
        except Exception:  # a round's failure is said and the next one tries again
            log.warning("the gateway's sync round failed", exc_info=True)
            return None
        self.last = state
        problem = state.problem or state.stopped
        if problem and problem != self._problem:
            log.warning("floor sync: %s", problem)
        self._problem = problem
        given = self._give_waiting() if state.entities & PRESENCE_TABLES else 0
        if given or state.entities & CHAT_TABLES:
            self.ingested()
        if given:
            self.wake()
        return state

    def _give_waiting(self) -> int:
        try:
            return self.present()
        except Exception:  # the next chat started or closed assigns again
            log.warning("the gateway's round-robin after a sync round failed", exc_info=True)
            return 0
