"""store/table_swap.py on a table of its own: the swapped table keeps its indexes' names
and what they say (a unique index stays unique), on a real SQLite file."""

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
        Column("name", String(20)),
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
        connection.execute(staged.insert(), [{"code": 2, "name": "new", "town": 2}])
        table_swap.swap(connection, table)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name FROM register_like")).scalars().all() == ["new"]
        indexes = connection.execute(
            text("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'register_like'")
        ).all()
        named = {name: sql for name, sql in indexes if sql and name.startswith(("ux", "ix"))}
        assert set(named) == {"ux_register_like_name", "ix_register_like_town"}
        assert named["ux_register_like_name"].startswith("CREATE UNIQUE INDEX")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(table.insert(), [{"code": 3, "name": "new", "town": 3}])
    engine.dispose()
