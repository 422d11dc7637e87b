"""The longest tests start first. ``make test`` shares the tests out to its two processes
as they free up; a test of two minutes started near the end would be the run's tail, one
process working while the other waits. So the modules of the tests below (``make test``'s
slowest, longest first) run first, each module whole and in its own order (its module
fixtures built once); every other test keeps its place."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

# make test's slowest on the fresh-clone runs of 1736727 and 05cac10 (2 cores, 35 s to 140 s
# each; the fits walk runs three times), longest first.
LONG_TESTS = (
    "tests/outbound/test_lead_claims.py::test_every_pool_lead_is_claimed_once[pg_url-20-10000]",
    "tests/hostile/test_hostile_walk.py::test_every_screen_of_a_hostile_floor",
    "tests/i18n/test_fits_the_screen.py::test_no_text_of_the_workstation_is_cut[cs-size0]",
    "tests/i18n/test_nothing_escapes.py::test_no_screen_shows_text_that_escaped_translation",
    "tests/privacy/test_e2e_privacy_tmux.py::test_the_lock_the_audit_trail_and_an_erasure",
    "tests/rostering/test_e2e_days_off_tmux.py::test_a_day_off_asked_approved_solved_and_published",
    "tests/sync/test_random_floor.py::TestRandomFloor::runTest",
    "tests/orders/test_e2e_orders_tmux.py::test_an_equipment_order_from_a_call_and_a_missed_visit",
    "tests/tally/test_e2e_tally_tmux.py::test_a_pause_a_claim_and_the_lead_accepting_it",
)


def long_modules_first(items: list[pytest.Item], long_tests: Sequence[str]) -> list[pytest.Item]:
    """``items`` with the modules of ``long_tests`` first, in that order; the rest as they were."""
    rank: dict[str, int] = {}
    for place, nodeid in enumerate(long_tests):
        rank.setdefault(_module(nodeid), place)
    first = [item for item in items if _module(item.nodeid) in rank]
    first.sort(key=lambda item: rank[_module(item.nodeid)])  # stable: a module keeps its order
    rest = [item for item in items if _module(item.nodeid) not in rank]
    return first + rest


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items[:] = long_modules_first(items, LONG_TESTS)
