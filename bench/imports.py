"""A big catalogue import beside sign-ins: 60,000 items imported by a team lead while
another thread signs an operator in every 200 ms, as a terminal on the same floor would.
Reported: the import's time, the longest time it held the write lock (its longest
transaction), the slowest sign-in and how many failed; beside it, a raw Core insert of the
same rows in one transaction."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import event, insert
from sqlalchemy.engine import Connection

from bench.table import Row
from cc_terminal.config import Settings
from cc_terminal.models import Product
from cc_terminal.services.workstation import open_workstation

ITEMS = 60_000
PASSWORD = "bench-pass-123"
SIGN_IN_EVERY = 0.2


@dataclass(frozen=True)
class ImportTimes:
    import_seconds: float
    longest_transaction: float
    sign_ins: list[float]
    failed_sign_ins: int
    raw_seconds: float


def _catalogue(path: Path) -> None:
    lines = [f"B-{n:06d},Item {n},product,{n % 9000 + 1}.90,2026-01-01" for n in range(ITEMS)]
    path.write_text("code,name,kind,price,valid_from\n" + "\n".join(lines) + "\n")


def measure() -> ImportTimes:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ws = open_workstation(Settings(db_url=f"sqlite:///{root / 'cc.sqlite3'}", data_dir=root))
        info = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
        ws.auth.create_operator(
            ws.auth.login("lead", PASSWORD),
            "op",
            "Operator",
            "operator",
            PASSWORD,
            must_change=False,
        )
        lead = ws.auth.login(info.username, PASSWORD)
        csv = root / "catalogue.csv"
        _catalogue(csv)
        begun: dict[int, float] = {}
        spans: list[float] = []

        def began(connection: Connection, *_args: object) -> None:
            begun[id(connection)] = time.perf_counter()

        def ended(connection: Connection) -> None:
            start = begun.pop(id(connection), None)
            if start is not None and threading.current_thread() is importer:
                spans.append(time.perf_counter() - start)

        event.listen(ws.db.engine, "begin", began)
        event.listen(ws.db.engine, "commit", ended)
        sign_ins: list[float] = []
        failed = 0
        done = threading.Event()

        def run_import() -> None:
            ws.catalog.import_csv(lead, csv)
            done.set()

        importer = threading.Thread(target=run_import)
        started = time.perf_counter()
        importer.start()
        while not done.is_set():
            before = time.perf_counter()
            try:
                ws.auth.login("op", PASSWORD)
            except Exception:
                failed += 1
            sign_ins.append(time.perf_counter() - before)
            time.sleep(SIGN_IN_EVERY)
        importer.join()
        import_seconds = time.perf_counter() - started
        rows = [
            {
                "id": uuid.uuid4(),
                "code": f"R-{n:06d}",
                "name": f"Item {n}",
                "kind": "product",
                "price_minor": n % 9000 * 100 + 190,
                "currency": "CZK",
                "valid_from": date(2026, 1, 1),
            }
            for n in range(ITEMS)
        ]
        raw_started = time.perf_counter()
        with ws.db.engine.begin() as connection:
            connection.execute(insert(Product), rows)
        raw_seconds = time.perf_counter() - raw_started
        ws.close()
    return ImportTimes(import_seconds, max(spans, default=0.0), sign_ins, failed, raw_seconds)


def summary(times: ImportTimes) -> str:
    slowest = max(times.sign_ins, default=0.0)
    return (
        f"{len(times.sign_ins)} sign-ins, median {statistics.median(times.sign_ins) * 1000:.0f} "
        f"ms, slowest {slowest * 1000:.0f} ms, {times.failed_sign_ins} failed"
    )


def rows() -> list[Row]:
    times = measure()
    return [
        Row(
            f"catalogue import of {ITEMS:,} items while an operator signs in every "
            f"{SIGN_IN_EVERY * 1000:.0f} ms",
            f"{times.import_seconds:.1f} s; write lock held at most "
            f"{times.longest_transaction * 1000:.0f} ms; {summary(times)}",
            f"raw Core insert of the same rows in one transaction {times.raw_seconds:.1f} s",
            "no sign-in fails",
        )
    ]
