"""The address register's points stored in bulk (issue 29): municipality files grouped
into transactions of about ``GROUP_POINTS`` points, each file's municipalities whole in
one of them (a re-import never leaves half a town); in each, the old points, towns and
streets of its municipalities deleted by one statement a table and the new rows written
as plain tuples (store/bulk.write_tuples: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL). What is stored is what one transaction a file stored before: a file whose
municipality is already in the group starts the next one, and a group the database
refuses (a point's code taken by another municipality) is stored again file by file, so
the files before the refused one are kept as they were."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cc_terminal.models import AddressPoint, AddressStreet, AddressTown
from cc_terminal.services.orders.register_rows import POINT_COLUMNS, Point
from cc_terminal.store.bulk import write_tuples
from cc_terminal.store.database import Database

GROUP_POINTS = 20_000  # a transaction of this many points holds SQLite's lock ~0.1 s
GROUP_FILES = 1_000  # municipalities deleted by one IN (...)
TOWN_COLUMNS = ("municipality_code", "name", "town_key", "points")
STREET_COLUMNS = ("municipality_code", "street_key", "name", "is_part")
_MUNICIPALITY = itemgetter(1)


class RegisterWriter:
    """Collects the files' points and stores them a group at a time."""

    def __init__(self, db: Database, actor_id: uuid.UUID | None) -> None:
        self.db = db
        self.actor_id = actor_id
        self.files: list[list[Point]] = []
        self.codes: set[int] = set()
        self.pending = 0
        self.stored = 0  # points stored so far
        self.longest = 0.0

    def add(self, points: list[Point]) -> bool:
        """Take one file's points; True when a group was stored to make room."""
        if not points:
            return False  # a file without a valid point replaces nothing (as before)
        codes = set(map(_MUNICIPALITY, points))
        stored = False
        if self.files and (
            codes & self.codes
            or self.pending + len(points) > GROUP_POINTS
            or len(self.files) >= GROUP_FILES
        ):
            stored = self.flush()
        self.files.append(points)
        self.codes |= codes
        self.pending += len(points)
        return stored

    def flush(self) -> bool:
        """Store the group collected; True when there was one."""
        if not self.files:
            return False
        files, self.files, self.codes, self.pending = self.files, [], set(), 0
        try:
            self._store(files)
        except IntegrityError:
            if len(files) == 1:
                raise
            for points in files:
                self._store([points])
        self.stored += sum(map(len, files))
        return True

    def finish(self) -> bool:
        """The last group stored; True when there was one."""
        return self.flush()

    def _store(self, files: list[list[Point]]) -> None:
        points = [point for points in files for point in points]
        codes = sorted(set(map(_MUNICIPALITY, points)))
        with self.db.write(self.actor_id) as session:
            replace(session.connection(), codes, points)


def replace(connection: Connection, codes: Sequence[int], points: list[Point]) -> None:
    """The municipalities ``codes`` lose their points, towns and streets and get these."""
    for table in (AddressPoint, AddressStreet, AddressTown):
        connection.execute(delete(table).where(col(table.municipality_code).in_(codes)))
    write_tuples(connection, "address_point", POINT_COLUMNS, points)
    towns, streets = towns_and_streets(points)
    write_tuples(connection, "address_town", TOWN_COLUMNS, towns)
    write_tuples(connection, "address_street", STREET_COLUMNS, streets)


def towns_and_streets(
    points: list[Point],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Each municipality with its name (its first point's) and point count; each street
    (or part) of a municipality by its folded key, named as its first point names it."""
    counts = Counter(map(_MUNICIPALITY, points))
    first_of_town = {point[1]: point for point in reversed(points)}
    first_of_street = {(point[1], point[7]): point for point in reversed(points)}
    towns = [
        (code, point[2], point[3], counts[code]) for code, point in reversed(first_of_town.items())
    ]
    streets = [
        (code, key, point[6] or point[5], not point[6])
        for (code, key), point in reversed(first_of_street.items())
    ]
    return towns, streets
