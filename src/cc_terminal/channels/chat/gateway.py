"""What every socket of one gateway process shares: the visitors' service, the limits, the
hub, and the one way the async side calls the (blocking) service: in a worker thread, a
store that went away said as ``Unavailable``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import ParamSpec, TypeVar

import anyio
from sqlalchemy.exc import SQLAlchemyError

from cc_terminal.channels.chat.config import GatewayConfig
from cc_terminal.channels.chat.floor import FloorPace
from cc_terminal.channels.chat.guard import Guard
from cc_terminal.channels.chat.hub import Hub
from cc_terminal.channels.chat.posting import LineTurns
from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.store.errors import StoreError

P = ParamSpec("P")
T = TypeVar("T")


class Unavailable(Exception):
    """The store did not answer; nothing was done, the visitor may try again."""


@dataclass
class Gateway:
    chats: VisitorChats
    config: GatewayConfig
    guard: Guard
    hub: Hub
    ping: Callable[[], None]  # raises when the store does not answer
    # After a visitor's write: on a folder floor, share it now (channels/chat/floor.py).
    wrote: Callable[[], None] = field(default=lambda: None)
    pace: FloorPace | None = None  # the floor's sync rounds, on a folder floor
    # The visitors' lines, many stored in one write while the last one runs (posting.py).
    lines: LineTurns = field(init=False)
    _turns: anyio.CapacityLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineTurns(self._store_lines)
        self._turns = anyio.CapacityLimiter(1)  # the turns run one at a time

    @classmethod
    def of(cls, chats: VisitorChats, config: GatewayConfig, ping: Callable[[], None]) -> Gateway:
        hub = Hub(chats.changed_since, chats.news, chats.newest_lines, config.poll_seconds)
        return cls(chats, config, Guard(config.limits), hub, ping)

    def cut_off(self) -> bool:
        """On a folder floor whose share is away: a new chat would reach no operator."""
        return self.pace is not None and self.pace.cut_off()

    async def write(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call`` for a visitor's write: told to ``wrote`` once it is stored."""
        done = await self.call(work, *args, **kwargs)
        self.wrote()
        return done

    async def post(self, token: str, client_id: str, text: str) -> VisitorLine:
        """A visitor's line stored once (in the next turn of lines); its refusal raised."""
        return await self.lines.post(Post(token, client_id, text))

    def bind(self) -> None:
        """On the gateway's event loop as it starts: the floor's lines sent to visitors
        are marked delivered in the turns of lines (posting.py), not one write a look."""
        self.lines.loop = asyncio.get_running_loop()
        self.chats.deliver_later = self.lines.delivered

    def unbind(self) -> None:
        """As the loop ends: marks are written by their own writes again."""
        self.chats.deliver_later = None

    async def _store_lines(
        self, posts: Sequence[Post], delivered: Sequence[uuid.UUID]
    ) -> list[VisitorLine | ServiceError]:
        # The turns' own thread: the store threads that wait for their marks' turn could
        # otherwise hold every thread of the shared pool while it waits for one.
        done = await self._in_thread(self._turns, partial(self.chats.post_many, posts, delivered))
        if posts:  # a visitor's write: shared at once on a folder floor
            self.wrote()
        return done

    async def call(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._in_thread(None, partial(work, *args, **kwargs))

    async def _in_thread(self, limiter: anyio.CapacityLimiter | None, work: Callable[[], T]) -> T:
        def run() -> T:
            try:
                return work()
            except (StoreError, SQLAlchemyError) as error:
                raise Unavailable() from error

        return await anyio.to_thread.run_sync(run, limiter=limiter)

    async def store_answers(self) -> bool:
        try:
            await self.call(self.ping)
        except Unavailable:
            return False
        return True
