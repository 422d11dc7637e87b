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

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.folding import words
from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, SearchTerm, customer_column
from cc_terminal.services.calls.term_index import StopCheck, TermIndex, as_uuid
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.store.database import Database

POSTAL_CODE = re.compile(r"\b(\d{3}) (\d{2})\b")  # "110 00" is indexed as 11000
MAX_HITS = 30
PREFIX_TERMS = 400  # a prefix can begin hundreds of words; the shortest win
SHORT_PREFIX_TERMS = 40  # "ce" is not yet a word: its 40 shortest completions will do
FUZZY_TERMS = 40
FUZZY_BELOW = 5  # typo matching runs only when the words as typed find fewer callers
READ_WHOLE = 20_000  # a word with at most this many customers is read whole
MAX_WORDS = 8


class SearchStopped(Exception):
    """A newer search replaced this one; raised by the stop check between steps."""


def never_stop() -> None:
    return None


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
        # rapidfuzz (about 4 MB with its compiled scorers) is loaded by the first misspelt
        # word, not by every terminal that only ever finds callers by their number.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        budget = 1 if len(word) < 7 else 2
        matches = process.extract(
            word,
            self.sorted,
            scorer=OSA.distance,
            score_cutoff=budget,
            limit=FUZZY_TERMS,
        )
        return sorted(match[0] for match in matches)


def _typed_words(text: str) -> list[str]:
    """The words to look for (a postal code as one); refused when none or too many."""
    typed = words(POSTAL_CODE.sub(r"\1\2", text[: limits.SEARCH]))
    if not typed:
        message = _("Type at least two letters of a name, street, town or e-mail.")
        raise ValidationFailed({"search": message})
    if len(typed) > MAX_WORDS:
        message = _("Type at most {n} words: a name and a town are usually enough.")
        raise ValidationFailed({"search": message.format(n=MAX_WORDS)})
    return typed


_HIT = select(
    col(Customer.id),
    col(Customer.full_name),
    customer_column("street"),
    customer_column("house_number"),
    customer_column("city"),
    customer_column("email"),
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
    def __init__(self, db: Database, read_whole: int = READ_WHOLE) -> None:
        self.db = db
        self.vocabulary = _Vocabulary()
        self.read_whole = read_whole

    def search(
        self, text: str, limit: int = MAX_HITS, *, stop: StopCheck = never_stop
    ) -> tuple[SearchHit, ...]:
        """Callers matching every word typed. ``stop`` is called between the steps and may
        raise ``SearchStopped`` when the operator has typed something newer."""
        typed = _typed_words(text)
        with self.db.connect() as connection:
            whole, exact = self._as_typed(connection, typed)
            found = self._matching(connection, whole, limit, stop)
            if len(found) < FUZZY_BELOW and exact != whole:
                known = set(found)
                more = self._matching(connection, exact, limit, stop)
                found += [customer_id for customer_id in more if customer_id not in known]
            exact_ids = set(found)
            if len(found) < FUZZY_BELOW:
                loose = self._loosened(typed, exact)
                if loose != exact:
                    more = self._matching(connection, loose, limit, stop)
                    found += [customer_id for customer_id in more if customer_id not in exact_ids]
            return self._hits(connection, found[:limit], exact_ids)

    def _as_typed(
        self, connection: Connection, typed: list[str]
    ) -> tuple[list[list[str]], list[list[str]]]:
        """Each word's terms as typed, the last one perhaps still being typed (a prefix),
        and each word's terms as a whole word (exact, or a prefix of what it begins)."""
        with self.vocabulary.lock:
            self.vocabulary.refresh(connection)
            last = len(typed) - 1
            whole = [
                self.vocabulary.exact_or_prefix(word, prefix=index == last)
                for index, word in enumerate(typed)
            ]
            exact = [self.vocabulary.exact_or_prefix(word) for word in typed]
        return whole, exact

    def _loosened(self, typed: list[str], exact: list[list[str]]) -> list[list[str]]:
        """Loosen the words nothing was spelt like; if every word matched something (but
        not together), loosen them all."""
        with self.vocabulary.lock:
            loosen_all = all(exact)
            return [
                sorted({*terms, *self.vocabulary.near(word)}) if loosen_all or not terms else terms
                for word, terms in zip(typed, exact, strict=True)
            ]

    def _matching(
        self,
        connection: Connection,
        per_word: list[list[str]],
        limit: int,
        stop: StopCheck,
    ) -> list[uuid.UUID]:
        """The first ``limit`` customers (in key order) having a term of every word.

        Each term knows how many customers have it, so the rarest word is read first, whole;
        a word that is cheap to read whole is read and intersected in memory; a word too
        common for that (an e-mail domain, a big town) only filters the candidates, in key
        order, stopping as soon as enough are found. When every word is that common, the
        customers are walked in key order instead. Key order is the same on SQLite and
        PostgreSQL, so both stores return the same callers."""
        if any(not terms for terms in per_word):
            return []
        index = TermIndex(connection)
        ids = [[self.vocabulary.ids[term] for term in terms] for terms in per_word]
        words = sorted(index.sized(ids), key=lambda word: word.size)
        stop()
        if words[0].size > self.read_whole:
            return [as_uuid(key) for key in index.walk([w.ids for w in words], limit, stop)]
        candidates = set(index.postings(words[0].ids))
        common: list[list[int]] = []
        for word in words[1:]:
            stop()
            if word.size <= max(self.read_whole, len(candidates) * len(word.ids)):
                candidates.intersection_update(index.postings(word.ids))
            else:
                common.append(word.ids)
            if not candidates:
                return []
        ordered = sorted(candidates)
        if common:
            ordered = index.filter_in_order(ordered, common, limit, stop)
        return [as_uuid(key) for key in ordered[:limit]]

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
        hits.sort(key=lambda hit: (not hit.exact, hit.full_name, hit.city, hit.id))
        return tuple(hits)
