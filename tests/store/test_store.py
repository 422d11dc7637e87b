"""The store: engine settings, migrations against the models, refusing newer schemas."""

import os
import stat
from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlmodel import SQLModel

import cc_terminal.models
from cc_terminal.config import Settings
from cc_terminal.models import AuditEvent, Operator
from cc_terminal.models.base import NaiveDatetimeError
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.store.db import make_engine, normalise_url
from cc_terminal.store.errors import SchemaTooNewError, StoreError


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    server = request.getfixturevalue("pg_server")
    from tests.conftest import _create_database

    name = f"cc_empty_{os.getpid()}_{request.node.name[-12:].strip('[]-')}"
    _create_database(server, name)
    return server.url(name)


def test_migrations_produce_exactly_the_models_schema(empty_url):
    engine = make_engine(empty_url)
    assert schema.upgrade(engine) is True
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert schema.current_revision(engine) == schema.HEAD_REVISION
    assert schema.upgrade(engine) is False  # a second run changes nothing
    engine.dispose()


def test_a_newer_schema_is_refused_and_left_untouched(empty_url):
    engine = make_engine(empty_url)
    schema.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d_from_the_future'"))
        connection.execute(text("CREATE TABLE future_table (id integer)"))
    with pytest.raises(SchemaTooNewError, match="newer than this cc-terminal"):
        open_workstation(Settings(db_url=empty_url))
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("SELECT count(*) FROM future_table"))
    assert version == "f00d_from_the_future"
    engine.dispose()


def test_utc_columns_refuse_naive_datetimes(db_url):
    db = Database(db_url)
    with pytest.raises(StatementError) as raised, db.write(None) as session:
        session.add(AuditEvent(kind="test", at=datetime(2026, 1, 1, 12, 0)))
        session.flush()
    assert isinstance(raised.value.orig, NaiveDatetimeError)
    db.dispose()


def test_times_come_back_aware_and_in_utc(ws):
    with ws.db.read() as session:
        created = session.scalars(select(Operator.created_at)).first()
    assert created.utcoffset() == timedelta(0)


def test_sqlite_runs_wal_full_sync_with_foreign_keys(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10000,
    }


def test_the_data_folder_and_file_are_private(tmp_path):
    folder = tmp_path / "data"
    ws = open_workstation(Settings(data_dir=folder))
    ws.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "cc-terminal.sqlite3").stat().st_mode) == 0o600


def test_an_impossible_data_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot use the data path"):
        make_engine(f"sqlite:///{blocker / 'x.sqlite3'}")


def test_plain_postgresql_urls_get_the_psycopg_driver():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x") == "sqlite:///x"


def test_write_transactions_take_the_sqlite_write_lock_up_front(sqlite_url):
    db = Database(sqlite_url)
    with db.write(None) as session:
        assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
        other = make_engine(sqlite_url)
        with other.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=50")
            with pytest.raises(Exception, match="locked"):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        other.dispose()
    db.dispose()


def test_the_known_revisions_are_exactly_alembics():
    from cc_terminal.store.migrate import script_revisions

    assert list(schema.REVISIONS) == script_revisions()


def test_customers_stored_before_the_search_index_are_indexed_and_counted(empty_url):
    """A floor that ran 0001 upgrades to today's schema: the frozen 0002 indexes its
    customers and 0003 counts each term's customers."""
    from cc_terminal.store import migrate

    engine = make_engine(empty_url)
    from alembic import command

    command.upgrade(migrate.alembic_config(engine), "0001")
    now = datetime(2026, 11, 1, 9, 0)
    with engine.begin() as connection:
        for number, (name, city) in enumerate([("Jan Novák", "Praha"), ("Eva Nováková", "Brno")]):
            connection.execute(
                text(
                    "INSERT INTO customer (id, full_name, street, house_number, city, "
                    "postal_code, email, notes, do_not_call, version, created_at, updated_at) "
                    "VALUES (:id, :name, '', '', :city, '', '', '', false, 1, :now, :now)"
                ),
                {
                    "id": f"0000000000000000000000000000000{number}",
                    "name": name,
                    "city": city,
                    "now": now,
                },
            )
    assert schema.upgrade(engine) is True
    engine.dispose()
    ws = open_workstation(Settings(db_url=empty_url))
    try:
        assert [hit.full_name for hit in ws.search.search("novakova brno")] == ["Eva Nováková"]
        with ws.db.engine.connect() as connection:
            counts = dict(connection.execute(text("SELECT term, customers FROM search_term")).all())
        assert counts == {"jan": 1, "novak": 1, "praha": 1, "eva": 1, "novakova": 1, "brno": 1}
        lists = ws.reference.lists()
        assert [choice.code for choice in lists.active(cc_terminal.models.ListKind.DEPARTMENT)][
            :2
        ] == ["contact_centre", "billing"]
    finally:
        ws.close()
