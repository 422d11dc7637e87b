"""Build a benchmark database: a migrated schema, a lead and an operator made through the
services, then customers, phones, their search index and calls loaded in bulk with raw SQL
(the services' one-row path would take hours at a million rows; the outbox is not filled
for bulk loads). One customer, on ``HEAVY_PHONE``, has a full ledger of 500 entries."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faker import Faker

from bench.cache import cached
from cc_terminal.config import Settings
from cc_terminal.models import ListKind
from cc_terminal.services.common.reference import default_lists
from cc_terminal.services.common.views import Actor
from cc_terminal.services.demo.floor import demo_phone
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.search_index import customer_terms

OPERATOR, PASSWORD = "bench", "bench-pass-1"
BATCH = 50_000
HEAVY_PHONE = "+420799000500"
LEDGER = {"call": 200, "offer": 100, "request": 100, "escalation": 100}  # 500 entries
GENERATOR = 4  # bump when what is generated changes (the schema is in the cache key)


def database(customers: int, calls: int = 0) -> Path:
    """The path of a database with ``customers`` customers and ``calls`` calls, built once
    and cached by those sizes and the schema's migration head (bench/cache.py)."""
    params = {"customers": customers, "calls": calls, "generator": GENERATOR}
    return cached("customers", params, lambda path: _build(path, customers, calls))


