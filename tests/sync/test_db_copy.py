"""`cc-terminal db copy --to postgresql://…`: a floor terminal's data moved to a server,
counts checked, and the workstation's services read the same there."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.cli_run import cli, cli_process
from tests.pgserver import PostgresServer
from tests.sync.kit import Floor


@pytest.mark.postgres
def test_db_copy_moves_everything_and_checks_the_counts(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    from tests.conftest import _create_database

    floor = Floor(tmp_path)
    t1 = floor.add("t1", seed=True)
    floor.settle()
    floor.close()
    _create_database(pg_server, "cc_copy_target")
    url = pg_server.url("cc_copy_target")
    done = cli_process(t1.data_dir, "--db", f"sqlite:///{t1.db_path}", "db", "copy", "--to", url)
    assert done.returncode == 0, done.stderr
    assert "every count matches" in done.stdout
    server = open_workstation(Settings(db_url=url, data_dir=tmp_path / "server"))
    try:
        assert server.auth.login("jana", "jana-pass-1").username == "jana"
        assert server.customers.lookup_phone("+420601123456").matches
        assert server.search.search("novak")
    finally:
        server.close()
    again = cli(t1.data_dir, "--db", f"sqlite:///{t1.db_path}", "db", "copy", "--to", url)
    assert again.returncode == 1
    assert "not empty" in again.stderr
