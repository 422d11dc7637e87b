"""The lead import at scale (issue 29): a 100,000-row cp1250 CSV (30% of the phones are
customers already) read, checked and stored through the service into a floor of 1,000,000
customers (both sizes times ``--scale``), while another process signs an operator in every
200 ms; beside it a raw ``executemany`` of the same lead rows into an empty table shaped
like ``lead``. On SQLite, and on PostgreSQL (a throwaway server loaded with the same
customers and their search index)."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest.mock import patch

from faker import Faker
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection

from bench import search
from bench.cache import DATA, scaled
from bench.generate import PASSWORD, database, sample_phones
from bench.table import Row
from cc_terminal.config import Settings
from cc_terminal.services.common import phones
from cc_terminal.services.demo.floor import demo_phone
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.lead_import import ImportReport
from cc_terminal.services.outbound.lead_staging import LeadStaging
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store.password_cost import CHEAP_ENV

FRIDAY = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
OPERATORS = 50
OPERATOR_PASSWORD = "bench-operator-1"
CAMPAIGN = "bench-info"
LEADS = 100_000
CUSTOMERS = 1_000_000
QUIET_SECONDS = 3.0


@dataclass(frozen=True)
class LeadImport:
    store: str
    steps: list[float]  # read, check rows, store
    raw_seconds: float
    added: int
    rejected: int
    sign_ins: list[float]  # the sign-ins begun while the import ran
    quiet_sign_ins: list[float]  # those before it began, the machine's own pace
    failed_sign_ins: int
    progress_calls: int
    longest_transaction: float
    shown: float
    parsed_check: float  # the row check with every number through phonenumbers' parser
    alone_check: float  # the row check as it is, just after that one (no sign-ins yet)

    @property
    def seconds(self) -> float:
        return sum(self.steps)

    def budget(self) -> str:
        names = ("read", "check rows", "store")
        steps = ", ".join(f"{n} {s:.1f}" for n, s in zip(names, self.steps, strict=True))
        return (
            f"{steps}; the row check before the import, as it is {self.alone_check:.1f}, "
            f"with every number parsed {self.parsed_check:.1f}"
        )

    def sign_in_summary(self) -> str:
        if not self.sign_ins:
            return "no sign-in ran"
        quiet = statistics.median(self.quiet_sign_ins) * 1000 if self.quiet_sign_ins else 0.0
        return (
            f"{len(self.sign_ins)} sign-ins in another process during it, median "
            f"{statistics.median(self.sign_ins) * 1000:.0f} ms, slowest "
            f"{max(self.sign_ins) * 1000:.0f} ms (before it: median {quiet:.0f} ms, one Argon2 "
            f"run; so waited at most {max(self.sign_ins) * 1000 - quiet:.0f} ms more), "
            f"{self.failed_sign_ins} failed"
        )


def settings(path: Path) -> Settings:
    return Settings(db_url=f"sqlite:///{path}", data_dir=path.parent)


def work_copy(large_db: Path, name: str = "outbound-work.sqlite3") -> Path:
    work = DATA / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(large_db) as source:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(large_db, work)
    return work


def operators(ws: Workstation) -> list[str]:
    lead = ws.auth.login("lead", PASSWORD)
    names = [f"op{number:02d}" for number in range(OPERATORS)]
    for name in names:
        ws.auth.create_operator(
            lead, name, f"Operator {name}", "operator", OPERATOR_PASSWORD,
            "contact_centre", must_change=False,
        )  # fmt: skip
    ws.campaigns.create(lead, CampaignDraft(CAMPAIGN, "Benchmark", "informational"))
    return names


def lead_file(folder: Path, large_db: Path, leads: int) -> Path:
    """``leads`` people in cp1250 with ';': 30% are customers already, the rest new."""
    rng = random.Random(11)
    fake = Faker("cs_CZ")
    fake.seed_instance(11)
    phones = dict.fromkeys(sample_phones(large_db, leads * 3 // 10, seed=11))
    while len(phones) < leads:
        phones.setdefault(demo_phone(rng))
    path = folder / "outbound-leads.csv"
    firsts = [fake.first_name() for _i in range(500)]
    lasts = [fake.last_name() for _i in range(500)]
    towns = [fake.city() for _i in range(300)]
    with path.open("w", encoding="cp1250", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Jméno", "Příjmení", "Telefon", "Město"])
        for phone in phones:
            writer.writerow([rng.choice(firsts), rng.choice(lasts), phone, rng.choice(towns)])
    return path


class Transactions:
    """How long each transaction this thread committed while watched lasted, begin to
    commit; the longest is how long the import kept the floor's other writers waiting."""

    def __init__(self, ws: Workstation) -> None:
        self.engine, self.thread = ws.db.engine, threading.current_thread()
        self.begun: dict[int, float] = {}
        self.seconds: list[float] = []
        event.listen(self.engine, "begin", self._began)
        event.listen(self.engine, "commit", self._ended)

    @property
    def longest(self) -> float:
        return max(self.seconds, default=0.0)

    def _began(self, connection: Connection, *_args: object) -> None:
        self.begun[id(connection)] = time.perf_counter()

    def _ended(self, connection: Connection) -> None:
        start = self.begun.pop(id(connection), None)
        if start is not None and threading.current_thread() is self.thread:
            self.seconds.append(time.perf_counter() - start)

    def stop(self) -> float:
        event.remove(self.engine, "begin", self._began)
        event.remove(self.engine, "commit", self._ended)
        return self.longest