def _build(path: Path, customers: int, calls: int) -> None:
    operator_id = _accounts(path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    _bulk_load(connection, customers, operator_id)
    _index_terms(connection)
    _calls(connection, calls, operator_id)
    _heavy_ledger(connection, operator_id)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("ANALYZE")
    connection.close()


def _accounts(path: Path) -> uuid.UUID:
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    lead_info = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
    lead = Actor(lead_info.id, lead_info.username, lead_info.full_name, lead_info.role)
    operator = ws.auth.create_operator(
        lead, OPERATOR, "Bench Operator", "operator", PASSWORD, must_change=False
    )
    ws.close()
    return operator.id


def _bulk_load(connection: sqlite3.Connection, customers: int, operator_id: uuid.UUID) -> None:
    rng = random.Random(42)
    pools = _pools()
    used: set[str] = {HEAVY_PHONE}
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    for start in range(0, customers, BATCH):
        rows, phones = [], []
        for _index in range(start, min(start + BATCH, customers)):
            customer_id = uuid.uuid4().hex
            rows.append(_customer(rng, pools, customer_id, now))
            phones.append((uuid.uuid4().hex, customer_id, _unique_phone(rng, used), 0))
        connection.executemany(
            "INSERT INTO customer (id, full_name, street, house_number, city, postal_code, "
            "email, notes, do_not_call, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, 1, ?, ?)",
            rows,
        )
        connection.executemany(
            "INSERT INTO customer_phone (id, customer_id, e164, position) VALUES (?, ?, ?, ?)",
            phones,
        )
        connection.commit()
    heavy = _customer(rng, pools, uuid.uuid4().hex, now)
    connection.execute(
        "INSERT INTO customer (id, full_name, street, house_number, city, postal_code, "
        "email, notes, do_not_call, version, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, 1, ?, ?)",
        heavy,
    )
    connection.execute(
        "INSERT INTO customer_phone (id, customer_id, e164, position) VALUES (?, ?, ?, 0)",
        (uuid.uuid4().hex, heavy[0], HEAVY_PHONE),
    )
    connection.commit()


def _index_terms(connection: sqlite3.Connection) -> None:
    """The search index, built with the same term rules the services use."""
    vocabulary: dict[str, int] = {}
    rows = connection.execute(
        "SELECT id, full_name, street, house_number, city, postal_code, email FROM customer"
    )
    names = ("full_name", "street", "house_number", "city", "postal_code", "email")
    pairs: list[tuple[str, int]] = []
    customers: Counter[int] = Counter()
    for row in rows:
        for term in customer_terms(dict(zip(names, row[1:], strict=True))):
            term_id = vocabulary.setdefault(term, len(vocabulary) + 1)
            pairs.append((row[0], term_id))
            customers[term_id] += 1
    connection.executemany(
        "INSERT INTO search_term (id, term, customers) VALUES (?, ?, ?)",
        ((term_id, term, customers[term_id]) for term, term_id in vocabulary.items()),
    )
    pairs.sort()
    for start in range(0, len(pairs), BATCH * 4):
        connection.executemany(
            "INSERT INTO customer_term (customer_id, term_id) VALUES (?, ?)",
            pairs[start : start + BATCH * 4],
        )
    connection.commit()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _calls(connection: sqlite3.Connection, calls: int, operator_id: uuid.UUID) -> None:
    """Calls spread over two years and over random customers."""
    rng = random.Random(43)
    ids = [row[0] for row in connection.execute("SELECT id FROM customer")]
    if not ids:
        return
    defaults = default_lists()
    reasons = [c.code for c in defaults[ListKind.CALL_REASON]]
    outcomes = [c.code for c in defaults[ListKind.CALL_OUTCOME]]
    now = datetime.now(UTC).replace(tzinfo=None)
    for start in range(0, calls, BATCH):
        rows = []
        for _index in range(start, min(start + BATCH, calls)):
            started = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            talk = rng.randrange(30, 900)
            rows.append(
                (
                    uuid.uuid4().hex,
                    operator_id.hex,
                    rng.choice(ids),
                    _stamp(started),
                    _stamp(started + timedelta(seconds=talk)),
                    rng.choice(reasons),
                    rng.choice(outcomes),
                    talk,
                )
            )
        connection.executemany(
            "INSERT INTO call (id, direction, channel, operator_id, customer_id, phone_e164, "
            "started_at, answered_at, ended_at, reason, outcome, notes, talk_seconds, "
            "wrap_seconds) VALUES (?, 'in', 'voice', ?, ?, '', ?, ?, ?, ?, ?, '', ?, 30)",
            [(r[0], r[1], r[2], r[3], r[3], r[4], r[5], r[6], r[7]) for r in rows],
        )
        connection.commit()


def _heavy_ledger(connection: sqlite3.Connection, operator_id: uuid.UUID) -> None:
    """500 ledger entries for the customer on HEAVY_PHONE: calls, offers, requests (each with
    one step after it opened), escalations."""
    rng = random.Random(44)
    customer_id = connection.execute(
        "SELECT customer_id FROM customer_phone WHERE e164 = ?", (HEAVY_PHONE,)
    ).fetchone()[0]
    product_id = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO product (id, code, name, kind, price_minor, currency, valid_from, "
        "description) VALUES (?, 'MOB-M', 'Mobil M', 'tariff', 59900, 'CZK', '2020-01-01', '')",
        (product_id,),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    operator = operator_id.hex

    def moment() -> str:
        return _stamp(now - timedelta(minutes=rng.randrange(365 * 24 * 60)))

    for _index in range(LEDGER["call"]):
        at = moment()
        connection.execute(
            "INSERT INTO call (id, direction, channel, operator_id, customer_id, phone_e164, "
            "started_at, answered_at, ended_at, reason, outcome, notes, talk_seconds, "
            "wrap_seconds) VALUES (?, 'in', 'voice', ?, ?, ?, ?, ?, ?, 'billing', 'advised', "
            "'Asked about the invoice', 120, 30)",
            (uuid.uuid4().hex, operator, customer_id, HEAVY_PHONE, at, at, at),
        )
    for _index in range(LEDGER["offer"]):
        connection.execute(
            "INSERT INTO offer (id, customer_id, call_id, operator_id, product_id, product_name, "
            "price_minor, currency, accepted, refusal_reason, refusal_note, offered_at) "
            "VALUES (?, ?, NULL, ?, ?, 'Mobil M', 59900, 'CZK', 0, 'too_expensive', '', ?)",
            (uuid.uuid4().hex, customer_id, operator, product_id, moment()),
        )
    for _index in range(LEDGER["request"] // 2):
        request_id, at = uuid.uuid4().hex, moment()
        connection.execute(
            "INSERT INTO service_request (id, customer_id, call_id, category, department, "
            "summary, status, due_at, created_by, created_at, updated_at, version) VALUES "
            "(?, ?, NULL, 'billing', 'billing', 'Check the invoice', 'resolved', ?, ?, ?, ?, 2)",
            (request_id, customer_id, at, operator, at, at),
        )
        for from_status, to_status in (("", "open"), ("open", "resolved")):
            connection.execute(
                "INSERT INTO request_event (id, request_id, from_status, to_status, "
                "department, note, actor_id, at) VALUES (?, ?, ?, ?, 'billing', '', ?, ?)",
                (uuid.uuid4().hex, request_id, from_status, to_status, operator, at),
            )
    for _index in range(LEDGER["escalation"]):
        at = moment()
        connection.execute(
            "INSERT INTO escalation (id, call_id, customer_id, operator_id, reason, notes, "
            "call_started_at, elapsed_seconds, raised_at, status, taken_by, taken_at) VALUES "
            "(?, ?, ?, ?, 'complaint', 'Wants a manager', ?, 200, ?, 'taken', ?, ?)",
            (uuid.uuid4().hex, uuid.uuid4().hex, customer_id, operator, at, at, operator, at),
        )
    connection.commit()


def _pools() -> dict[str, list[str]]:
    fake = Faker("cs_CZ")
    fake.seed_instance(42)
    return {
        "male": [fake.first_name_male() for _i in range(300)],
        "female": [fake.first_name_female() for _i in range(300)],
        "male_last": [fake.last_name_male() for _i in range(1500)],
        "female_last": [fake.last_name_female() for _i in range(1500)],
        "street": [fake.street_name() for _i in range(2000)],
        "city": [fake.city() for _i in range(800)],
        "postcode": [fake.postcode() for _i in range(800)],
    }


def _customer(rng: random.Random, pools: dict[str, list[str]], customer_id: str, now: str) -> tuple:
    gender = rng.choice(("male", "female"))
    first, last = rng.choice(pools[gender]), rng.choice(pools[f"{gender}_last"])
    email = f"{first}.{last}{rng.randrange(100)}@example.cz".lower() if rng.random() < 0.5 else ""
    return (
        customer_id,
        f"{first} {last}",
        rng.choice(pools["street"]),
        str(rng.randrange(1, 200)),
        rng.choice(pools["city"]),
        rng.choice(pools["postcode"]),
        email,
        now,
        now,
    )


def _unique_phone(rng: random.Random, used: set[str]) -> str:
    phone = demo_phone(rng)
    while phone in used:
        phone = demo_phone(rng)
    used.add(phone)
    return phone


def sample_phones(path: Path, count: int, seed: int = 1) -> list[str]:
    connection = sqlite3.connect(path)
    total = connection.execute("SELECT max(rowid) FROM customer_phone").fetchone()[0]
    rng = random.Random(seed)
    rowids = [rng.randrange(1, total + 1) for _i in range(count)]
    found = [
        connection.execute("SELECT e164 FROM customer_phone WHERE rowid = ?", (r,)).fetchone()
        for r in rowids
    ]
    connection.close()
    return [row[0] for row in found if row]
