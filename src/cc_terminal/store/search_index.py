"""The customer search index: each customer's words, folded so that "Dvorakova" finds
"Dvořáková", kept as (customer, term) pairs beside a small vocabulary of distinct terms.

Plain tables and plain SQL, so the same index works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal.customer_fields import CUSTOMER_FIELDS, Searched
from cc_terminal.folding import words
from cc_terminal.models import Customer, CustomerTerm, SearchTerm, customer_column
from cc_terminal.store.bulk import write_tuples

_BATCH = 5000


# The declared fields a customer is found by (customer_fields.py: name, street, house
# number, city, postal code without its space, the parts of the e-mail address).
SEARCHED = tuple(field for field in CUSTOMER_FIELDS if field.searched is not Searched.NO)
SEARCHED_NAMES = tuple(field.name for field in SEARCHED)


def customer_terms(fields: Mapping[str, Any]) -> set[str]:
    """Every term a customer can be found by, from the values of their searched fields."""
    terms: set[str] = set()
    for field in SEARCHED:
        value = str(fields.get(field.name) or "")
        if field.searched is Searched.JOINED:
            value = value.replace(" ", "")
        for token in value.split():
            terms.update(_token_words(token))
    return terms


@lru_cache(maxsize=65_536)
def _token_words(token: str) -> tuple[str, ...]:
    """``words`` of one space-free token, remembered: a text's words are its tokens' (no
    word runs across a space), and a bulk import's names and towns repeat."""
    return tuple(words(token))


def index_customers(
    connection: Connection, customers: Iterable[tuple[uuid.UUID, set[str]]]
) -> None:
    """Replace the index rows of these customers (in the caller's transaction)."""
    batch: list[tuple[uuid.UUID, set[str]]] = []
    for item in customers:
        batch.append(item)
        if len(batch) >= _BATCH:
            _index_batch(connection, batch)
            batch = []
    if batch:
        _index_batch(connection, batch)


def index_new_customers(
    connection: Connection, customers: list[tuple[uuid.UUID, set[str]]]
) -> None:
    """The index rows of customers just inserted (they have none yet), as one batch: every
    term's id found or added at once, the pairs written in one statement (``COPY`` on
    PostgreSQL), each term's count raised by one statement. The same rows and counts as
    ``index_customers`` (tests/store/test_bulk_index.py compares them)."""
    if not customers:
        return
    ids = _term_ids(connection, set().union(*(terms for _, terms in customers)))
    if connection.dialect.name == "sqlite":
        # the Uuid type's form on SQLite (made once a customer), in key order (the B-tree
        # is appended to in order): the customers sorted, then each one's few terms, the
        # same order as sorting every pair, without comparing them all
        keyed = sorted(((id_.hex, terms) for id_, terms in customers), key=itemgetter(0))
        pairs: list[tuple[Any, int]] = [
            (key, term_id) for key, terms in keyed for term_id in sorted([ids[t] for t in terms])
        ]
    else:
        pairs = [(customer_id, ids[term]) for customer_id, terms in customers for term in terms]
    write_tuples(connection, "customer_term", PAIR_COLUMNS, pairs)
    _recount(connection, Counter(term_id for _, term_id in pairs))


def index_customer(
    connection: Connection, customer_id: uuid.UUID, fields: Mapping[str, Any]
) -> None:
    index_customers(connection, [(customer_id, customer_terms(fields))])


def reindex_all(connection: Connection) -> int:
    """Build the index for every stored customer (after a migration or a bulk load)."""
    columns = [col(Customer.id), *(customer_column(name) for name in SEARCHED_NAMES)]
    rows = connection.execute(select(*columns)).all()
    index_customers(
        connection,
        ((row[0], customer_terms(dict(zip(SEARCHED_NAMES, row[1:], strict=True)))) for row in rows),
    )
    return len(rows)


def _index_batch(connection: Connection, batch: list[tuple[uuid.UUID, set[str]]]) -> None:
    ids = _term_ids(connection, set().union(*(terms for _, terms in batch)))
    customer_ids = [customer_id for customer_id, _ in batch]
    removed = connection.execute(
        delete(CustomerTerm)
        .where(col(CustomerTerm.customer_id).in_(customer_ids))
        .returning(col(CustomerTerm.term_id))
    ).scalars()
    pairs = [
        {"customer_id": customer_id, "term_id": ids[term]}
        for customer_id, terms in batch
        for term in terms
    ]
    if pairs:
        _insert_pairs(connection, pairs)
    counts: Counter[int] = Counter(ids[term] for _, terms in batch for term in terms)
    counts.subtract(removed)
    _recount(connection, counts)


def _insert_pairs(connection: Connection, pairs: list[dict[str, Any]]) -> None:
    if connection.dialect.name != "sqlite":
        connection.execute(insert(CustomerTerm), pairs)
        return
    # A bulk load writes millions of pairs: straight to the driver, keys in the form the
    # Uuid type stores on SQLite (32 hex digits), without SQLAlchemy's per-row work.
    connection.exec_driver_sql(
        "INSERT INTO customer_term (customer_id, term_id) VALUES (?, ?)",
        # in key order: the pairs are the table's B-tree, and appending in order splits fewer pages
        sorted((pair["customer_id"].hex, pair["term_id"]) for pair in pairs),
    )


PAIR_COLUMNS = ("customer_id", "term_id")
_RECOUNT_MANY = text(
    "UPDATE search_term SET customers = customers + change.n FROM "
    "(SELECT unnest(CAST(:terms AS integer[])) AS id, unnest(CAST(:ns AS integer[])) AS n) "
    "AS change WHERE search_term.id = change.id"
)


def _recount(connection: Connection, changes: Counter[int]) -> None:
    """Keep each term's customer count; in id order, so two terminals never deadlock. On
    PostgreSQL one statement for them all; SQLite runs the update for each in-process."""
    changed = [(term, n) for term, n in sorted(changes.items()) if n]
    if not changed:
        return
    if connection.dialect.name == "postgresql":
        terms, ns = [term for term, _ in changed], [n for _, n in changed]
        connection.execute(_RECOUNT_MANY, {"terms": terms, "ns": ns})
        return
    connection.exec_driver_sql(
        "UPDATE search_term SET customers = customers + ? WHERE id = ?",
        [(n, term) for term, n in changed],
    )


def _term_ids(connection: Connection, terms: set[str]) -> dict[str, int]:
    """Ids of these terms, adding the new ones; safe when two terminals add one at once."""
    if not terms:
        return {}
    wanted = sorted(terms)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        found.update(_select_ids(connection, chunk))
    missing = [term for term in wanted if term not in found]
    if missing:
        dialect_insert = _dialect_insert(connection.dialect.name)
        statement = dialect_insert(SearchTerm).on_conflict_do_nothing(index_elements=["term"])
        connection.execute(statement, [{"term": term} for term in missing])
        for start in range(0, len(missing), 900):
            found.update(_select_ids(connection, missing[start : start + 900]))
    return found


def _dialect_insert(dialect: str) -> Any:
    # Imported here: a terminal on SQLite never loads PostgreSQL's dialect (2 MB resident).
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _select_ids(connection: Connection, terms: list[str]) -> dict[str, int]:
    query = select(col(SearchTerm.term), col(SearchTerm.id)).where(col(SearchTerm.term).in_(terms))
    return {term: term_id for term, term_id in connection.execute(query) if term_id is not None}