def timed_import(
    ws: Workstation, path: Path, usernames: list[str]
) -> tuple[list[float], ImportReport, int]:
    """The steps of ``import_file``, each timed: read and decode, check every row (phones
    validated), store (customers, their search index, leads, change ops); and how often
    the progress bar was moved."""
    lead = ws.auth.login("lead", PASSWORD)
    moved = [0]
    shown = _time_showing()

    def progress(_done: int, _total: int) -> None:
        moved[0] += 1

    marks = [time.perf_counter()]
    lead_file = ws.leads.read(path)
    marks.append(time.perf_counter())
    lead_file.check_mapping()
    drafts, rejected, _warned = ws.leads.drafts(lead_file)
    marks.append(time.perf_counter())
    report = ws.leads.add_leads(
        lead, CAMPAIGN, "bench", "warm", drafts, assign_to=usernames, progress=progress
    )
    marks.append(time.perf_counter())
    report.rejected += rejected
    LeadStaging.show = shown.original  # type: ignore[method-assign]
    SHOWN[:] = shown.seconds
    return [later - earlier for earlier, later in pairwise(marks)], report, moved[0]


SHOWN: list[float] = []  # how long the showing step of the last import took
PARSED: list[float] = []  # the last row check with the numbers' short way off


def _parsed_check(ws: Workstation, path: Path) -> float:
    """The row check as before issue 29's short way for the common Czech form: every
    number through the parser (the same rows, in the same run, before the sign-ins start:
    compare it with ``check_alone``)."""
    lead_file = ws.leads.read(path)
    lead_file.check_mapping()
    with patch.object(phones, "_czech", lambda _raw: None):
        started = time.perf_counter()
        ws.leads.drafts(lead_file)
        parsed = time.perf_counter() - started
    started = time.perf_counter()
    ws.leads.drafts(lead_file)
    ALONE[:] = [time.perf_counter() - started]
    return parsed


ALONE: list[float] = []  # the row check as it is, just after the parsed one


@dataclass
class _Showing:
    original: Any
    seconds: list[float]


def _time_showing() -> _Showing:
    """``LeadStaging.show`` timed while the bench imports (the one step that opens it all)."""
    timing = _Showing(LeadStaging.show, [])

    def show(staging: LeadStaging) -> None:
        started = time.perf_counter()
        timing.original(staging)
        timing.seconds.append(time.perf_counter() - started)

    LeadStaging.show = show  # type: ignore[method-assign]
    return timing


