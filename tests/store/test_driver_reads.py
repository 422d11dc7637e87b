"""A hot read on the driver's own cursor (store.driver_reads) reads what
``Connection.execute`` reads, in the connection's transaction, and fails as it fails: with
SQLAlchemy's kind of error, a connection to a server that is gone invalidated. SQLite and
PostgreSQL (the ledger's own sources are compared in tests/calls/test_ledger.py)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, create_engine, select, text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import col

from cc_terminal.models import Customer, CustomerPhone
from cc_terminal.services.workstation import Workstation
from cc_terminal.store import driver_reads
from cc_terminal.store.driver_reads import DriverRead

# Names the SQL spells otherwise ("e164.from" is e164_from there) and as they are, each
# kind with a value the driver takes only converted (SQLite keeps a UUID as its hex)
_PHONES_FROM = (
    select(col(CustomerPhone.e164), col(Customer.id), col(Customer.do_not_call))
    .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
    .where(col(CustomerPhone.e164) >= bindparam("e164.from"), col(CustomerPhone.position) == 0)
    .where(col(Customer.id) != bindparam("not.id"), col(Customer.id) != bindparam("nor_id"))
    .order_by(col(CustomerPhone.e164), col(Customer.id))
    .limit(bindparam("limit"))
)


def test_its_rows_are_the_ones_execute_reads_with_the_values_as_the_driver_gives_them(
    ws: Workstation,
) -> None:
    read = DriverRead(_PHONES_FROM)
    values = {"e164.from": "+420", "not.id": uuid.uuid4(), "nor_id": uuid.uuid4(), "limit": 2}
    with ws.db.connect() as connection:
        executed = [tuple(row) for row in connection.exec_driver_sql(*_as_driver(connection))]
        rows = read.rows(connection, values)
        assert rows == executed and len(rows) == 2  # of the three seeded
        assert read.rows(connection, {**values, "e164.from": "+9"}) == []
        first = connection.execute(_PHONES_FROM, values).first()
        assert first is not None
        without_first = read.rows(connection, {**values, "not.id": first.id, "limit": 3})
        assert len(without_first) == 2 and first.id not in {row[1] for row in without_first}


def _as_driver(connection):  # type: ignore[no-untyped-def]
    """The same read in plain SQL: its ids as this store keeps them."""
    if connection.dialect.name == "sqlite":
        return _PLAIN.format(mark="?", limit="?"), ("+420", 2)
    return _PLAIN.format(mark="%(f)s", limit=2), {"f": "+420"}


_PLAIN = (
    "SELECT p.e164, c.id, c.do_not_call FROM customer_phone p JOIN customer c"
    " ON c.id = p.customer_id WHERE p.e164 >= {mark} AND p.position = 0"
    " ORDER BY p.e164, c.id LIMIT {limit}"
)


def test_a_statement_is_compiled_once_per_dialect(ws: Workstation, monkeypatch) -> None:
    compiled: list[str] = []
    compile_for = driver_reads._compile

    def counted(statement, dialect):  # type: ignore[no-untyped-def]
        compiled.append(dialect.name)
        return compile_for(statement, dialect)

    monkeypatch.setattr(driver_reads, "_compile", counted)
    read = DriverRead(_PHONES_FROM)
    values = {"e164.from": "+420", "not.id": uuid.uuid4(), "nor_id": uuid.uuid4(), "limit": 1}
    with ws.db.connect() as connection:
        assert read.rows(connection, values) == read.rows(connection, values)
    assert compiled == [ws.db.engine.dialect.name]


def test_a_value_the_driver_cannot_take_is_refused_naming_the_statement(
    ws: Workstation,
) -> None:
    read = DriverRead(_PHONES_FROM)
    bad = {"e164.from": "+420", "not.id": "not an id", "nor_id": None, "limit": 1}
    with ws.db.connect() as connection:
        with pytest.raises(StatementError) as raised:
            read.rows(connection, bad)
        assert "e164" in str(raised.value.statement)  # the statement is named
        if connection.dialect.name == "sqlite":  # converted in Python: it begins nothing
            assert not connection.in_transaction()
            error = raised.value
            assert error.params == bad and error.orig is not None
            assert str(error.orig) and str(error.orig) in str(error)
        # psycopg sends the text as it is and the server refuses it, as it would execute's


def test_a_statement_finished_per_run_is_refused_at_its_first_read(ws: Workstation) -> None:
    read = DriverRead(
        select(col(Customer.id)).where(col(Customer.id).in_(bindparam("ids", expanding=True)))
    )
    with (
        ws.db.connect() as connection,
        pytest.raises(
            ValueError, match=r"^a driver read takes no parameter rendered at execution$"
        ),
    ):
        read.rows(connection, {"ids": [uuid.uuid4()]})


def test_it_reads_inside_the_connections_transaction_begun_if_none_is(ws: Workstation) -> None:
    read = DriverRead(_PHONES_FROM)
    with ws.db.connect() as connection:
        assert not connection.in_transaction()
        read.rows(
            connection,
            {"e164.from": "+420", "not.id": uuid.uuid4(), "nor_id": uuid.uuid4(), "limit": 1},
        )
        assert connection.in_transaction()
        transaction = connection.get_transaction()
        read.rows(
            connection,
            {"e164.from": "+420", "not.id": uuid.uuid4(), "nor_id": uuid.uuid4(), "limit": 1},
        )
        assert connection.get_transaction() is transaction  # the same one, not a new one


def test_a_failed_read_raises_sqlalchemy_s_error_and_leaves_the_connection_usable(
    ws: Workstation,
) -> None:
    missing = Table("no_such_table", MetaData(), Column("x", Integer))
    read = DriverRead(select(missing.c.x).where(missing.c.x == bindparam("x")))
    with ws.db.connect() as connection:
        with pytest.raises(DBAPIError) as raised:
            read.rows(connection, {"x": 1})
        error = raised.value
        assert "no_such_table" in str(error) and "no_such_table" in str(error.statement)
        assert isinstance(error.orig, connection.dialect.loaded_dbapi.Error)
        assert error.params in ([1], {"x": 1})  # as the driver was given them
        assert not error.connection_invalidated and not connection.invalidated
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_a_read_on_a_closed_sqlite_connection_invalidates_it(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    read = DriverRead(select(text("1")).where(text("1 = :one")).params(one=1))
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.close()  # type: ignore[union-attr]
            with pytest.raises(DBAPIError) as raised:
                read.rows(connection, {"one": 1})
            assert raised.value.connection_invalidated and connection.invalidated
        with engine.connect() as again:
            assert read.rows(again, {"one": 1}) == [(1,)]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_read_on_a_connection_the_server_dropped_invalidates_it(pg_url: str) -> None:
    engine = create_engine(pg_url)
    read = DriverRead(select(text("1")).where(text("1 = :one")).params(one=1))
    try:
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
            connection.rollback()
            with engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError) as raised:
                read.rows(connection, {"one": 1})
            assert raised.value.connection_invalidated and connection.invalidated
        with engine.connect() as again:  # the pool opened a new connection
            assert read.rows(again, {"one": 1}) == [(1,)]
    finally:
        engine.dispose()
