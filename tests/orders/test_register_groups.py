"""The register's import in groups (issue 29): the progress bar still moves as groups are
stored, to the whole; an import that fails while reading keeps the groups stored before
the failure, as the files stored before it were kept. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal.models import AddressPoint
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_store
from cc_terminal.services.workstation import Workstation
from tests.orders.register_files import reading_fails_at_file, register_zip


def _points(ws: Workstation) -> int:
    with ws.db.read() as session:
        return int(session.execute(select(func.count()).select_from(AddressPoint)).scalar_one())


def test_the_progress_moves_with_what_is_stored(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(register_store, "GROUP_POINTS", 200)  # several groups
    stored: list[int] = []
    report = ws.register.import_files(
        lead,
        [register_zip(tmp_path)],
        progress=lambda count, _name: stored.append(count),
    )
    assert len(stored) > 3 and stored == sorted(stored) and stored[-1] == report.points


def test_a_failure_while_reading_keeps_the_groups_before_it(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(register_store, "GROUP_POINTS", 200)
    reading_fails_at_file(monkeypatch, 20)
    stored: list[int] = []
    with pytest.raises(RuntimeError):
        ws.register.import_files(
            lead, [register_zip(tmp_path)], progress=lambda count, _name: stored.append(count)
        )
    assert stored and _points(ws) >= stored[-1] > 0
