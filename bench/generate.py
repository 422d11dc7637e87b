"""Build a benchmark database: a migrated schema, a lead and an operator made through the
services, then customers and phones loaded in bulk with raw SQL (the services' one-row
path would take hours at a million rows; the outbox is not filled for bulk loads)."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from faker import Faker

from cc_terminal.config import Settings
from cc_terminal.services.demo import demo_phone
from cc_terminal.services.views import Actor
from cc_terminal.services.workstation import open_workstation

DATA = Path(__file__).parent / "data"
OPERATOR, PASSWORD = "bench", "bench-pass-1"
BATCH = 50_000


def database(customers: int, calls_per_customer: float = 0.0) -> Path:
    """The path of a database with ``customers`` customers, built once and cached."""
    path = DATA / f"customers-{customers}.sqlite3"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    operator_id = _accounts(partial)
    _bulk_load(partial, customers, operator_id)
    partial.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def _accounts(path: Path) -> uuid.UUID:
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    lead_info = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
    lead = Actor(lead_info.id, lead_info.username, lead_info.full_name, lead_info.role)
    operator = ws.auth.create_operator(lead, OPERATOR, "Bench Operator", "operator", PASSWORD)
    ws.close()
    return operator.id


def _bulk_load(path: Path, customers: int, operator_id: uuid.UUID) -> None:
    rng = random.Random(42)
    pools = _pools()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    used: set[str] = set()
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
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("ANALYZE")
    connection.close()


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
