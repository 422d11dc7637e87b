"""A large import of the address register staged beside the register (issue 29): the
points go into ``address_point_staged`` (store/table_swap.py) in bounded transactions that
nothing reads, the towns and streets computed as the files are read; then the
municipalities the import does not name are copied over from the register, and one short
transaction makes the staged tables the register. Until then readers see the old register
whole; an import that fails or dies leaves it as it was (the staged tables are dropped,
or by the next import). What is stored is what the grouped path (register_store) stores
for the same files: a later file of a municipality replaces an earlier one's points, and
an import the database refuses (a point's code taken twice) is done again by the grouped
path, which keeps the files before the refused one as it always did."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from cc_terminal.models import AddressPoint, AddressStreet, AddressTown
from cc_terminal.services.orders import register_store
from cc_terminal.services.orders.register_rows import POINT_COLUMNS, Point
from cc_terminal.services.orders.register_store import (
    STREET_COLUMNS,
    TOWN_COLUMNS,
    towns_and_streets,
)
from cc_terminal.store import table_swap
from cc_terminal.store.bulk import write_tuples
from cc_terminal.store.bulk_cache import bulk_cache, enlarge
from cc_terminal.store.database import Database, retry_when_busy

MB = 1024 * 1024
STAGED_BYTES = 32 * MB  # smaller imports replace their towns group by group
POINT_BYTES = 120  # a point's line in the files, about
POINTS_TABLE: Table = AddressPoint.__table__  # type: ignore[attr-defined]
TOWNS_TABLE: Table = AddressTown.__table__  # type: ignore[attr-defined]
STREETS_TABLE: Table = AddressStreet.__table__  # type: ignore[attr-defined]
TABLES = (POINTS_TABLE, TOWNS_TABLE, STREETS_TABLE)
CHECKPOINT_POINTS = 100_000  # SQLite: the WAL moved into the file after about so many
POSTGRESQL_GROUPS = 5  # PostgreSQL's COPY into a table no one else writes: wider groups


def worth_staging(db: Database, unpacked: int) -> bool:
    """An import of ``unpacked`` bytes of files is staged when it is large and names at
    least about half of the register's points (what it does not name is copied over)."""
    if unpacked < STAGED_BYTES:
        return False
    with db.read() as session:
        total = select(func.coalesce(func.sum(AddressTown.points), 0))
        register = int(session.execute(total).scalar_one())
    return unpacked >= register * POINT_BYTES // 2


def discard_leftovers(db: Database, actor_id: uuid.UUID | None) -> None:
    """The staged and retired tables there are dropped, a short transaction a step."""
    with db.connect() as connection:
        left = [name for table in TABLES for name in table_swap.leftovers(connection, table)]
    for name in left:
        gone = False
        while not gone:
            with db.write(actor_id, durable=False) as session:
                gone = table_swap.retire_step(session.connection(), name)
    if left:
        db.checkpoint()


