"""The bulk write path (issue 29): many new rows of one table as plain tuples in one
statement (``executemany`` on SQLite, ``COPY`` through psycopg on PostgreSQL), and their
change ops beside them in the same transaction, written the same way.

Each op is exactly what the flush hook writes for an inserted row (store/outbox.py): the
row's values as JSON with sorted keys, a clock after the terminal's last one, signed in
runs of ``RUN_LIMIT`` with the actor's open key, so sync's ingest verifies them as any
other. What a row costs here is its values' conversion once for the table and once for
the op's JSON, the op's digest, and the database's own insert."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Table, TypeDecorator, Uuid
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from cc_terminal.models.base import utcnow
from cc_terminal.models.outbox import OutboxOp
from cc_terminal.store import hlc as clock
from cc_terminal.store.outbox import json_value, last_clock, sign_ops

OPS = OutboxOp.__table__  # type: ignore[attr-defined]
OP_COLUMNS = ("op_id", "entity", "row_id", "kind", "changes", "actor_id", "at", "hlc", "bases")
# keys come sorted; json_value only for a value of a type its column does not say
_encode = json.JSONEncoder(ensure_ascii=False, default=json_value).encode


def _as_json(column_type: Any) -> Callable[[Any], Any] | None:
    """How ``outbox.json_value`` writes a column's values (None: as they are)."""
    if isinstance(column_type, Uuid | Numeric):
        return str
    if isinstance(column_type, DateTime | Date | TypeDecorator):
        return _isoformat
    return None


def _isoformat(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _converted(
    convert: Callable[[Any], Any] | None, values: list[Any], repeated: bool = False
) -> list[Any]:
    """A column's values through ``convert`` (None stays None); the list itself when none.
    ``repeated``: a column of few values (a batch's one time), each converted once."""
    if convert is None:
        return values
    if repeated:
        once = {value: convert(value) for value in set(values) if value is not None}
        return [None if value is None else once[value] for value in values]
    return [None if value is None else convert(value) for value in values]


def _by_column(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    return [[row[name] for row in rows] for name in columns]


def _stored_tuples(
    connection: Connection, table: Table, columns: Sequence[str], values: list[list[Any]]
) -> list[tuple[Any, ...]]:
    """The rows as the driver takes them: each column through its type's conversion."""
    dialect = connection.dialect
    stored = [
        _converted(
            table.c[name].type._cached_bind_processor(dialect),
            column,
            isinstance(table.c[name].type, DateTime | Date | TypeDecorator),
        )
        for name, column in zip(columns, values, strict=True)
    ]
    return list(zip(*stored, strict=True))


def changes_texts(table: Table, columns: Sequence[str], values: list[list[Any]]) -> list[str]:
    """Each row's op changes: its values as JSON, keys sorted, as the flush hook writes."""
    ready = [
        _converted(_as_json(table.c[name].type), column, _as_json(table.c[name].type) is _isoformat)
        for name, column in zip(columns, values, strict=True)
    ]
    ordered = sorted(columns)  # json's sort_keys order: the dicts are built in it
    order = [list(columns).index(name) for name in ordered]
    ready = [ready[index] for index in order]
    return [_encode(dict(zip(ordered, row, strict=True))) for row in zip(*ready, strict=True)]


def write_tuples(
    connection: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Plain tuples into ``table`` in one go: ``COPY`` on PostgreSQL, else ``executemany``."""
    if not rows:
        return
    names = ", ".join(f'"{name}"' for name in columns)  # a column may be a keyword
    if connection.dialect.name == "postgresql":
        _copy(connection, f'COPY "{table}" ({names}) FROM STDIN', rows)
        return
    marks = ", ".join("?" * len(columns))
    connection.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _copy(connection: Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    """``COPY`` through the driver; its error raised as SQLAlchemy's (an IntegrityError for
    a taken key), as an ``execute`` would raise it."""
    import psycopg  # only PostgreSQL's terminals have the driver loaded

    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as error:
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from None


def _with_defaults(
    table: Table, columns: list[str], values: list[list[Any]], count: int
) -> tuple[list[str], list[list[Any]]]:
    """The model's constant defaults of the columns the rows leave out, as SQLAlchemy's
    insert fills them (a function default left out is a mistake: it raises)."""
    missing = [
        column for column in table.c if column.default is not None and column.name not in columns
    ]
    for column in missing:
        default = column.default
        if not getattr(default, "is_scalar", False):
            raise ValueError(f"{table.name}.{column.name} needs a value")
        columns = [*columns, column.name]
        values = [*values, [default.arg] * count]  # type: ignore[union-attr]
    return columns, values


def insert_without_ops(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows that write no op (a table the outbox does not follow, or ops applied from
    another terminal), in one go. Rows without a column whose model default is a function
    (an older writer's) go through SQLAlchemy, which calls it."""
    if not rows:
        return
    columns = sorted(rows[0])
    try:
        columns, values = _with_defaults(table, columns, _by_column(rows, columns), len(rows))
    except ValueError:
        connection.execute(table.insert(), rows)
        return
    write_tuples(
        connection, table.name, columns, _stored_tuples(connection, table, columns, values)
    )


class BulkOps:
    """The change ops of rows a bulk import inserts, collected table by table and written
    (signed) by ``write``, all in the caller's transaction."""

    def __init__(self, connection: Connection, actor: uuid.UUID | None) -> None:
        self.connection = connection
        self.actor = actor
        self.at = utcnow()
        self.ops: list[dict[str, Any]] = []

    def insert(
        self,
        table: Table,
        rows: list[dict[str, Any]],
        key: str = "id",
        staged: Mapping[str, Any] | None = None,
    ) -> None:
        """Insert ``rows`` (every row with the same keys) and keep their ops. ``staged``:
        values stored in place of the rows' own until an import is shown (the ops carry
        the rows' own: they are published only after it)."""
        if not rows:
            return
        columns = sorted(rows[0])
        values = _by_column(rows, columns)
        kept = [
            [staged[name]] * len(rows) if staged and name in staged else column
            for name, column in zip(columns, values, strict=True)
        ]
        stored_columns, kept = _with_defaults(table, columns, kept, len(rows))
        tuples = _stored_tuples(self.connection, table, stored_columns, kept)
        write_tuples(self.connection, table.name, stored_columns, tuples)
        entity, actor, at = table.name, self.actor, self.at
        self.ops.extend(
            {
                "op_id": uuid.uuid4(),
                "entity": entity,
                "row_id": str(row[key]),
                "kind": "insert",
                "changes": changes,
                "actor_id": actor,
                "at": at,
                "bases": "",
                "run_id": None,
            }
            for row, changes in zip(rows, changes_texts(table, columns, values), strict=True)
        )

    def write(self) -> int:
        """Give the ops their clocks, sign them and store them; how many were written."""
        if not self.ops:
            return 0
        first = clock.next_after(last_clock(self.connection))
        for number, op in enumerate(self.ops):
            op["hlc"] = first + number
        sign_ops(self.connection, self.ops, self.actor)
        columns = (*OP_COLUMNS, "run_id")
        values = _by_column(self.ops, columns)
        tuples = _stored_tuples(self.connection, OPS, columns, values)
        write_tuples(self.connection, OPS.name, columns, tuples)
        written, self.ops = len(self.ops), []
        return written
