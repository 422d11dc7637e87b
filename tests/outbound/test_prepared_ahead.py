"""A lead import's batches in order (services/outbound/lead_ahead.py): on SQLite each is
prepared when taken, at the size the pace gives then; on PostgreSQL the next one is
prepared in a thread while this one is stored, at the size the pace gave for this one; an
error preparing a batch ahead is raised where that batch is taken; every draft is in one
batch, in order. A PostgreSQL import prepares ahead and stores what the same file stores
on SQLite."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from cc_terminal.services.outbound import lead_import
from cc_terminal.services.outbound.lead_ahead import PreparedBatches
from cc_terminal.services.outbound.lead_store import LeadBatch
from cc_terminal.services.outbound.lead_views import LeadDraft
from tests.outbound.outbound_floor import SALES
from tests.outbound.test_staged_import import floor, lead_file  # noqa: F401 (a fixture)


class _Job:
    """What a prepared batch is to the batches: its drafts."""

    def __init__(self, batch: list[Any]) -> None:
        self.batch = batch
        self.thread = threading.current_thread().name


def _batches(count: int, ahead: bool, fail_at: int = -1) -> tuple[PreparedBatches, list]:
    prepared: list[_Job] = []

    def prepare(batch: list[Any]) -> Any:
        if batch and batch[0] == fail_at:
            raise RuntimeError("the store went away")
        prepared.append(_Job(batch))
        return prepared[-1]

    drafts: list[Any] = list(range(count))
    return PreparedBatches(drafts, prepare, ahead), prepared


def test_on_sqlite_each_batch_is_prepared_when_taken_at_the_size_of_then() -> None:
    with _batches(10, ahead=False)[0] as batches:
        taken = [batches.take(size) for size in (4, 2, 3, 5)]
        assert batches.take(5) is None
    assert [job.batch for job in taken] == [[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]]
    assert {job.thread for job in taken} == {threading.current_thread().name}


def test_on_postgresql_the_next_is_prepared_meanwhile_at_the_size_before() -> None:
    batches, prepared = _batches(10, ahead=True)
    with batches:
        first = batches.take(4)
        assert first.batch == [0, 1, 2, 3] and first.thread == threading.current_thread().name
        second = batches.take(2)  # prepared ahead at 4; the next one ahead at 2
        assert second.batch == [4, 5, 6, 7] and second.thread.startswith("cc-lead-prepare")
        third = batches.take(3)
        assert third.batch == [8, 9]
        assert batches.take(3) is None
    assert [job.batch for job in prepared] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_an_error_preparing_ahead_is_raised_where_its_batch_is_taken() -> None:
    batches, prepared = _batches(6, ahead=True, fail_at=3)
    with pytest.raises(RuntimeError, match="went away"), batches:
        assert batches.take(3).batch == [0, 1, 2]
        batches.take(3)
    assert [job.batch for job in prepared] == [[0, 1, 2]]


def test_a_postgresql_import_prepares_its_batches_ahead(
    floor,  # noqa: F811
    lead,
    tmp_path,
    monkeypatch,
) -> None:
    monkeypatch.setattr(lead_import, "BATCH", 20)
    threads: list[str] = []
    prepare = LeadBatch.prepare

    def recorded(self: LeadBatch, connection: Any, to: Any, batch: list[LeadDraft]) -> None:
        threads.append(threading.current_thread().name)
        prepare(self, connection, to, batch)

    monkeypatch.setattr(LeadBatch, "prepare", recorded)
    report = floor.leads.import_file(lead, floor.leads.read(lead_file(tmp_path, 70)), SALES)
    assert report.added == 70 and not report.rejected
    ahead = [name.startswith("cc-lead-prepare") for name in threads]
    if floor.db.engine.dialect.name == "postgresql":
        assert ahead == [False, True, True, True]
    else:
        assert ahead == [False] * 4


def test_leaving_waits_for_the_batch_being_prepared() -> None:
    """An import that fails while the next batch is being prepared takes its staged rows
    away only after that preparation's reads have ended."""
    release, ended = threading.Event(), threading.Event()

    def prepare(batch: list[Any]) -> Any:
        if batch[0] == 2:  # the one prepared ahead
            release.wait(timeout=30)
            ended.set()
        return _Job(batch)

    releasing = threading.Timer(0.3, release.set)
    batches = PreparedBatches(list(range(4)), prepare, ahead=True)
    with pytest.raises(RuntimeError, match="store failed"), batches:
        batches.take(2)  # the next one is being prepared now
        releasing.start()
        raise RuntimeError("the store failed")
    assert ended.is_set()
    releasing.join()


def test_one_batch_is_prepared_ahead_at_a_time() -> None:
    running, most = [0], [0]
    lock = threading.Lock()

    def prepare(batch: list[Any]) -> Any:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        job = _Job(batch)
        with lock:
            running[0] -= 1
        return job

    with PreparedBatches(list(range(50)), prepare, ahead=True) as batches:
        while batches.take(1) is not None:
            pass
    assert most == [1]
