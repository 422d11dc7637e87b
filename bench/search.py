"""Name and address search through the service on SQLite, the same queries on PostgreSQL
(a throwaway server loaded with the same rows), and beside them a plain LIKE scan, the
query people write first, which finds neither "Dvorakova" nor a typo."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from tests.pgserver import PostgresServer

from bench.table import median_ms, p99_ms
from cc_terminal.config import Settings
from cc_terminal.folding import fold
from cc_terminal.services.calls.search import CustomerSearch
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store.database import Database

# Copied to PostgreSQL for the search: customers, phones, the index and the calls (for
# each hit's last contact). Accounts come along for the calls' foreign key.
TABLES = {
    "operator": "id, username, full_name, role, department, password_hash, active, "
    "failed_logins, created_at",
    "customer": "id, full_name, street, house_number, city, postal_code, email, notes, "
    "do_not_call, version, created_at, updated_at",
    "customer_phone": "id, customer_id, e164, position",
    "search_term": "id, term, customers",
    "customer_term": "customer_id, term_id",
    "call": "id, direction, channel, operator_id, customer_id, phone_e164, started_at, "
    "answered_at, ended_at, reason, outcome, notes, talk_seconds, wrap_seconds",
}


def queries(path: Path, count: int = 300, seed: int = 5) -> list[str]:
    """What operators type: a surname without diacritics, first and last name, surname and
    town, street and number, an e-mail fragment, and a surname with two letters swapped."""
    connection = sqlite3.connect(path)
    total = connection.execute("SELECT count(*) FROM customer").fetchone()[0]
    rng = random.Random(seed)
    typed = []
    for index in range(count):
        row = connection.execute(
            "SELECT full_name, street, house_number, city, email FROM customer LIMIT 1 OFFSET ?",
            (rng.randrange(total),),
        ).fetchone()
        name, street, number, city, email = row
        first, last = name.split(" ", 1)
        kind = index % 6
        if kind == 0:
            typed.append(fold(last))
        elif kind == 1:
            typed.append(f"{first} {fold(last)}")
        elif kind == 2:
            typed.append(f"{last} {city}")
        elif kind == 3:
            typed.append(f"{street} {number}")
        elif kind == 4 and email:
            typed.append(email.split("@")[0][:10])
        else:
            folded = fold(last)
            at = rng.randrange(1, max(2, len(folded) - 1))
            typed.append(folded[: at - 1] + folded[at] + folded[at - 1] + folded[at + 1 :])
    connection.close()
    return typed


def _timed(function: Callable[[str], object], typed: list[str]) -> list[float]:
    samples = []
    for text_ in typed:
        started = time.perf_counter()
        function(text_)
        samples.append(time.perf_counter() - started)
    return samples


BAD_INPUT = ["a", "%_'\\", " ".join(f"word{n}" for n in range(30)), "x" * 10_000, "novak " * 2000]


def _refused(search: Callable[[str], object]) -> Callable[[str], object]:
    def attempt(text_: str) -> object:
        try:
            return search(text_)
        except ValidationFailed as failed:
            return failed.errors

    return attempt


def measure_sqlite(path: Path, typed: list[str]) -> dict[str, tuple[float, float]]:
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    raw = sqlite3.connect(path)
    try:
        ws.search.search("warm up the vocabulary")
        service = _timed(ws.search.search, typed)
        bad = _timed(_refused(ws.search.search), BAD_INPUT * 4)
        surnames = typed[::6][:20]
        like = _timed(
            lambda t: raw.execute(
                "SELECT id FROM customer WHERE full_name LIKE ? LIMIT 30", (f"%{t}%",)
            ).fetchall(),
            surnames,
        )
    finally:
        raw.close()
        ws.close()
    return {
        "service": (median_ms(service), p99_ms(service)),
        "like": (median_ms(like), p99_ms(like)),
        "bad": (median_ms(bad), max(bad) * 1000),
    }


def measure_postgresql(path: Path, typed: list[str]) -> tuple[float, float, float]:
    """Median and p99 of the same searches on PostgreSQL, and the load time in seconds."""
    with server() as running:
        url = running.url("bench")
        engine = create_engine(running.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        engine.dispose()
        loaded = _load(path, url)
        db = Database(url)
        try:
            search = CustomerSearch(db)
            search.search("warm up the vocabulary")
            samples = _timed(search.search, typed)
        finally:
            db.dispose()
    return median_ms(samples), p99_ms(samples), loaded


@contextmanager
def server() -> Iterator[PostgresServer]:
    running = PostgresServer.start()
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def floor_on_server(folder: Path) -> Iterator[Workstation]:
    """A workstation on an empty database ``bench`` of a throwaway server (migrated)."""
    with server() as running:
        engine = create_engine(running.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        engine.dispose()
        folder.mkdir(parents=True, exist_ok=True)
        ws = open_workstation(Settings(db_url=running.url("bench"), data_dir=folder))
        try:
            yield ws
        finally:
            ws.close()


def _load(path: Path, url: str) -> float:
    started = time.perf_counter()
    ws = open_workstation(Settings(db_url=url, data_dir=path.parent))  # migrates
    ws.close()
    copy_tables(path, url, tuple(TABLES))
    return time.perf_counter() - started


def copy_tables(path: Path, url: str, tables: tuple[str, ...]) -> None:
    """These tables' rows from the SQLite file into the migrated PostgreSQL one, by COPY."""
    source = sqlite3.connect(path)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as target:
        target.execute("SET TIME ZONE 'UTC'")
        for table in tables:
            columns = TABLES[table]
            rows = source.execute(f"SELECT {columns} FROM {table}")
            with target.cursor().copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        target.execute("SELECT setval('search_term_id_seq', (SELECT max(id) FROM search_term))")
        target.execute("ANALYZE")
    source.close()
