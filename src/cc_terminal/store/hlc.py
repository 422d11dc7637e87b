"""Hybrid logical clocks packed into one integer: milliseconds since the epoch in the high
bits, a counter in the low 16. Comparing two packed values compares (time, counter), so a
change made after seeing another always sorts after it, whatever the wall clocks say."""

from __future__ import annotations

import time

LOGICAL_BITS = 16
LOGICAL_MASK = (1 << LOGICAL_BITS) - 1


def pack(millis: int, counter: int = 0) -> int:
    return (millis << LOGICAL_BITS) | counter


def millis_of(hlc: int) -> int:
    return hlc >> LOGICAL_BITS


def wall_millis() -> int:
    return time.time_ns() // 1_000_000


def next_after(last: int, now_millis: int | None = None) -> int:
    """The clock of a new local change: the wall clock, unless it has not moved past the
    last clock this terminal issued or saw; then one tick after that (a clock set back
    keeps counting from where it was)."""
    now = pack(wall_millis() if now_millis is None else now_millis)
    return now if now > last else last + 1


def version(hlc: int, terminal: str) -> str:
    """A field's version as text: comparable by (hlc, terminal) after ``parse_version``."""
    return f"{hlc}:{terminal}"


def parse_version(text: str) -> tuple[int, str]:
    hlc, _, terminal = text.partition(":")
    return int(hlc), terminal
