"""Python's cycle collector kept out of a bulk load's way (issue 29).

A load makes millions of short-lived objects (rows, their values, their ops' texts) and
keeps few, while the process holds hundreds of thousands of long-lived ones. With the
collector's default thresholds (a young pass every 700 allocations, a full pass after ten
middle ones) full passes ran every second or so and walked all of them: 2.5 s of a
13.4 s floor ingest of 100,000 ops, 2.8 s of an 18 s import of 100,000 leads (timed with
``gc.callbacks``; bench/results/gc-bulk.md). Inside ``fewer_collections()`` the young
generation is collected every ``BULK_YOUNG_THRESHOLD`` allocations, so every pass, full
ones with them, runs about seventy times less often (0.6 s left of the ingest's); cycles
made meanwhile are still collected, and nothing is frozen (the workstation's own freeze
after start-up, cc_terminal/memory.py, stays as it is). The first load of the process to
begin sets the threshold, the last to end sets it back (the collector is the process's:
a terminal's sync round may run beside an import)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_YOUNG_THRESHOLD = 50_000
_RUNNING = [0]  # loads running in this process
_SAVED: list[tuple[int, int, int]] = []  # the thresholds before the first of them
_COUNTING = threading.Lock()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While a bulk load runs: the young generation, and so every pass, collected less often."""
    _begin()
    try:
        yield
    finally:
        _end()


def _begin() -> None:
    with _COUNTING:
        _RUNNING[0] += 1
        if _RUNNING[0] == 1:
            young, middle, old = gc.get_threshold()
            _SAVED.append((young, middle, old))
            gc.set_threshold(max(young, BULK_YOUNG_THRESHOLD), middle, old)


def _end() -> None:
    with _COUNTING:
        _RUNNING[0] -= 1
        if not _RUNNING[0]:
            gc.set_threshold(*_SAVED.pop())
