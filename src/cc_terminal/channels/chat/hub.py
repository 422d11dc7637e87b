"""One poll loop per gateway process: it asks the store which conversations have new
lines or an operator typing since its cursor (one query for the whole process), reads
what changed in those it holds sockets for (one more query, and one write of the
delivered marks) and hands each socket its chat's news: no socket asks the store on its
own. Every ``MARKS_SECONDS`` the chats whose visitor waits for a read mark are read too
(a mark changes no conversation). Another gateway process holds its own sockets and its
own cursor: nothing is shared in memory.
On PostgreSQL a chat's write NOTIFYs every process (store/notify.py), which looks at once
instead of at its next poll. On a folder floor a sync round that brought chat changes
(written elsewhere, on another clock, a sync interval ago) has every socket ask for what
it has not seen (``ingested``): the look-back would miss them. Every ``SWEEP_POLLS`` polls
the hub asks for the last line of every chat it holds (one query), and a socket that has
not shown it asks for what it lacks: a line whose transaction outlasted the look-back
(its moment read long before its commit) is late by that much, never lost."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Protocol

import anyio

from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitors import ChatNews

log = logging.getLogger(__name__)
# Below the store's look-back (services/channels/visitors.py LOOK_BACK): consecutive
# looks for marks overlap, so none is missed.
MARKS_SECONDS = 1.0
SWEEP_POLLS = 60  # 15 s at the gateway's default poll


class Listener(Protocol):
    last_seq: int  # the last line of its chat it has shown

    def awaits_marks(self) -> bool: ...

    def wants(self, lines: list[VisitorLine], typing: bool) -> bool: ...

    async def changed(self) -> None: ...

    async def told(self, lines: list[VisitorLine], typing: bool) -> None: ...


class Hub:
    def __init__(
        self,
        changed_since: Callable[[int], tuple[int, list[uuid.UUID]]],
        news: Callable[[Collection[uuid.UUID], int], ChatNews],
        newest_lines: Callable[[Collection[uuid.UUID]], dict[uuid.UUID, int]],
        poll_seconds: float,
    ) -> None:
        self.changed_since, self.news, self.newest_lines = changed_since, news, newest_lines
        self.marks_at = 0.0  # time.monotonic() of the last look for read marks
        self.swept_at = 0.0  # time.monotonic() of the last look for lines the looks missed
        self.poll_seconds = poll_seconds
        self.by_conversation: dict[uuid.UUID, set[Listener]] = defaultdict(set)
        # Resumed without naming their conversation: told of every change.
        self.unplaced: set[Listener] = set()
        self.polled_at = 0.0  # time.monotonic() of the last poll the store answered
        # PostgreSQL's NOTIFY of a chat's write wakes the loop before its next poll.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._woken = anyio.Event()
        self._everyone = False  # a sync round brought other members' chat changes

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

    def ingested(self) -> None:
        """From the sync thread: other members' chat changes arrived; every socket asks."""
        self._everyone = True
        self.nudge()

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
                cursor = await self._look(cursor)
            except Exception:  # the store away: the sockets wait, the loop goes on
                log.warning("the store did not answer the gateway's poll", exc_info=True)

    async def _look(self, cursor: int) -> int:
        """One look: the changes since ``cursor`` told to the sockets; the next cursor."""
        if self._everyone:
            self._everyone = False
            everyone = set(self.unplaced)
            everyone.update(*self.by_conversation.values())
            await self._tell(everyone)
        following, changed = await anyio.to_thread.run_sync(self.changed_since, cursor)
        self.polled_at = time.monotonic()
        held = {conversation for conversation in changed if conversation in self.by_conversation}
        if self.polled_at - self.marks_at >= MARKS_SECONDS:
            self.marks_at = self.polled_at
            held |= {
                conversation
                for conversation, listeners in self.by_conversation.items()
                if any(listener.awaits_marks() for listener in listeners)
            }
        if held:
            news = await anyio.to_thread.run_sync(self.news, held, cursor)
            await self._tell_news(held, news)
        if changed and self.unplaced:
            await self._tell(set(self.unplaced))
        if self.polled_at - self.swept_at >= SWEEP_POLLS * self.poll_seconds:
            self.swept_at = self.polled_at
            await self._sweep()
        return following

    async def _sweep(self) -> None:
        """The sockets behind their chat's last line ask for what they lack."""
        held = list(self.by_conversation)
        if not held:
            return
        newest = await anyio.to_thread.run_sync(self.newest_lines, held)
        behind = {
            listener
            for conversation, seq in newest.items()
            for listener in self.by_conversation.get(conversation, ())
            if listener.last_seq < seq
        }
        if behind:
            await self._tell(behind)

    async def _first_cursor(self) -> int:
        while True:
            try:
                cursor, _ = await anyio.to_thread.run_sync(self.changed_since, 0)
                self.polled_at = time.monotonic()
                return cursor
            except Exception:
                log.warning("the store did not answer the gateway's first poll", exc_info=True)
                await anyio.sleep(self.poll_seconds)

    async def _tell_news(self, held: set[uuid.UUID], news: ChatNews) -> None:
        async with anyio.create_task_group() as tasks:
            for conversation in held:
                lines = news.lines.get(conversation, [])
                typing = news.typing.get(conversation, False)
                for listener in set(self.by_conversation.get(conversation, ())):
                    if listener.wants(lines, typing):  # most have shown the look-back's lines
                        tasks.start_soon(_told, listener, lines, typing)

    async def _tell(self, listeners: set[Listener]) -> None:
        async with anyio.create_task_group() as tasks:
            for listener in listeners:
                tasks.start_soon(_tell_one, listener)


async def _told(listener: Listener, lines: list[VisitorLine], typing: bool) -> None:
    try:
        await listener.told(lines, typing)
    except Exception:  # one socket's failure is its own
        log.warning("a visitor's socket could not be brought up to date", exc_info=True)


async def _tell_one(listener: Listener) -> None:
    try:
        await listener.changed()
    except Exception:  # one socket's failure is its own
        log.warning("a visitor's socket could not be brought up to date", exc_info=True)
