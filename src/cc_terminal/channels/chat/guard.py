"""The public endpoint's limits: moving windows from the ``limits`` library (messages and
frames a minute per socket, new sockets a minute per address) and a count of the sockets
each address holds open. In memory, per gateway process."""

from __future__ import annotations

import itertools
from collections import Counter

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from cc_terminal.channels.chat.config import GatewayLimits


class Guard:
    def __init__(self, limits: GatewayLimits) -> None:
        self.limits = limits
        self._window = MovingWindowRateLimiter(MemoryStorage())
        self._messages = RateLimitItemPerMinute(limits.messages_per_minute)
        self._frames = RateLimitItemPerMinute(limits.frames_per_minute)
        self._connects = RateLimitItemPerMinute(limits.connects_per_minute)
        self._open: Counter[str] = Counter()
        self._numbers = itertools.count(1)

    def admit(self, address: str) -> str | None:
        """A name for a new socket from ``address``, or None when the address has too many
        open or opened too many this minute. ``release`` gives the place back."""
        if self._open[address] >= self.limits.sockets_per_address:
            return None
        if not self._window.hit(self._connects, "connect", address):
            return None
        self._open[address] += 1
        return f"{address}#{next(self._numbers)}"

    def release(self, address: str, socket_name: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]
        self._window.clear(self._messages, "message", socket_name)
        self._window.clear(self._frames, "frame", socket_name)

    def frame(self, socket_name: str) -> bool:
        """False once the socket sent more frames this minute than a person could."""
        return self._window.hit(self._frames, "frame", socket_name)

    def message(self, socket_name: str) -> bool:
        return self._window.hit(self._messages, "message", socket_name)

    def open_sockets(self) -> int:
        return sum(self._open.values())
