"""A table filled beside the one readers use, then put in its place by one short step
(issue 29): ``create_staged`` makes an empty copy of a model's table named ``T_staged``;
``build_indexes`` gives it the table's indexes (on PostgreSQL after the rows are in, on
SQLite before them: there an index built on three million rows would hold the file's one
write lock for seconds); ``swap`` makes it ``T`` under the table's own index names and sets
the old rows aside as ``T_retired``; ``retire`` drops those in steps that each hold the
write lock briefly. A staged or retired table a crash left behind is what ``retire``
drops the next time.

On SQLite a table is renamed by ALTER TABLE, but an index cannot be: its name in
sqlite_schema is changed by the procedure SQLite's documentation gives for such edits
(writable_schema in the transaction, the schema version raised by one), so the swapped
table's indexes keep the names the migrations know."""

from __future__ import annotations

from sqlalchemy import Column, Index, MetaData, Table, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex, CreateTable

STAGED = "_staged"
RETIRED = "_retired"
SWAP_WAIT = "500ms"  # PostgreSQL: how long the swap waits for the tables' readers
RETIRE_ROWS = 10_000  # SQLite: rows of a retired table deleted by one transaction


def staged_name(table: Table) -> str:
    return table.name + STAGED


def staged_table(table: Table) -> Table:
    """``T_staged`` as a table to write and read (without indexes)."""
    return _copy(table, staged_name(table))


def _copy(table: Table, name: str) -> Table:
    """``table``'s columns and primary key under ``name``, without its indexes."""
    columns = [
        Column(
            column.name,
            column.type,
            primary_key=column.primary_key,
            nullable=column.nullable,
            autoincrement=False,
        )
        for column in table.columns
    ]
    return Table(name, MetaData(), *columns)


def _indexes(table: Table, target: Table, suffix: str) -> list[Index]:
    return [
        Index(
            f"{index.name}{suffix}",
            *(target.c[column.name] for column in index.columns),
            unique=bool(index.unique),
        )
        for index in sorted(table.indexes, key=lambda index: str(index.name))
    ]


def create_staged(connection: Connection, table: Table) -> None:
    """An empty ``T_staged``: on SQLite with its indexes already (see the module's note)."""
    connection.execute(CreateTable(staged_table(table)))
    if connection.dialect.name == "sqlite":
        build_indexes(connection, table)


def build_indexes(connection: Connection, table: Table) -> None:
    for index in _indexes(table, staged_table(table), STAGED):
        connection.execute(CreateIndex(index))


def leftovers(connection: Connection, table: Table) -> list[str]:
    """The staged and retired tables of ``table`` that exist (a crash's, or the last swap's
    old rows not yet dropped)."""
    names = set(inspect(connection).get_table_names())
    return [name for name in (table.name + STAGED, table.name + RETIRED) if name in names]


def swap(connection: Connection, table: Table) -> None:
    """In the caller's transaction: ``T`` becomes ``T_retired`` and ``T_staged`` becomes
    ``T``, each index under the name its table's model gives it."""
    name, staged, retired = table.name, table.name + STAGED, table.name + RETIRED
    index_names = sorted(str(index.name) for index in table.indexes)
    if connection.dialect.name == "postgresql":
        # a reader in a long transaction would make every reader after it queue behind
        # the rename: given up after SWAP_WAIT (the store is busy; the caller tries again)
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{SWAP_WAIT}'")
        keys = _primary_keys(connection, (name, staged))
        connection.exec_driver_sql(f'ALTER TABLE "{name}" RENAME TO "{retired}"')
        for index in index_names:
            connection.exec_driver_sql(f'ALTER INDEX "{index}" RENAME TO "{index}{RETIRED}"')
        connection.exec_driver_sql(f'ALTER INDEX "{keys[name]}" RENAME TO "{retired}_pkey"')
        connection.exec_driver_sql(f'ALTER TABLE "{staged}" RENAME TO "{name}"')
        for index in index_names:
            connection.exec_driver_sql(f'ALTER INDEX "{index}{STAGED}" RENAME TO "{index}"')
        connection.exec_driver_sql(f'ALTER INDEX "{keys[staged]}" RENAME TO "{keys[name]}"')
        return
    connection.exec_driver_sql(f'ALTER TABLE "{name}" RENAME TO "{retired}"')
    connection.exec_driver_sql(f'ALTER TABLE "{staged}" RENAME TO "{name}"')
    renames = [(index, index + RETIRED) for index in index_names]
    renames += [(index + STAGED, index) for index in index_names]
    _rename_sqlite_indexes(connection, renames)


def _primary_keys(connection: Connection, tables: tuple[str, ...]) -> dict[str, str]:
    """PostgreSQL: each table's primary key's index name."""
    found = connection.exec_driver_sql(
        "SELECT c.relname, i.relname FROM pg_index x"
        " JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indisprimary AND c.relname = ANY(%(tables)s)"
        " AND c.relnamespace = current_schema()::regnamespace",
        {"tables": list(tables)},
    )
    return {str(table): str(index) for table, index in found}


def _rename_sqlite_indexes(connection: Connection, renames: list[tuple[str, str]]) -> None:
    """SQLite's documented edit of sqlite_schema, in the caller's transaction: the names
    changed in the name and in the CREATE INDEX text, the schema version raised by one so
    every connection reads the schema again."""
    version = int(connection.exec_driver_sql("PRAGMA schema_version").scalar_one())
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for old, new in renames:
            connection.exec_driver_sql(
                "UPDATE sqlite_schema SET name = ?,"
                " sql = substr(sql, 1, instr(sql, ' INDEX ') + 6)"  # UNIQUE kept, if said
                " || '\"' || ? || '\" ON ' || substr(sql, instr(sql, ' ON ') + 4)"
                " WHERE type = 'index' AND name = ?",
                (new, new, old),
            )
        connection.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")


def retire_step(connection: Connection, name: str) -> bool:
    """One bounded step of dropping the table ``name`` (retired or staged), in the caller's
    transaction; True when it is gone. PostgreSQL drops it at once (its files go at the
    commit). SQLite, where a drop (even an index's) walks every page under the write lock:
    its rows ``RETIRE_ROWS`` a step (their index entries with them), then the empty table
    and indexes. The register is
    public data: its pages are freed without being overwritten (secure_delete off for the
    step, then as it was)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
        return True
    secure = int(connection.exec_driver_sql("PRAGMA secure_delete").scalar_one())
    connection.exec_driver_sql("PRAGMA secure_delete = 0")
    try:
        return _sqlite_step(connection, name)
    finally:
        connection.exec_driver_sql(f"PRAGMA secure_delete = {secure}")


def _sqlite_step(connection: Connection, name: str) -> bool:
    deleted = connection.exec_driver_sql(
        f'DELETE FROM "{name}" WHERE rowid IN (SELECT rowid FROM "{name}" LIMIT {RETIRE_ROWS})'
    ).rowcount
    if deleted:
        return False
    connection.exec_driver_sql(f'DROP TABLE "{name}"')  # empty, with its indexes
    return True
