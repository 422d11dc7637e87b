"""store/table_swap.py on a table of its own: the swapped table keeps its indexes' names
and what they say (a unique index stays unique), its primary key and which columns may be
NULL, on a real SQLite file; leftovers are found by name and dropped in steps."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, create_engine, text
from sqlalchemy.exc import IntegrityError

from cc_terminal.store import table_swap


def _table() -> Table:
    return Table(
        "register_like",
        MetaData(),
        Column("code", Integer, primary_key=True, autoincrement=False),
        Column("name", String(20), nullable=False),
        Column("town", Integer),
        Index("ux_register_like_name", "name", unique=True),
        Index("ix_register_like_town", "town"),
    )


def test_a_swapped_table_keeps_its_index_names_and_a_unique_index_unique(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'swap.sqlite3'}")
    table = _table()
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert(), [{"code": 1, "name": "old", "town": 1}])
        table_swap.create_staged(connection, table)
        staged = table_swap.staged_table(table)
        connection.execute(staged.insert(), [{"code": 2, "name": "new", "town": None}])
        table_swap.swap(connection, table)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name FROM register_like")).scalars().all() == ["new"]
        indexes = connection.execute(
            text("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'register_like'")
        ).all()
        named = {name: sql for name, sql in indexes if sql and name.startswith(("ux", "ix"))}
        assert set(named) == {"ux_register_like_name", "ix_register_like_town"}
        assert named["ux_register_like_name"].startswith("CREATE UNIQUE INDEX")
    for taken in (
        {"code": 3, "name": "new", "town": 3},  # the unique index
        {"code": 2, "name": "other", "town": 3},  # the primary key
        {"code": 4, "name": None, "town": 3},  # a column that is NOT NULL
    ):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(table.insert(), [taken])
    engine.dispose()


def test_the_swap_leaves_the_schema_read_only_again(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'swap.sqlite3'}")
    table = _table()
    with engine.begin() as connection:
        table.create(connection)
        table_swap.create_staged(connection, table)
        table_swap.swap(connection, table)
        assert connection.exec_driver_sql("PRAGMA writable_schema").scalar_one() == 0
    engine.dispose()


def test_leftovers_are_found_by_name_and_dropped_in_steps(tmp_path, monkeypatch):
    """A crash's staged table and a swap's retired one, made by a run before this one:
    found by their names, dropped ``RETIRE_ROWS`` rows a step, the connection's
    secure_delete as it was after each step."""
    monkeypatch.setattr(table_swap, "RETIRE_ROWS", 2)
    engine = create_engine(f"sqlite:///{tmp_path / 'swap.sqlite3'}")
    table = _table()
    with engine.begin() as connection:
        table.create(connection)
        assert table_swap.leftovers(connection, table) == []
        for name in ("register_like_retired", "register_like_staged"):
            connection.exec_driver_sql(f"CREATE TABLE {name} (code INTEGER PRIMARY KEY)")
            connection.exec_driver_sql(f"INSERT INTO {name} VALUES (1), (2), (3)")
        found = table_swap.leftovers(connection, table)
        assert found == ["register_like_staged", "register_like_retired"]
        connection.exec_driver_sql("PRAGMA secure_delete = 1")
        steps = [table_swap.retire_step(connection, found[0]) for _step in range(3)]
        assert steps == [False, False, True]  # 2 rows, 1 row, then the empty table
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1
        assert table_swap.leftovers(connection, table) == ["register_like_retired"]
    engine.dispose()


def test_a_table_keyed_by_two_columns_is_staged_and_swapped(tmp_path):
    """As the register's streets: a primary key of a town's code and a street's key."""
    engine = create_engine(f"sqlite:///{tmp_path / 'swap.sqlite3'}")
    table = Table(
        "street_like",
        MetaData(),
        Column("town", Integer, primary_key=True, autoincrement=False),
        Column("key", String(20), primary_key=True),
        Column("name", String(20)),
    )
    with engine.begin() as connection:
        table.create(connection)
        table_swap.create_staged(connection, table)
        staged = table_swap.staged_table(table)
        connection.execute(staged.insert(), [{"town": 1, "key": "dlouha", "name": "Dlouhá"}])
        table_swap.swap(connection, table)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(table.insert(), [{"town": 1, "key": "dlouha", "name": "Dlouhá"}])
    engine.dispose()
