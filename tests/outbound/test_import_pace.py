"""A lead import leaves SQLite's one write lock to other writers (issue 29: a sign-in
beside an import waits <= 500 ms): on a host where a batch holds the lock longer than
``LOCK_SECONDS`` the next batches are smaller, down to ``LEAST_BATCH``, and the import
pauses between them; PostgreSQL, without one lock for the whole database, keeps its
batches whole."""

from __future__ import annotations

import time

from cc_terminal.services.outbound import lead_import
from tests.outbound.outbound_floor import SALES
from tests.outbound.test_staged_import import floor, lead_file  # noqa: F401 (a fixture)


def test_slow_batches_are_cut_and_followed_by_a_pause(floor, lead, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(lead_import, "BATCH", 20)
    monkeypatch.setattr(lead_import, "LEAST_BATCH", 5)
    monkeypatch.setattr(lead_import, "LOCK_SECONDS", 0.000_001)  # every batch is too long
    pauses: list[float] = []
    monkeypatch.setattr(lead_import.time, "sleep", pauses.append)
    done: list[int] = []
    report = floor.leads.import_file(
        lead,
        floor.leads.read(lead_file(tmp_path, 40)),
        SALES,
        progress=lambda stored, _total: done.append(stored),
    )
    assert report.added == 40
    if floor.db.engine.dialect.name == "sqlite":
        assert done == [20, 25, 30, 35, 40]
        assert len(pauses) == 4 and all(0 < pause <= 0.1 for pause in pauses)
    else:
        assert done == [20, 40] and pauses == []


def test_fast_batches_stay_whole(floor, lead, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(lead_import, "BATCH", 20)
    monkeypatch.setattr(lead_import, "LOCK_SECONDS", 1000.0)
    monkeypatch.setattr(lead_import.time, "sleep", lambda _seconds: None)
    done: list[int] = []
    started = time.perf_counter()
    floor.leads.import_file(
        lead,
        floor.leads.read(lead_file(tmp_path, 50)),
        SALES,
        progress=lambda stored, _total: done.append(stored),
    )
    assert done == [20, 40, 50] and time.perf_counter() - started < 60
