"""Reading the customer search index (customer, term) for one search.

Customer keys travel in the driver's cheapest form, never as UUID objects: hex text on
SQLite, 16 bytes on PostgreSQL (``uuid_send``). A search compares tens of thousands of them;
UUID objects cost a Python call to hash and are tracked by the garbage collector, which
made reading 76,000 keys take 130 ms on PostgreSQL instead of 15. Both forms sort in UUID
order, so both stores agree on which customers come first.

Statements go straight to the driver's cursor for the same reason: SQLAlchemy's result
handling would cost twice the query."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

Key = str | bytes
StopCheck = Callable[[], None]
PROBE_CHUNK = 500
WALK_CHUNKS = 40


@dataclass(frozen=True)
class Word:
    """One typed word as term ids, and how many customers have one of them (at most)."""

    ids: list[int]
    size: int


class TermIndex:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        postgres = connection.dialect.name == "postgresql"
        self._mark = "%s" if postgres else "?"
        self._key = "uuid_send({})" if postgres else "{}"
        self._param: Callable[[Key], object] = _from_bytes if postgres else _same

    def sized(self, ids: list[list[int]]) -> list[Word]:
        """Each word with its size, from the terms' stored counts (read now: they change as
        customers are added on any terminal)."""
        wanted = sorted({term_id for term_ids in ids for term_id in term_ids})
        sql = f"SELECT id, customers FROM search_term WHERE id IN ({self._marks(wanted)})"
        counts = dict(self._rows(sql, wanted))
        return [Word(term_ids, sum(counts.get(t, 0) for t in term_ids)) for term_ids in ids]

    def postings(self, term_ids: list[int]) -> list[Key]:
        """The keys of the customers having one of these terms."""
        sql = (
            f"SELECT {self._key.format('customer_id')} FROM customer_term "
            f"WHERE term_id IN ({self._marks(term_ids)})"
        )
        return [row[0] for row in self._rows(sql, term_ids)]

    def having(self, chunk: Sequence[Key], term_ids: list[int]) -> set[Key]:
        """The customers of ``chunk`` that have one of these terms."""
        sql = (
            f"SELECT {self._key.format('customer_id')} FROM customer_term "
            f"WHERE term_id IN ({self._marks(term_ids)}) "
            f"AND customer_id IN ({self._marks(chunk)})"
        )
        return {row[0] for row in self._rows(sql, [*term_ids, *map(self._param, chunk)])}

    def filter_in_order(
        self, ordered: Sequence[Key], words: list[list[int]], limit: int, stop: StopCheck
    ) -> list[Key]:
        """The customers of ``ordered``, in order, having a term of every word: a chunk at a
        time, stopping once ``limit`` are found."""
        kept: list[Key] = []
        for start in range(0, len(ordered), PROBE_CHUNK):
            stop()
            chunk = list(ordered[start : start + PROBE_CHUNK])
            for term_ids in words:
                if chunk:
                    having = self.having(chunk, term_ids)
                    chunk = [key for key in chunk if key in having]
            kept += chunk
            if len(kept) >= limit:
                break
        return kept

    def walk(self, words: list[list[int]], limit: int, stop: StopCheck) -> list[Key]:
        """Every word is very common: go through the customers in key order, keeping those
        having every word, until ``limit`` are found (or WALK_CHUNKS chunks were read)."""
        kept: list[Key] = []
        key = self._key.format("id")
        after: Key | None = None
        for _chunk in range(WALK_CHUNKS):
            if after is None:
                sql, params = f"SELECT {key} FROM customer ORDER BY id LIMIT {PROBE_CHUNK}", []
            else:
                sql = f"SELECT {key} FROM customer WHERE id > {self._mark} ORDER BY id "
                sql += f"LIMIT {PROBE_CHUNK}"
                params = [self._param(after)]
            chunk = [row[0] for row in self._rows(sql, params)]
            if not chunk:
                break
            after = chunk[-1]
            kept += self.filter_in_order(chunk, words, limit - len(kept), stop)
            if len(kept) >= limit:
                break
        return kept[:limit]

    def _marks(self, values: Sequence[object]) -> str:
        return ", ".join([self._mark] * len(values))

    def _rows(self, sql: str, params: Sequence[object]) -> list[Any]:
        cursor = self.connection.connection.cursor()
        try:
            cursor.execute(sql, list(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()


def as_uuid(key: Key) -> uuid.UUID:
    return uuid.UUID(bytes=key) if isinstance(key, bytes) else uuid.UUID(key)


def _from_bytes(key: Key) -> object:
    return uuid.UUID(bytes=key) if isinstance(key, bytes) else key


def _same(key: Key) -> object:
    return key