class SignIns:
    """``bench.sign_in_loop`` in its own process, signing ``op00`` (or ``account``: its
    username and password) in while it runs."""

    def __init__(
        self, url: str, folder: Path, account: tuple[str, str] = ("op00", OPERATOR_PASSWORD)
    ) -> None:
        self.stop = folder / "sign-ins.stop"
        self.stop.unlink(missing_ok=True)
        command = [sys.executable, "-m", "bench.sign_in_loop", url, *account]
        # Argon2 at production cost: bench.chat_floor imports the tests' conftest, which
        # makes it cheap for its process and every process it starts.
        env = {key: value for key, value in os.environ.items() if key != CHEAP_ENV}
        self.process = subprocess.Popen(
            [*command, str(self.stop)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "ready"

    def finish(self, began: float, ended: float) -> tuple[list[float], list[float], int]:
        """The sign-ins begun between ``began`` and ``ended`` (wall clock), those before,
        and how many failed."""
        self.stop.touch()
        out, _err = self.process.communicate(timeout=60)
        found = json.loads(out.strip().splitlines()[-1])
        timed = list(zip(found["began"], found["seconds"], strict=True))
        during = [seconds for at, seconds in timed if began <= at <= ended]
        return during, [seconds for at, seconds in timed if at < began], found["failed"]


def raw_insert(ws: Workstation) -> float:
    """The stored leads again, into an empty table shaped like ``lead``, in one
    transaction, by the driver's own ``executemany`` of plain tuples: what the database
    itself needs for the rows."""
    connection = ws.db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT * FROM lead")
        rows = cursor.fetchall()
        cursor.execute("CREATE TABLE lead_raw AS SELECT * FROM lead WHERE 1 = 0")
        connection.commit()
        if ws.db.engine.dialect.name == "sqlite":
            cursor.execute("BEGIN")  # the engine's connections leave transactions to us
        mark = "?" if ws.db.engine.dialect.name == "sqlite" else "%s"
        started = time.perf_counter()
        cursor.executemany(
            f"INSERT INTO lead_raw VALUES ({', '.join([mark] * len(rows[0]))})", rows
        )
        connection.commit()
        raw = time.perf_counter() - started
        cursor.execute("DROP TABLE lead_raw")
        connection.commit()
    finally:
        connection.close()
    return raw


def run(ws: Workstation, url: str, folder: Path, source_db: Path, leads: int) -> LeadImport:
    usernames = operators(ws)
    path = lead_file(folder, source_db, leads)
    PARSED[:] = [_parsed_check(ws, path)]
    sign_ins = SignIns(url, folder)
    time.sleep(QUIET_SECONDS)  # the sign-ins' own pace on this machine, before the import
    began = ended = time.time()
    transactions = Transactions(ws)
    try:
        steps, report, moved = timed_import(ws, path, usernames)
        ended = time.time()
    finally:
        longest = transactions.stop()
        during, quiet, failed = sign_ins.finish(began, ended)
    raw = raw_insert(ws)
    store = ws.db.engine.dialect.name
    added, rejected = report.added, len(report.rejected)
    shown = sum(SHOWN)
    return LeadImport(
        store, steps, raw, added, rejected, during, quiet, failed, moved, longest, shown,
        PARSED[0], ALONE[0],
    )  # fmt: skip


def measure_sqlite(customers: int | None = None, leads: int | None = None) -> LeadImport:
    source = database(customers or scaled(CUSTOMERS))
    work = work_copy(source, "lead-import-work.sqlite3")
    ws = open_workstation(settings(work), clock=lambda: FRIDAY)
    try:
        return run(ws, f"sqlite:///{work}", work.parent, source, leads or scaled(LEADS))
    finally:
        ws.close()


# What the PostgreSQL floor is loaded with from the SQLite one (bench/search.py's columns).
CUSTOMER_TABLES = ("customer", "customer_phone", "search_term", "customer_term")


def measure_postgresql(customers: int | None = None, leads: int | None = None) -> LeadImport:
    source = database(customers or scaled(CUSTOMERS))
    with postgresql_floor(source, "lead-import-pg") as (ws, url, folder):
        return run(ws, url, folder, source, leads or scaled(LEADS))


@contextmanager
def postgresql_floor(source: Path, name: str) -> Iterator[tuple[Workstation, str, Path]]:
    """A throwaway server loaded with ``source``'s customers and their search index, and
    a workstation on it (its lead made): the workstation, its URL and its folder."""
    with search.server() as server:
        url = server.url("bench")
        engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        engine.dispose()
        folder = DATA / name
        folder.mkdir(parents=True, exist_ok=True)
        ws = open_workstation(Settings(db_url=url, data_dir=folder), clock=lambda: FRIDAY)
        try:
            ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
            search.copy_tables(source, url, CUSTOMER_TABLES)
            yield ws, url, folder
        finally:
            ws.close()


def rows(customers: int) -> list[Row]:
    """The table's rows: the import on SQLite and on PostgreSQL, each beside its raw insert."""
    leads = scaled(LEADS)
    return [
        _row(measure_sqlite(customers, leads), customers, leads),
        _row(measure_postgresql(customers, leads), customers, leads),
    ]


def _row(result: LeadImport, customers: int, leads: int) -> Row:
    return Row(
        f"lead import, {leads:,} rows cp1250 CSV into {customers:,} customers, {result.store}",
        f"{result.seconds:.1f} s = {result.seconds / result.raw_seconds:.1f}x raw "
        f"({result.added:,} added; {result.budget()})",
        f"raw executemany of the same lead rows {result.raw_seconds:.2f} s; "
        f"longest write transaction {result.longest_transaction * 1000:.0f} ms, the step "
        f"that shows the import {result.shown * 1000:.0f} ms (with clearing its notes); "
        f"{result.sign_in_summary()}; progress moved {result.progress_calls} times",
        "<= 10 s and <= 15x raw; sign-in <= 500 ms",
    )
