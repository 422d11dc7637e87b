"""The visitors' lines of one gateway process stored in turns: a line that arrives while
no write of lines runs starts one at once (it waits for nothing); the lines that arrive
meanwhile wait for that write to end and go together in the next, one write transaction
for them all (services/channels/visitor_posts.py), so a busy gateway pays one commit, one
clock read and one signature for many lines instead of one each.

Each line's sender gets its own answer: its stored line (with its number), its own
refusal, or ``Unavailable`` for the whole turn when the store did not answer (nothing of
that turn was stored; the widget sends again with the same client id, stored once).

The floor's lines the gateway has sent to their visitors are marked delivered in the same
turns (``delivered``, from the store's worker threads): a busy gateway writes them with
the next lines, not in a transaction of their own; with no line waiting they are a turn
alone. A turn that fails keeps its marks for the next."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Sequence

from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.errors import ServiceError

# At most so many lines in one transaction: a turn stays short for the other writers.
TURN_LINES = 200
Answers = list[VisitorLine | ServiceError]
# one write of many lines and of the floor's lines to mark delivered, off the event loop
StoreTurn = Callable[[Sequence[Post], Sequence[uuid.UUID]], Awaitable[Answers]]


class LineTurns:
    def __init__(self, store: StoreTurn) -> None:
        self.store = store
        self.waiting: list[tuple[Post, asyncio.Future[VisitorLine | ServiceError]]] = []
        self.writer: asyncio.Task[None] | None = None
        self.marks: list[uuid.UUID] = []  # the floor's lines sent, to be marked delivered
        self._marks_lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None  # set as the gateway starts

    def delivered(self, line_ids: Sequence[uuid.UUID]) -> None:
        """From any thread: mark these lines delivered in the next turn."""
        if not line_ids:
            return
        assert self.loop is not None, "the turns are not bound to the gateway's loop"
        with self._marks_lock:
            self.marks.extend(line_ids)
        self.loop.call_soon_threadsafe(self._write_soon)

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

    def _take_marks(self) -> list[uuid.UUID]:
        with self._marks_lock:
            marks, self.marks = self.marks, []
        return list(dict.fromkeys(marks))  # a line seen by two looks is marked once

    def _keep_marks(self, marks: list[uuid.UUID]) -> None:
        with self._marks_lock:
            self.marks[:0] = marks

    async def _write_turns(self) -> None:
        try:
            while self.waiting or self.marks:
                turn, self.waiting = self.waiting[:TURN_LINES], self.waiting[TURN_LINES:]
                marks = self._take_marks()
                try:
                    answers = await self.store([post for post, _ in turn], marks)
                except Exception as failed:  # the store away: every sender of the turn hears
                    self._keep_marks(marks)  # with the next turn
                    for _, answer in turn:
                        if not answer.done():
                            answer.set_exception(failed)
                    if not turn:
                        return  # marks alone: with the next line or mark, not in a loop
                    continue
                for (_, answer), stored in zip(turn, answers, strict=True):
                    if not answer.done():
                        answer.set_result(stored)
        finally:
            self.writer = None
