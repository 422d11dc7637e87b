"""Server mode: the database is shared, so a terminal never migrates it on start. One
older than the schema refuses to start (tests/store/test_store.py), one newer than the schema
says to run the upgrade and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store import schema
from cc_terminal.store.errors import StoreError
from tests.cli_run import cli

pytestmark = pytest.mark.postgres


def _set_version(url: str, version: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    engine.dispose()


def test_a_newer_terminal_on_an_older_server_schema_says_to_run_the_upgrade(
    pg_url: str, tmp_path: Path
) -> None:
    older = schema.REVISIONS[-2]
    _set_version(pg_url, older)  # as a cc-terminal of one version before left it
    with pytest.raises(StoreError, match="run 'cc-terminal db upgrade'"):
        open_workstation(Settings(db_url=pg_url, data_dir=tmp_path))
    said = cli(tmp_path, "user", "unlock", "jana", db=pg_url)
    assert said.returncode == 1 and "Traceback" not in said.stderr
    assert "run 'cc-terminal db upgrade'" in said.stderr
    engine = create_engine(pg_url)
    assert schema.current_revision(engine) == older  # nothing was migrated
    engine.dispose()
    _set_version(pg_url, schema.HEAD_REVISION)  # what 'db upgrade' leaves
    open_workstation(Settings(db_url=pg_url, data_dir=tmp_path)).close()


def test_an_empty_server_database_is_still_set_up_at_the_first_start(
    pg_server, tmp_path: Path
) -> None:
    from tests.conftest import _create_database

    _create_database(pg_server, "fresh_floor")
    url = pg_server.url("fresh_floor")
    open_workstation(Settings(db_url=url, data_dir=tmp_path)).close()
    engine = create_engine(url)
    assert schema.current_revision(engine) == schema.HEAD_REVISION
    engine.dispose()
