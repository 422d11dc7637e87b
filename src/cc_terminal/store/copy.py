"""Moving a floor's data to a server: every table, in the order its foreign keys need,
in batches, then the counts compared table by table."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from cc_terminal.i18n import _
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.store.errors import StoreError

BATCH = 5000
# Kept per terminal, meaningless on a server.
LOCAL_ONLY = frozenset(
    {
        "alembic_version",
        "sync_terminal",
        "sync_peer",
        "sync_segment",
        "sync_applied_op",
        "sync_field_version",
        "sync_issue",
    }
)


def copy_database(
    source: Database, target: Database, progress: Callable[[str, int], None] = lambda t, n: None
) -> dict[str, tuple[int, int]]:
    """Copy into an empty target (migrated here); return each table's (source, target) counts."""
    schema.upgrade(target.engine)
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in LOCAL_ONLY]
    with target.connect() as connection:
        filled = [
            t.name
            for t in tables
            if connection.execute(select(func.count()).select_from(t)).scalar()
        ]
    shipped = {"reference_item"}  # the migration stores the shipped lists on both
    if set(filled) - shipped:
        raise StoreError(
            _("the target database is not empty ({tables})").format(
                tables=", ".join(sorted(filled))
            )
        )
    counts = {}
    with source.connect() as reading, target.engine.begin() as writing:
        for table in tables:
            if table.name in shipped:
                writing.execute(table.delete())
            copied = 0
            result = reading.execution_options(yield_per=BATCH).execute(select(table))
            for rows in result.partitions(BATCH):
                writing.execute(table.insert(), [dict(row._mapping) for row in rows])
                copied += len(rows)
            progress(table.name, copied)
        if writing.dialect.name == "postgresql":
            _advance_sequences(writing, tables)
    with source.connect() as reading, target.connect() as checking:
        for table in tables:
            counts[table.name] = (
                int(reading.execute(select(func.count()).select_from(table)).scalar() or 0),
                int(checking.execute(select(func.count()).select_from(table)).scalar() or 0),
            )
    return counts


def _advance_sequences(connection: Connection, tables: list[Table]) -> None:
    """Rows came with their integer keys: the server's sequences must start after them."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if (
            len(keys) == 1
            and keys[0].type.python_type is int
            and keys[0].autoincrement in (True, "auto")
        ):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{keys[0].name}'),"
                    f" coalesce((SELECT max({keys[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
