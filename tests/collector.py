"""The test process's collector, kept as short in its passes as a terminal's
(cc_terminal/memory.py): before each test what the earlier ones left alive (the modules,
the collected tests, the caches they warmed) is frozen out of the collector's full passes,
after a collection that frees the apps of the tests before (an app no longer freezes
itself outside the workstation's own process). A full pass then walks what the running
test made, not the run's half a million long-lived objects again (a fifth of a Pilot
test's CPU went to those passes), and no app outlives its test (frozen apps with their
stores once grew a test process to 5 GB and 14,000 open files)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

# Full passes ten times rarer than Python's default (10): each test starts with one.
FULL_PASS_AFTER = 100  # young generation's passes


@pytest.fixture(autouse=True)
def earlier_tests_frozen() -> Iterator[None]:
    """At the start, not the end: the test before still holds its fixtures' values
    (its app among them) until its teardown is over."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)
    yield
