"""The bulk write path (issue 29): many new rows of one table as plain tuples in one
statement (``executemany`` on SQLite, ``COPY`` through psycopg on PostgreSQL), and their
change ops beside them in the same transaction, written the same way. ``BulkOps``
prepares all of it before the write transaction begins, so the transaction (on SQLite
the one write lock every other writer waits for) holds the inserts and little else.

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

from sqlalchemy import (
    Date,
    DateTime,
    Numeric,
    Table,
    TypeDecorator,
    Uuid,
    bindparam,
    func,
    select,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from cc_terminal.models.base import utcnow
from cc_terminal.models.outbox import OutboxOp
from cc_terminal.store import hlc as clock
from cc_terminal.store.ids import ascending_ids
from cc_terminal.store.outbox import json_value, last_clock, sign_digests
from cc_terminal.store.signing import digest_with_clock

OPS = OutboxOp.__table__  # type: ignore[attr-defined]
# an op's columns known before its write transaction (its clock and run come in it)
OP_FIXED = ("op_id", "entity", "row_id", "kind", "changes", "actor_id", "at", "bases")
# keys come sorted; json_value only for a value of a type its column does not say
_encode = json.JSONEncoder(ensure_ascii=False, default=json_value).encode


def among(column: Any, values: Sequence[str], dialect: Dialect) -> ColumnElement[bool]:
    """``column IN (values)`` for a batch's thousands of texts as one parameter, not a
    parameter per value that SQLAlchemy renders into the statement at every run: on
    PostgreSQL an array's rows (``IN (SELECT unnest(...))``: each value looked up by the
    column's index, where ``= ANY`` of 2,000 values had the planner read the whole table,
    and every customer with it, at every batch), on SQLite a JSON list read by
    ``json_each``."""
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        array = bindparam(None, list(values), type_=ARRAY(column.type))
        return column.in_(select(func.unnest(array)).scalar_subquery())
    listed = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return column.in_(select(listed.c.value))


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
    ``repeated``: a column of few values (a batch's one time), each converted once. A
    column of one value (a batch's campaign, its time, a fresh lead's zeros) is converted
    once whatever ``repeated`` says."""
    if convert is None:
        return values
    if _constant(values):
        first = values[0]
        return [None if first is None else convert(first)] * len(values)
    if repeated:  # by identity: equal times in two zones are written differently
        distinct = {id(value): value for value in values}
        once = {key: None if value is None else convert(value) for key, value in distinct.items()}
        return [once[id(value)] for value in values]
    return [None if value is None else convert(value) for value in values]


def _constant(values: list[Any]) -> bool:
    """Every value the very object of the first (a column built from one object: a batch's
    campaign, its time); by identity, as equal values of two types (0 and False, one time
    in two zones) are written differently."""
    if not values or values[-1] is not values[0]:  # a column of the rows' own values
        return False
    return len(set(map(id, values))) == 1


def _by_column(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    return [[row[name] for row in rows] for name in columns]


def _stored_tuples(
    dialect: Dialect, table: Table, columns: Sequence[str], values: list[list[Any]]
) -> list[tuple[Any, ...]]:
    """The rows as the driver takes them: each column through its type's conversion."""
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
    """Each row's op changes: its values as JSON, keys sorted, as the flush hook writes
    (``json.dumps(row, sort_keys=True)``). Built from a template made once per batch: the
    keys, and a column of one value (a batch's campaign, time, a fresh lead's zeros),
    encoded once; each row encodes only its own values."""
    count = len(values[0]) if values else 0
    pieces: list[str] = []  # the template's text before each row's own value, then after
    own: list[list[str]] = []  # the encoded values of the columns that differ by row
    literal = "{"
    for position, name in enumerate(sorted(columns)):
        column = values[list(columns).index(name)]
        convert = _as_json(table.c[name].type)
        literal += ("" if position == 0 else ", ") + _encode(name) + ": "
        if _constant(column):
            literal += _encode(_converted(convert, column[:1])[0])
            continue
        pieces.append(literal)
        literal = ""
        own.append([_encode(value) for value in _converted(convert, column, convert is _isoformat)])
    literal += "}"
    if not own:
        return [literal] * count
    template = "%s".join(piece.replace("%", "%%") for piece in [*pieces, literal])
    return [template % row for row in zip(*own, strict=True)]


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
        connection, table.name, columns, _stored_tuples(connection.dialect, table, columns, values)
    )


