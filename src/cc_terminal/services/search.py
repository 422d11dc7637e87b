"""Finding a customer by a fragment of name, address or e-mail, forgiving typos and
missing diacritics.

Every typed word becomes a set of vocabulary terms: the word itself, the terms it begins,
and (only when the exact words find too little) terms one or two edits away. The
vocabulary of distinct words is small, so that matching runs in memory with RapidFuzz;
the database then only intersects (customer, term) index rows, starting from the rarest
word.
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
from sqlalchemy import bindparam, exists, func, select
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
PREFIX_TERMS = 400  # a two-letter prefix can begin thousands of words; the shortest win
FUZZY_TERMS = 40
SELECTIVITY_PROBE = 5000


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

    def exact_or_prefix(self, word: str) -> list[str]:
        start = bisect.bisect_left(self.sorted, word)
        end = bisect.bisect_left(self.sorted, word + "\x7f", lo=start)
        found = self.sorted[start:end]
        if len(found) > PREFIX_TERMS:
            found = sorted(found, key=len)[:PREFIX_TERMS]
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


class CustomerSearch:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.vocabulary = _Vocabulary()

    def search(self, text: str, limit: int = MAX_HITS) -> tuple[SearchHit, ...]:
        typed = words(POSTAL_CODE.sub(r"\1\2", text[: limits.SEARCH]))
        if not typed:
            raise ValidationFailed({"search": _("Type a name, street, town or e-mail.")})
        with self.db.connect() as connection:
            with self.vocabulary.lock:
                self.vocabulary.refresh(connection)
                exact = [self.vocabulary.exact_or_prefix(word) for word in typed]
            found = self._matching(connection, exact, limit)
            exact_ids = set(found)
            if len(found) < limit:
                with self.vocabulary.lock:
                    loose = [
                        sorted({*terms, *self.vocabulary.near(word)})
                        for word, terms in zip(typed, exact, strict=True)
                    ]
                if loose != exact:
                    more = self._matching(connection, loose, limit)
                    found += [customer_id for customer_id in more if customer_id not in exact_ids]
            return self._hits(connection, found[:limit], exact_ids)

    def _matching(
        self, connection: Connection, per_word: list[list[str]], limit: int
    ) -> list[uuid.UUID]:
        if any(not terms for terms in per_word):
            return []
        ids = [[self.vocabulary.ids[term] for term in terms] for terms in per_word]
        ids.sort(key=lambda term_ids: _frequency(connection, term_ids))
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
        rows = connection.execute(query.distinct().limit(limit)).scalars().all()
        return list(rows)

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


def _frequency(connection: Connection, term_ids: list[int]) -> int:
    """How many index rows a word has, counted no further than the probe."""
    probe = (
        select(col(CustomerTerm.customer_id))
        .where(col(CustomerTerm.term_id).in_(term_ids))
        .limit(SELECTIVITY_PROBE)
        .subquery()
    )
    return int(connection.execute(select(func.count()).select_from(probe)).scalar_one())
