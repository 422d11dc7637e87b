"""Python's collector during a bulk load (store/bulk_gc.py): the youngest generation
collected less often while any load of the process runs, nothing frozen or unfrozen (the
workstation's own freeze after start-up stays), the thresholds set back when the last
load ends (also when it fails), and a cycle made during the load still collected. Every
bulk path enters it through ``bulk_cache()``, whose own tests (test_bulk_cache.py) show
the register, the lead import and the floor ingest running inside it."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest

from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import address_register
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.bulk_cache import bulk_cache
from cc_terminal.store.bulk_gc import BULK_YOUNG_THRESHOLD, fewer_collections
from tests.orders.register_files import register_zip


@pytest.fixture(autouse=True)
def known_thresholds():
    """Each test from known thresholds, whatever a test before it left."""
    before = gc.get_threshold()
    gc.set_threshold(700, 11, 13)  # three different figures, so none passes for another
    yield
    gc.set_threshold(*before)


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_a_load_collects_the_young_less_often_and_freezes_nothing() -> None:
    gc.freeze()  # as the workstation does after start-up (and the tests' collector.py)
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    young = [[] for _ in range(1000)]  # a freeze now would take these too
    # (a frozen object freed meanwhile leaves the count: a few at most)
    with fewer_collections():
        assert thresholds == (700, 11, 13)
        assert gc.get_threshold() == (BULK_YOUNG_THRESHOLD, 11, 13)
        assert frozen - 100 < gc.get_freeze_count() <= frozen  # neither frozen nor unfrozen
    assert gc.get_threshold() == thresholds
    assert frozen - 100 < gc.get_freeze_count() <= frozen
    assert len(young) == 1000


def test_the_last_of_two_loads_in_two_threads_sets_it_back() -> None:
    thresholds = gc.get_threshold()
    began, end_second = threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def second_load() -> None:
        with fewer_collections():
            began.set()
            end_second.wait(timeout=30)
        seen.append(gc.get_threshold())

    with fewer_collections():
        thread = threading.Thread(target=second_load)
        thread.start()
        assert began.wait(timeout=30)
    assert gc.get_threshold()[0] == BULK_YOUNG_THRESHOLD  # the second one still runs
    end_second.set()
    thread.join(timeout=30)
    assert seen == [thresholds]
    assert gc.get_threshold() == thresholds


def test_a_failed_load_sets_it_back() -> None:
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the load failed")
    assert gc.get_threshold() == thresholds


def test_a_cycle_made_during_a_load_is_still_collected() -> None:
    with fewer_collections():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
        gc.collect()
        assert gone() is None


def test_bulk_cache_runs_its_load_with_fewer_collections() -> None:
    thresholds = gc.get_threshold()
    with bulk_cache():
        assert gc.get_threshold()[0] == BULK_YOUNG_THRESHOLD
    assert gc.get_threshold() == thresholds


def test_the_registers_whole_import_runs_with_fewer_collections(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """Its millions of points are read (parsed, checked) outside the writes' bulk_cache():
    the whole import is inside fewer_collections."""
    thresholds = gc.get_threshold()
    seen: list[int] = []
    read_into = address_register._read_into

    def recorded(*args, **kwargs) -> None:
        seen.append(gc.get_threshold()[0])
        read_into(*args, **kwargs)

    monkeypatch.setattr(address_register, "_read_into", recorded)
    ws.register.import_files(lead, [register_zip(tmp_path)])
    assert seen == [BULK_YOUNG_THRESHOLD]
    assert gc.get_threshold() == thresholds