class BulkOps:
    """New rows of several tables and their change ops, prepared before their write
    transaction (every value converted for its column and for its op's JSON, each op's
    digest made up to its clock) and written in it: ``write_rows`` the rows, in the order
    they were given, ``write_ops`` the ops with their clocks, signed. The transaction, and
    SQLite's one write lock, then holds the database's own work and little else."""

    def __init__(self, dialect: Dialect, actor: uuid.UUID | None) -> None:
        self.dialect = dialect
        self.actor = actor
        self.at = utcnow()
        self.rows: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []
        self.ops: list[tuple[Any, ...]] = []  # the ops' stored values before their clock
        self.heads: list[bytes] = []  # each op's digest up to its clock
        self.changes: list[bytes] = []
        actor_text = None if actor is None else str(actor)
        self._head_end = f", {_encode(actor_text)}, {_encode(self.at.isoformat())}, ".encode()

    def insert(
        self,
        table: Table,
        rows: list[dict[str, Any]],
        key: str = "id",
        staged: Mapping[str, Any] | None = None,
    ) -> None:
        """``rows`` (every row with the same keys) and their insert ops. ``staged``:
        values stored in place of the rows' own until an import is shown (the ops carry
        the rows' own: they are published only after it)."""
        if rows:
            columns = sorted(rows[0])
            self.insert_columns(
                table, dict(zip(columns, _by_column(rows, columns), strict=True)), key, staged
            )

    def insert_columns(
        self,
        table: Table,
        by_column: Mapping[str, list[Any]],
        key: str = "id",
        staged: Mapping[str, Any] | None = None,
    ) -> None:
        """As ``insert``, the rows given column by column (each list one column's values,
        row by row): no row's dict built. A column of one object (``[value] * count``) is
        converted and encoded once."""
        columns = sorted(by_column)
        values = [by_column[name] for name in columns]
        count = len(values[0]) if values else 0
        if not count:
            return
        kept = [
            [staged[name]] * count if staged and name in staged else column
            for name, column in zip(columns, values, strict=True)
        ]
        self._rows(table, columns, kept, count)
        texts = changes_texts(table, columns, values)
        row_ids = [str(row_id) for row_id in by_column[key]]
        op_ids = ascending_ids(count)
        entity = _encode(table.name)
        self.heads += [
            f'["{op_id}", {entity}, {_encode(row_id)}, "insert"'.encode() + self._head_end
            for op_id, row_id in zip(op_ids, row_ids, strict=True)
        ]
        self.changes += [text.encode() for text in texts]
        op_values: list[list[Any]] = [op_ids, [table.name] * count, row_ids, ["insert"] * count]
        op_values += [texts, [self.actor] * count, [self.at] * count, [""] * count]
        self.ops += _stored_tuples(self.dialect, OPS, OP_FIXED, op_values)

    def insert_without_ops(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Rows that write no op (bookkeeping the outbox does not follow)."""
        if rows:
            columns = sorted(rows[0])
            self._rows(table, columns, _by_column(rows, columns), len(rows))

    def insert_without_ops_columns(self, table: Table, by_column: Mapping[str, list[Any]]) -> None:
        """As ``insert_without_ops``, the rows given column by column."""
        columns = sorted(by_column)
        count = len(by_column[columns[0]]) if columns else 0
        if count:
            self._rows(table, columns, [by_column[name] for name in columns], count)

    def _rows(self, table: Table, columns: list[str], values: list[list[Any]], count: int) -> None:
        stored_columns, values = _with_defaults(table, columns, values, count)
        tuples = _stored_tuples(self.dialect, table, stored_columns, values)
        self.rows.append((table.name, stored_columns, tuples))

    def write_rows(self, connection: Connection) -> None:
        """The rows, table by table in the order given (in the caller's transaction)."""
        for table, columns, tuples in self.rows:
            write_tuples(connection, table, columns, tuples)

    def write_ops(self, connection: Connection) -> int:
        """The ops, given their clocks after the terminal's last one and signed (in the
        caller's transaction); how many."""
        if not self.ops:
            return 0
        first = clock.next_after(last_clock(connection))
        clocks = range(first, first + len(self.ops))
        digests = [
            digest_with_clock(head, hlc, changes)
            for head, hlc, changes in zip(self.heads, clocks, self.changes, strict=True)
        ]
        runs = sign_digests(connection, digests, self.actor)
        run_ids = _converted(OPS.c.run_id.type._cached_bind_processor(connection.dialect), runs)
        tuples = [
            (*fixed, hlc, run_id)
            for fixed, hlc, run_id in zip(self.ops, clocks, run_ids, strict=True)
        ]
        write_tuples(connection, OPS.name, (*OP_FIXED, "hlc", "run_id"), tuples)
        return len(tuples)