class StagedWriter:
    """Takes the files' points as register_store.RegisterWriter does; ``finish`` shows
    them."""

    def __init__(self, db: Database, actor_id: uuid.UUID | None) -> None:
        self.db = db
        self.actor_id = actor_id
        self.pending: list[Point] = []
        self.municipalities: set[int] = set()
        self.towns: dict[int, tuple[Any, ...]] = {}
        self.streets: dict[tuple[int, str], tuple[Any, ...]] = {}
        self.stored = 0  # points staged so far
        self.unchecked = 0  # ... since the last checkpoint
        wide = POSTGRESQL_GROUPS if db.engine.dialect.name == "postgresql" else 1
        self.group = register_store.GROUP_POINTS * wide
        discard_leftovers(db, actor_id)
        with db.write(actor_id, durable=False) as session:
            for table in TABLES:
                table_swap.create_staged(session.connection(), table)

    def add(self, points: list[Point]) -> bool:
        """Take one file's points; True when a group was staged."""
        if not points:
            return False  # a file without a valid point replaces nothing
        codes = {point[1] for point in points}
        stored = False
        again = codes & self.municipalities
        if again:  # the later file of a municipality replaces the earlier one
            stored = self.flush()
            self._forget(again)
        towns, streets = towns_and_streets(points)
        self.towns.update((town[0], town) for town in towns)
        self.streets.update(((street[0], street[1]), street) for street in streets)
        self.municipalities |= codes
        self.pending += points
        if len(self.pending) >= self.group:
            stored = self.flush() or stored
        return stored

    def flush(self) -> bool:
        """The points taken staged, ``group`` a transaction: nothing reads them until the
        swap, so a large town's file is split as any group (its whole shown at once)."""
        if not self.pending:
            return False
        points, self.pending = self.pending, []
        staged = table_swap.staged_name(POINTS_TABLE)
        with bulk_cache():
            for start in range(0, len(points), self.group):
                chunk = points[start : start + self.group]
                with self.db.write(self.actor_id, durable=False) as session:
                    enlarge(session.connection())
                    write_tuples(session.connection(), staged, POINT_COLUMNS, chunk)
                self.unchecked += len(chunk)
                if self.unchecked >= CHECKPOINT_POINTS:
                    self.db.checkpoint()  # out of the write lock
                    self.unchecked = 0
        self.stored += len(points)
        return True

    def _forget(self, municipalities: set[int]) -> None:
        staged = table_swap.staged_table(POINTS_TABLE)
        with self.db.write(self.actor_id, durable=False) as session:
            session.connection().execute(
                staged.delete().where(staged.c.municipality_code.in_(sorted(municipalities)))
            )
        self.towns = {code: town for code, town in self.towns.items() if code not in municipalities}
        self.streets = {
            key: street for key, street in self.streets.items() if key[0] not in municipalities
        }

    def finish(self) -> bool:
        """The last group staged, the rest of the register copied, and the staged tables
        made the register; True (the progress is at the whole)."""
        self.flush()
        for codes in _in_groups(self._kept()):
            with self.db.write(self.actor_id, durable=False) as session:
                _copy_kept(session.connection(), codes)
            self.db.checkpoint()
        with self.db.write(self.actor_id, durable=False) as session:
            connection = session.connection()
            write_tuples(
                connection,
                table_swap.staged_name(TOWNS_TABLE),
                TOWN_COLUMNS,
                [*self.towns.values()],
            )
            write_tuples(
                connection,
                table_swap.staged_name(STREETS_TABLE),
                STREET_COLUMNS,
                [*self.streets.values()],
            )
        if self.db.engine.dialect.name == "postgresql":
            with self.db.write(self.actor_id, durable=False) as session:
                for table in TABLES:  # locks only the staged tables: no writer waits
                    table_swap.build_indexes(session.connection(), table)
        self.db.checkpoint()  # the swap's durable commit then moves little
        retry_when_busy(self._swap)
        discard_leftovers(self.db, self.actor_id)
        return True

    def _swap(self) -> None:
        with self.db.write(self.actor_id) as session:  # durable: the register shown
            for table in TABLES:
                table_swap.swap(session.connection(), table)

    def _kept(self) -> list[tuple[int, int]]:
        """The register's municipalities this import does not name, with their points."""
        with self.db.read() as session:
            towns = session.execute(select(TOWNS_TABLE.c.municipality_code, TOWNS_TABLE.c.points))
            return [(code, points) for code, points in towns if code not in self.municipalities]


def _in_groups(towns: list[tuple[int, int]]) -> Iterator[list[int]]:
    """The municipalities' codes in groups of about ``GROUP_POINTS`` points."""
    group: list[int] = []
    points = 0
    for code, count in sorted(towns):
        group.append(code)
        points += count
        if points >= register_store.GROUP_POINTS:
            yield group
            group, points = [], 0
    if group:
        yield group


def _copy_kept(connection: Connection, codes: Iterable[int]) -> None:
    """The register's rows of ``codes`` copied into the staged tables, by the database."""
    listed = sorted(codes)
    for table in TABLES:
        staged = table_swap.staged_table(table)
        names = [column.name for column in table.columns]
        rows = select(*(table.c[name] for name in names)).where(
            table.c.municipality_code.in_(listed)
        )
        connection.execute(staged.insert().from_select(names, rows))
