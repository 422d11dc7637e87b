"""The visitors' lines of one gateway process stored in turns: a line that arrives while
no write of lines runs starts one at once (it waits for nothing); the lines that arrive
meanwhile wait for that write to end and go together in the next, one write transaction
for them all (services/channels/visitor_posts.py), so a busy gateway pays one commit, one
clock read and one signature for many lines instead of one each.

Each line's sender gets its own answer: its stored line (with its number), its own
refusal, or ``Unavailable`` for the whole turn when the store did not answer (nothing of
that turn was stored; the widget sends again with the same client id, stored once)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.errors import ServiceError

# At most so many lines in one transaction: a turn stays short for the other writers.
TURN_LINES = 200
Answers = list[VisitorLine | ServiceError]
StoreTurn = Callable[[Sequence[Post]], Awaitable[Answers]]


class LineTurns:
    def __init__(self, store: StoreTurn) -> None:
        self.store = store  # one write of many lines, off the event loop
        self.waiting: list[tuple[Post, asyncio.Future[VisitorLine | ServiceError]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def post(self, post: Post) -> VisitorLine:
        """The line stored (or found stored under its client id); its refusal raised."""
        answer: asyncio.Future[VisitorLine | ServiceError] = (
            asyncio.get_running_loop().create_future()
        )
        self.waiting.append((post, answer))
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._write_turns())
        stored = await asyncio.shield(answer)  # a sender gone does not cancel the others
        if isinstance(stored, ServiceError):
            raise stored
        return stored

    async def _write_turns(self) -> None:
        try:
            while self.waiting:
                turn, self.waiting = self.waiting[:TURN_LINES], self.waiting[TURN_LINES:]
                try:
                    answers = await self.store([post for post, _ in turn])
                except Exception as failed:  # the store away: every sender of the turn hears
                    for _, answer in turn:
                        if not answer.done():
                            answer.set_exception(failed)
                    continue
                for (_, answer), stored in zip(turn, answers, strict=True):
                    if not answer.done():
                        answer.set_result(stored)
        finally:
            self.writer = None
