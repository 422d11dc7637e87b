"""Fixtures shared by the tests of this folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.conftest import FixedClock, start_of_test_day
from tests.tally.tally_floor import set_up_tally


@pytest.fixture(scope="session")
def tally_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store with the tally's month of records, made once per test process at
    the tests' clock (a second and more of writes, which every picture of the tally made
    again for each of its languages)."""
    folder = tmp_path_factory.mktemp("tally")
    path = folder / "template.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(db_url=f"sqlite:///{path}", data_dir=folder)
    clock = FixedClock(start_of_test_day())
    ws = open_workstation(settings, clock=clock)
    set_up_tally(ws, clock)
    with ws.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return path


@pytest.fixture
def tally_url(tally_template: Path, tmp_path: Path) -> str:
    """A copy of ``tally_template`` for one test: the store ``set_up_tally`` leaves."""
    target = tmp_path / "cc-terminal.sqlite3"
    shutil.copyfile(tally_template, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"
