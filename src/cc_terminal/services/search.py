"""Finding a customer by a fragment of name, address or e-mail, forgiving typos and
missing diacritics.

Every typed word becomes a set of vocabulary terms: the word itself, the terms it begins,
and (only when the words as typed find too little) terms one or two edits away. The
vocabulary of distinct words is small, so that matching runs in memory with RapidFuzz;
the database only reads each word's (customer, term) index rows, which are intersected
in memory.
"""

from __future__ import annotations

import bisect
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import String, bindparam, exists, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.folding import words
from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, CustomerTerm, SearchTerm
from cc_terminal.services import phones
from cc_terminal.services.errors import ValidationFailed
from cc_terminal.store.database import Database

POSTAL_CODE = re.compile(r"\b(\d{3}) (\d{2})\b")  # "110 00" is indexed as 11000
MAX_HITS = 30
PREFIX_TERMS = 400  # a prefix can begin hundreds of words; the shortest win
SHORT_PREFIX_TERMS = 40  # "ce" is not yet a word: its 40 shortest completions will do
FUZZY_TERMS = 40
FUZZY_BELOW = 5  # typo matching runs only when the words as typed find fewer callers
POSTINGS_CAP = 20_000


@dataclass(frozen=True)
class SearchHit:
    """Enough to tell two Jan Nováks apart."""

    id: uuid.UUID
    full_name: str
    street: str
    house_number: str
    city: str
    email: str
    phone: str
    last_contact: datetime | None
    exact: bool

    @property
    def street_line(self) -> str:
        return " ".join(part for part in (self.street, self.house_number) if part)


