"""The visitors' lines of one gateway process stored in turns: a line that arrives while
no write of lines runs starts one at once (it waits for nothing); the lines that arrive
meanwhile wait for that write to end and go together in the next, one write transaction
for them all (services/channels/visitor_posts.py), so a busy gateway pays one commit, one
clock read and one signature for many lines instead of one each.

Each line's sender gets its own answer: its stored line (with its number), its own
refusal, or ``Unavailable`` for the whole turn when the store did not answer (nothing of
that turn was stored; the widget sends again with the same client id, stored once).

The floor's lines the gateway is about to send to their visitors are marked delivered in
the same turns (``delivered``, called from the store's worker threads, which wait until
the mark is stored, as they waited for a write of their own before): a busy gateway
writes them with the next lines, not in a transaction of their own; with no line waiting
they are a turn alone. A turn that fails fails its marks too: the look that asked reads
again later, and a mark is never kept in memory only. At most ``TURN_MARKS`` lines are
marked in one turn."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import TimeoutError as WaitedTooLong

from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.store.errors import StoreUnavailable

# At most so many lines in one transaction: a turn stays short for the other writers.
TURN_LINES = 200
TURN_MARKS = 500  # lines marked delivered in one turn (below SQLite's bound variables)
MARK_WAIT_SECONDS = 30.0  # a store thread's wait for its marks' turn (the store's busy wait 10 s)
Answers = list[VisitorLine | ServiceError]
# one write of many lines and of the floor's lines to mark delivered, off the event loop
StoreTurn = Callable[[Sequence[Post], Sequence[uuid.UUID]], Awaitable[Answers]]


class LineTurns:
    def __init__(self, store: StoreTurn) -> None:
        self.store = store
        self.waiting: list[tuple[Post, asyncio.Future[VisitorLine | ServiceError]]] = []
        # the floor's lines to mark delivered, each batch with its waiting thread's answer
        self.marks: list[tuple[list[uuid.UUID], asyncio.Future[None]]] = []
        self.writer: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None  # set as the gateway starts

    def delivered(self, line_ids: Sequence[uuid.UUID]) -> None:
        """From a store thread: mark these lines delivered in the next turn, and return
        once that turn is stored (raising ``StoreUnavailable`` when it was not)."""
        if not line_ids:
            return
        assert self.loop is not None, "the turns are not bound to the gateway's loop"
        assert not _on_loop(self.loop), "a store thread's call: the loop would wait on itself"
        done = asyncio.run_coroutine_threadsafe(self._marked(list(line_ids)), self.loop)
        try:
            done.result(timeout=MARK_WAIT_SECONDS)
        except WaitedTooLong as waited:
            done.cancel()
            raise StoreUnavailable("the delivered marks' turn did not come") from waited

    async def _marked(self, line_ids: list[uuid.UUID]) -> None:
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.marks.append((line_ids, stored))
        self._write_soon()
        await asyncio.shield(stored)

    async def post(self, post: Post) -> VisitorLine:
        """The line stored (or found stored under its client id); its refusal raised."""
        answer: asyncio.Future[VisitorLine | ServiceError] = (
            asyncio.get_running_loop().create_future()
        )
        self.waiting.append((post, answer))
        self._write_soon()
        stored = await asyncio.shield(answer)  # a sender gone does not cancel the others
        if isinstance(stored, ServiceError):
            raise stored
        return stored

    def _write_soon(self) -> None:
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._write_turns())

    def _take_marks(self) -> list[tuple[list[uuid.UUID], asyncio.Future[None]]]:
        taken, count = 0, 0
        while taken < len(self.marks) and (
            taken == 0 or count + len(self.marks[taken][0]) <= TURN_MARKS
        ):
            count += len(self.marks[taken][0])
            taken += 1
        marking, self.marks = self.marks[:taken], self.marks[taken:]
        return marking

    async def _write_turns(self) -> None:
        try:
            while self.waiting or self.marks:
                turn, self.waiting = self.waiting[:TURN_LINES], self.waiting[TURN_LINES:]
                marking = self._take_marks()
                # a line seen by two looks is marked once
                ids = list(dict.fromkeys(line for lines, _ in marking for line in lines))
                try:
                    answers = await self.store([post for post, _ in turn], ids)
                except Exception as failed:  # the store away: every sender of the turn hears
                    for answer in [answer for _, answer in turn] + [m for _, m in marking]:
                        if not answer.done():
                            answer.set_exception(failed)
                    continue
                for (_, answer), stored in zip(turn, answers, strict=True):
                    if not answer.done():
                        answer.set_result(stored)
                for _, marked in marking:
                    if not marked.done():
                        marked.set_result(None)
        finally:
            self.writer = None


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:  # no loop runs in this thread
        return False
