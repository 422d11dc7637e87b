"""The register's bulk import (issue 29) stores exactly what the row-by-row import
stored, on SQLite and PostgreSQL: the same points, towns and streets, the same report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_store
from cc_terminal.services.workstation import Workstation
from tests.orders.register_files import empty_register, register_rows, register_zip
from tests.orders.register_old_path import import_row_by_row


def test_the_bulk_import_stores_what_the_row_by_row_one_did(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(register_store, "GROUP_POINTS", 200)  # several groups
    archive = register_zip(tmp_path)
    old = import_row_by_row(ws.db, lead, [archive])
    before = register_rows(ws)
    empty_register(ws, lead)
    new = ws.register.import_files(lead, [archive])
    assert register_rows(ws) == before
    assert (new.files, new.municipalities, new.points) == (
        old.files,
        old.municipalities,
        old.points,
    )
    assert new.rejected == old.rejected and len(new.rejected) >= 5
    assert sum(map(len, before.values())) > 500


def test_a_reimport_over_the_old_points_stores_the_same(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    old_files, new_files = tmp_path / "old", tmp_path / "new"
    old_files.mkdir()
    new_files.mkdir()
    first = register_zip(old_files, seed=1)
    second = register_zip(new_files, seed=2, first_code=41_000_000)
    import_row_by_row(ws.db, lead, [first])
    import_row_by_row(ws.db, lead, [second])
    expected = register_rows(ws)
    empty_register(ws, lead)
    ws.register.import_files(lead, [first])
    ws.register.import_files(lead, [second])
    assert register_rows(ws) == expected


def test_a_point_code_another_town_has_keeps_the_files_before_it(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """A group the database refuses is stored again file by file: the files before the
    refused one are kept, as when each file was its own transaction."""
    ws.register.import_files(lead, [register_zip(tmp_path, seed=3, towns=4)])
    taken = tmp_path / "taken"
    taken.mkdir()
    # codes from 40,000,010 on: the first town's points again, in other towns
    clash = register_zip(taken, seed=4, towns=8, first_code=39_999_800, first_town=600_000)
    kept = register_rows(ws)
    with pytest.raises(IntegrityError):
        import_row_by_row(ws.db, lead, [clash])
    expected = register_rows(ws)
    assert expected != kept
    empty_register(ws, lead)
    ws.register.import_files(lead, [register_zip(tmp_path, seed=3, towns=4)])
    with pytest.raises(IntegrityError):
        ws.register.import_files(lead, [clash])
    assert register_rows(ws) == expected
