"""A pytest plugin for mutation runs: only the fast service tests of the chosen files.

Tests that drive the app through Pilot, compare snapshots or start the CLI in a subprocess
are dropped: they are slow, and a subprocess would run the unmutated code anyway.
"""

from __future__ import annotations

import inspect

import pytest

SLOW_FIXTURES = frozenset({"snap_compare", "app", "pilot"})
SLOW_CALLS = ("run_test(", "cli(", "CLI(", "subprocess.")


def is_slow(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function):
        return False
    if SLOW_FIXTURES.intersection(item.fixturenames):
        return True
    source = inspect.getsource(item.function)
    return any(call in source for call in SLOW_CALLS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = [item for item in items if is_slow(item)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not is_slow(item)]
