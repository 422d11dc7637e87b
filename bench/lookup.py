"""Phone lookup through the service, beside the same indexed query in raw SQL and in
SQLAlchemy Core, on the same database in the same run."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from bench.generate import sample_phones
from bench.table import median_ms, p99_ms
from cc_terminal.config import Settings
from cc_terminal.models import CustomerPhone
from cc_terminal.services.workstation import open_workstation


def _timed(function: Callable[[str], object], phones: list[str]) -> list[float]:
    samples = []
    for phone in phones:
        started = time.perf_counter()
        function(phone)
        samples.append(time.perf_counter() - started)
    return samples


def measure(path: Path, lookups: int = 2000) -> dict[str, tuple[float, float]]:
    phones = sample_phones(path, lookups)
    national = [p.removeprefix("+420") for p in phones]
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    raw = sqlite3.connect(path)
    query = "SELECT customer_id FROM customer_phone WHERE e164 = ?"
    results = {}
    try:
        # First touch of each customer: pages may still be on disk, not in memory.
        results["service_first"] = _timed(lambda p: ws.customers.lookup_phone(p), national)
        results["service"] = _timed(lambda p: ws.customers.lookup_phone(p), national)
        results["raw"] = _timed(lambda p: raw.execute(query, (p,)).fetchall(), phones)
        with ws.db.engine.connect() as connection:

            def core(phone: str) -> object:
                statement = select(CustomerPhone.customer_id).where(CustomerPhone.e164 == phone)
                return connection.execute(statement).all()

            results["core"] = _timed(core, phones)
    finally:
        raw.close()
        ws.close()
    return {name: (median_ms(s), p99_ms(s)) for name, s in results.items()}
