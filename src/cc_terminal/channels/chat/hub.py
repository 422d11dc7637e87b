"""One poll loop per gateway process: it asks the store which conversations have new
operator lines or changed state since its cursor (one query for the whole process) and
tells the sockets of those conversations here to fetch what they have not seen. Another
gateway process holds its own sockets and its own cursor: nothing is shared in memory.
On PostgreSQL a chat's write NOTIFYs every process (store/notify.py), which looks at once
instead of at its next poll."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Protocol

import anyio

log = logging.getLogger(__name__)


class Listener(Protocol):
    async def changed(self) -> None: ...


class Hub:
    def __init__(
        self,
        changed_since: Callable[[int], tuple[int, list[uuid.UUID]]],
        poll_seconds: float,
    ) -> None:
        self.changed_since = changed_since
        self.poll_seconds = poll_seconds
        self.by_conversation: dict[uuid.UUID, set[Listener]] = defaultdict(set)
        # Resumed without naming their conversation: told of every change.
        self.unplaced: set[Listener] = set()
        self.polled_at = 0.0  # time.monotonic() of the last poll the store answered
        # PostgreSQL's NOTIFY of a chat's write wakes the loop before its next poll.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._woken = anyio.Event()

    def attach(self, listener: Listener, conversation: uuid.UUID | None) -> None:
        if conversation is None:
            self.unplaced.add(listener)
        else:
            self.by_conversation[conversation].add(listener)

    def detach(self, listener: Listener) -> None:
        self.unplaced.discard(listener)
        for conversation in [c for c, held in self.by_conversation.items() if listener in held]:
            self.by_conversation[conversation].discard(listener)
            if not self.by_conversation[conversation]:
                del self.by_conversation[conversation]

    def healthy(self) -> bool:
        return time.monotonic() - self.polled_at < max(5.0, 10 * self.poll_seconds)

    def nudge(self) -> None:
        """From any thread: look now, a chat has changed (a no-op until the loop runs)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        self._woken.set()

    async def _next_look(self) -> None:
        with anyio.move_on_after(self.poll_seconds):
            await self._woken.wait()
        self._woken = anyio.Event()

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        cursor = await self._first_cursor()
        while True:
            await self._next_look()
            try:
                cursor, changed = await anyio.to_thread.run_sync(self.changed_since, cursor)
            except Exception:  # the store away: the sockets wait, the loop goes on
                log.warning("the store did not answer the gateway's poll", exc_info=True)
                continue
            self.polled_at = time.monotonic()
            await self._tell(changed)

    async def _first_cursor(self) -> int:
        while True:
            try:
                cursor, _ = await anyio.to_thread.run_sync(self.changed_since, 0)
                self.polled_at = time.monotonic()
                return cursor
            except Exception:
                log.warning("the store did not answer the gateway's first poll", exc_info=True)
                await anyio.sleep(self.poll_seconds)

    async def _tell(self, changed: list[uuid.UUID]) -> None:
        if not changed:
            return
        listeners = set(self.unplaced)
        for conversation in changed:
            listeners |= self.by_conversation.get(conversation, set())
        async with anyio.create_task_group() as tasks:
            for listener in listeners:
                tasks.start_soon(_tell_one, listener)


async def _tell_one(listener: Listener) -> None:
    try:
        await listener.changed()
    except Exception:  # one socket's failure is its own
        log.warning("a visitor's socket could not be brought up to date", exc_info=True)
