"""The workstation's process keeps one allocator arena, whatever its threads do at once
(cc_terminal/memory.py): the C library's own report of its arenas, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

THREADS_ALLOCATING_AT_ONCE = """
import ctypes, sys, threading
if sys.argv[1] == "one":
    from cc_terminal.memory import one_malloc_arena
    one_malloc_arena()
together = threading.Barrier(6)
def allocate():
    together.wait()
    kept = [bytes(2000) for _ in range(2000)]  # beyond Python's small-object allocator
    together.wait()
threads = [threading.Thread(target=allocate) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block each, on standard error
"""

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="glibc's arenas")


def arenas(mode: str) -> int:
    environment = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", THREADS_ALLOCATING_AT_ONCE, mode],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    return done.stderr.count("Arena ")


def test_threads_allocating_at_once_share_one_arena():
    assert arenas("one") == 1


def test_without_it_they_would_each_take_their_own():
    assert arenas("default") > 1
