"""The server set-up of the README (issue 20, item 6): an owner role that runs
``cc-terminal db upgrade`` and a least-privilege application role for the terminals, which
can neither TRUNCATE nor CREATE, and never migrates on start."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store import migrate, schema
from cc_terminal.store.errors import StoreError
from tests.cli_run import cli

pytestmark = pytest.mark.postgres

README = Path(__file__).resolve().parents[2] / "README.md"


def _server_setup_sql() -> list[str]:
    """The statements of the README's server set-up, as an administrator runs them."""
    text_ = README.read_text()
    block = text_.split("```sql\n", 1)[1].split("```", 1)[0]
    statements, current = [], []
    for line in block.splitlines():
        if line.startswith("--") or not line.strip():
            continue
        current.append(line)
        if line.rstrip().endswith(";") or line.startswith("\\connect"):
            statements.append(" ".join(current))
            current = []
    return statements


@pytest.fixture
def roles(pg_server, tmp_path):
    """The README's roles and database, under names of this test."""
    suffix = f"{os.getpid()}_{tmp_path.name[-6:].strip('_')}".replace("-", "_")
    names = {"cc_owner": f"cc_owner_{suffix}", "cc_app": f"cc_app_{suffix}"}
    database = f"cc_roles_{suffix}"
    engine = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    connection = engine.connect()
    for written in _server_setup_sql():
        statement = re.sub(r"\bcc_(owner|app)\b", lambda found: names[found[0]], written)
        statement = re.sub(r"\bcc\b", database, statement)
        if statement.startswith("\\connect"):
            connection.close()
            engine.dispose()
            engine = create_engine(pg_server.url(database), isolation_level="AUTOCOMMIT")
            connection = engine.connect()
            continue
        connection.execute(text(statement))
    connection.close()
    engine.dispose()
    base = pg_server.url(database)
    return {
        "owner": base.replace("postgres@", f"{names['cc_owner']}@"),
        "app": base.replace("postgres@", f"{names['cc_app']}@"),
    }


def test_the_app_role_cannot_truncate_or_create_and_never_migrates(roles, tmp_path):
    owner = create_engine(roles["owner"])
    migrate.command.upgrade(migrate.alembic_config(owner), "0014")
    app_settings = Settings(db_url=roles["app"], data_dir=tmp_path)
    with pytest.raises(StoreError, match="cc-terminal db upgrade"):
        open_workstation(app_settings)
    assert schema.current_revision(owner) == "0014"  # the terminal migrated nothing

    upgraded = cli(tmp_path, "db", "upgrade", db=roles["owner"])
    assert upgraded.returncode == 0, upgraded.stderr
    assert schema.current_revision(owner) == schema.HEAD_REVISION
    assert "cc-terminal --db postgresql://cc_app@HOST/cc init" in README.read_text()
    made = cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n", db=roles["app"])
    assert made.returncode == 0, made.stderr

    ws = open_workstation(app_settings)
    try:
        lead = ws.auth.login("lead", "lead-pass-1")
        ws.audit.record(lead, "customer.viewed", "works")
        for statement in (
            "TRUNCATE audit_event",
            "TRUNCATE customer",
            "CREATE TABLE sneaky (id integer)",
            "DROP TRIGGER audit_event_append_only ON audit_event",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(DBAPIError), ws.db.engine.begin() as connection:
                connection.exec_driver_sql(statement)
    finally:
        ws.close()
    verified = cli(tmp_path, "audit", "verify", db=roles["app"])
    assert verified.returncode == 0, verified.stdout + verified.stderr
    owner.dispose()