class _Vocabulary:
    """The distinct terms, loaded once and topped up with the ones added since."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: dict[str, int] = {}
        self.sorted: list[str] = []
        self.last_id = 0

    def refresh(self, connection: Connection) -> None:
        query = (
            select(col(SearchTerm.id), col(SearchTerm.term))
            .where(col(SearchTerm.id) > self.last_id)
            .order_by(col(SearchTerm.id))
        )
        rows = connection.execute(query).all()
        for term_id, term in rows:
            if term_id is not None:
                self.ids[term] = term_id
                self.last_id = max(self.last_id, term_id)
        if rows:
            self.sorted = sorted(self.ids)

    def exact_or_prefix(self, word: str, *, prefix: bool = True) -> list[str]:
        """The term itself and, for words of letters or of three digits or more (a postal
        code's start), the terms it begins; a house number matches only itself."""
        if not prefix or (word.isdigit() and len(word) < 3):
            return [word] if word in self.ids else []
        start = bisect.bisect_left(self.sorted, word)
        end = bisect.bisect_left(self.sorted, word + "\x7f", lo=start)
        found = self.sorted[start:end]
        most = PREFIX_TERMS if len(word) > 2 else SHORT_PREFIX_TERMS
        if len(found) > most:
            found = sorted(found, key=len)[:most]
        return found

    def near(self, word: str) -> list[str]:
        """Terms one edit away (two for longer words); swapping two letters is one edit."""
        if len(word) < 4 or word.isdigit():
            return []
        budget = 1 if len(word) < 7 else 2
        matches = process.extract(
            word,
            self.sorted,
            scorer=OSA.distance,
            score_cutoff=budget,
            limit=FUZZY_TERMS,
        )
        return sorted(match[0] for match in matches)


_HIT = select(
    col(Customer.id),
    col(Customer.full_name),
    col(Customer.street),
    col(Customer.house_number),
    col(Customer.city),
    col(Customer.email),
    select(col(CustomerPhone.e164))
    .where(col(CustomerPhone.customer_id) == col(Customer.id))
    .order_by(col(CustomerPhone.position))
    .limit(1)
    .scalar_subquery(),
    select(func.max(col(Call.started_at)))
    .where(col(Call.customer_id) == col(Customer.id))
    .scalar_subquery(),
).where(col(Customer.id).in_(bindparam("ids", expanding=True)))


# Customer ids as the driver returns them (hex text on SQLite, UUID on PostgreSQL): tens of
# thousands of them are compared, and only the few found are made into UUIDs.
_CUSTOMER_KEY = type_coerce(col(CustomerTerm.customer_id), String)
_HAVING = select(_CUSTOMER_KEY).where(
    col(CustomerTerm.term_id).in_(bindparam("terms", expanding=True)),
    col(CustomerTerm.customer_id).in_(bindparam("customers", expanding=True)),
)


class CustomerSearch:
    def __init__(self, db: Database, postings_cap: int = POSTINGS_CAP) -> None:
        self.db = db
        self.vocabulary = _Vocabulary()
        self.postings_cap = postings_cap

    def search(self, text: str, limit: int = MAX_HITS) -> tuple[SearchHit, ...]:
        typed = words(POSTAL_CODE.sub(r"\1\2", text[: limits.SEARCH]))
        if not typed:
            raise ValidationFailed({"search": _("Type a name, street, town or e-mail.")})
        with self.db.connect() as connection:
            with self.vocabulary.lock:
                self.vocabulary.refresh(connection)
                # As typed: whole words, and the last one may still be being typed.
                last = len(typed) - 1
                whole = [
                    self.vocabulary.exact_or_prefix(word, prefix=index == last)
                    for index, word in enumerate(typed)
                ]
                exact = [self.vocabulary.exact_or_prefix(word) for word in typed]
            found = self._matching(connection, whole, limit)
            if len(found) < FUZZY_BELOW and exact != whole:
                known = set(found)
                more = self._matching(connection, exact, limit)
                found += [customer_id for customer_id in more if customer_id not in known]
            exact_ids = set(found)
            if len(found) < FUZZY_BELOW:
                with self.vocabulary.lock:
                    # Loosen the words nothing was spelt like; if every word matched something
                    # (but not together), loosen them all.
                    loosen_all = all(exact)
                    loose = [
                        sorted({*terms, *self.vocabulary.near(word)})
                        if loosen_all or not terms
                        else terms
                        for word, terms in zip(typed, exact, strict=True)
                    ]
                if loose != exact:
                    more = self._matching(connection, loose, limit)
                    found += [customer_id for customer_id in more if customer_id not in exact_ids]
            return self._hits(connection, found[:limit], exact_ids)

    def _matching(
        self, connection: Connection, per_word: list[list[str]], limit: int
    ) -> list[uuid.UUID]:
        """Customers having a term of every word. Each word's index rows are read in one
        range scan and intersected in memory; a word too common to read whole (an e-mail
        domain, a big town) only filters what the others found."""
        if any(not terms for terms in per_word):
            return []
        ids = [[self.vocabulary.ids[term] for term in terms] for terms in per_word]
        complete: list[set[object]] = []
        common: list[list[int]] = []
        for term_ids in ids:
            rows = _postings(connection, term_ids, self.postings_cap + 1)
            if len(rows) > self.postings_cap:
                common.append(term_ids)
            else:
                complete.append(set(rows))
        if not complete:
            return _scan(connection, ids, limit)
        complete.sort(key=len)
        candidates = complete[0].intersection(*complete[1:])
        for term_ids in common:
            candidates = _having(connection, candidates, term_ids)
        return [_as_uuid(value) for value in sorted(candidates, key=str)[:limit]]

    def _hits(
        self, connection: Connection, found: list[uuid.UUID], exact: set[uuid.UUID]
    ) -> tuple[SearchHit, ...]:
        if not found:
            return ()
        rows = connection.execute(_HIT, {"ids": found}).all()
        hits = [
            SearchHit(
                id=row[0],
                full_name=row[1],
                street=row[2],
                house_number=row[3],
                city=row[4],
                email=row[5],
                phone=phones.display(row[6]) if row[6] else "",
                last_contact=row[7],
                exact=row[0] in exact,
            )
            for row in rows
        ]
        hits.sort(key=lambda hit: (not hit.exact, hit.full_name, hit.city))
        return tuple(hits)


def _postings(connection: Connection, term_ids: list[int], cap: int) -> list[object]:
    """A word's customer keys, straight from the driver's cursor: tens of thousands of rows,
    where SQLAlchemy's result handling would cost twice the query."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * len(term_ids))
    sql = f"SELECT customer_id FROM customer_term WHERE term_id IN ({marks}) LIMIT {int(cap)}"
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, term_ids)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def _having(connection: Connection, candidates: set[object], term_ids: list[int]) -> set[object]:
    """The candidates that also have one of these terms."""
    kept: set[object] = set()
    ordered = [_as_uuid(value) for value in candidates]
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        kept.update(connection.execute(_HAVING, {"terms": term_ids, "customers": chunk}).scalars())
    return kept


def _scan(connection: Connection, ids: list[list[int]], limit: int) -> list[uuid.UUID]:
    """Every word is very common: walk the first word's rows until enough have the others."""
    driver, *others = ids
    query = select(col(CustomerTerm.customer_id)).where(col(CustomerTerm.term_id).in_(driver))
    for index, term_ids in enumerate(others):
        other = CustomerTerm.__table__.alias(f"t{index}")  # type: ignore[attr-defined]
        query = query.where(
            exists().where(
                other.c.customer_id == col(CustomerTerm.customer_id),
                other.c.term_id.in_(term_ids),
            )
        )
    return list(connection.execute(query.distinct().limit(limit)).scalars())


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
