"""The tally at scale: 5,000,000 calls over two years for 50 operators (100,000 each),
their shifts and lunches, sales on a twentieth of their calls and a claim for most of
them, a pay plan and a quality form. One operator's tally for a month (what F5 shows:
the month, the month before and the 30 days of the chart) and the team view of all 50
for a month, each beside the raw SQL that sums the same month's calls, in the same run."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.cache import cached
from bench.generate import PASSWORD
from cc_terminal.config import Settings
from cc_terminal.memory import freeze_long_lived, take_the_collector
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.views import Actor, CustomerDraft
from cc_terminal.services.demo.tally import DEMO_PLAN
from cc_terminal.services.tally.periods import month_of
from cc_terminal.services.workstation import open_workstation

OPERATORS = 50
CALLS = 5_000_000
DAYS = 730
SALE_SHARE = 20  # one call in 20 sells
RUNS = 30
BATCH = 50_000


@dataclass(frozen=True)
class TallyTimes:
    calls: int
    month_calls: int
    one: list[float]
    one_raw: list[float]
    team: list[float]
    team_raw: list[float]


def measure(calls: int = CALLS) -> TallyTimes:
    path = _database(calls)
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    try:
        lead = ws.auth.login("lead", PASSWORD)
        operator = ws.auth.login("op00", PASSWORD)
        month = month_of(datetime.now(UTC).date())
        take_the_collector()  # this process measures as the workstation runs
        freeze_long_lived()
        one, team, one_raw, team_raw = [], [], [], []
        for _run in range(RUNS):
            started = time.perf_counter()
            ws.tally.report(operator, month)
            one.append(time.perf_counter() - started)
            started = time.perf_counter()
            ws.tally.team_view(lead, month)
            team.append(time.perf_counter() - started)
            one_raw.append(_raw(path, month.start, operator.operator_id))
            team_raw.append(_raw(path, month.start, None))
        month_calls = _count(path, month.start)
    finally:
        ws.close()
    return TallyTimes(calls, month_calls, one, one_raw, team, team_raw)


def _raw(path: Path, first: date, operator_id: uuid.UUID | None) -> float:
    """The month's calls summed per operator in one plain query: the floor under the service."""
    query = (
        "SELECT operator_id, count(*), sum(talk_seconds), sum(wrap_seconds) FROM call "
        "WHERE started_at >= ? {mine} GROUP BY operator_id"
    )
    with sqlite3.connect(path) as connection:
        started = time.perf_counter()
        if operator_id is None:
            connection.execute(query.format(mine=""), (str(first),)).fetchall()
        else:
            mine = query.format(mine="AND operator_id = ?")
            connection.execute(mine, (str(first), operator_id.hex)).fetchall()
        return time.perf_counter() - started


def _count(path: Path, first: date) -> int:
    with sqlite3.connect(path) as connection:
        found = connection.execute("SELECT count(*) FROM call WHERE started_at >= ?", (str(first),))
        return int(found.fetchone()[0])


def _database(calls: int) -> Path:
    return cached("tally", {"calls": calls, "generator": 4}, lambda path: _build(path, calls))


def _build(path: Path, calls: int) -> None:
    operators, customer, product = _accounts(path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    _calls_and_sales(connection, calls, operators, customer, product)
    _shifts(connection, operators)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("ANALYZE")
    connection.close()


def _accounts(path: Path) -> tuple[list[uuid.UUID], uuid.UUID, uuid.UUID]:
    ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=path.parent))
    try:
        info = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
        lead = Actor(info.id, info.username, info.full_name, info.role)
        plan = ws.pay_plans.save(lead, DEMO_PLAN)
        operators = []
        for number in range(OPERATORS):
            made = ws.auth.create_operator(
                lead,
                f"op{number:02d}",
                f"Operator {number:02d}",
                "operator",
                PASSWORD,
                must_change=False,
            )
            ws.pay_plans.assign(lead, made.id, plan)
            operators.append(made.id)
        ws.catalog.add(
            lead, [ProductItem("MOB-M", "Mobil M", "tariff", 59900, "CZK", date(2024, 1, 1))]
        )
        ws.customers.create_many(
            lead, [CustomerDraft(full_name="Bench Customer", phones="+420601000001")]
        )
        with sqlite3.connect(path) as connection:
            customer = connection.execute("SELECT id FROM customer").fetchone()[0]
            product = connection.execute("SELECT id FROM product").fetchone()[0]
        return operators, uuid.UUID(customer), uuid.UUID(product)
    finally:
        ws.close()


def _calls_and_sales(
    connection: sqlite3.Connection,
    calls: int,
    operators: list[uuid.UUID],
    customer: uuid.UUID,
    product: uuid.UUID,
) -> None:
    rng = random.Random(9)
    now = datetime.now(UTC).replace(tzinfo=None)
    for start in range(0, calls, BATCH):
        rows, sales, claims = [], [], []
        for index in range(start, min(start + BATCH, calls)):
            operator = operators[index % len(operators)].hex
            started = now - timedelta(minutes=rng.randrange(DAYS * 24 * 60))
            talk = rng.randrange(10, 900)
            call_id = uuid.uuid4().hex
            rows.append(
                (
                    call_id,
                    operator,
                    customer.hex,
                    _stamp(started),
                    _stamp(started + timedelta(seconds=talk)),
                    talk,
                )
            )
            if rng.random() < 1 / SALE_SHARE:
                sales.append(
                    (
                        uuid.uuid4().hex,
                        customer.hex,
                        call_id,
                        operator,
                        product.hex,
                        _stamp(started),
                    )
                )
                if rng.random() < 0.9:
                    claims.append(
                        (
                            uuid.uuid4().hex,
                            operator,
                            _stamp(started + timedelta(minutes=1)),
                            call_id,
                        )
                    )
        connection.executemany(
            "INSERT INTO call (id, direction, channel, operator_id, customer_id, phone_e164, "
            "started_at, answered_at, ended_at, reason, outcome, notes, talk_seconds, "
            "wrap_seconds) VALUES (?, 'in', 'voice', ?, ?, '', ?, ?, ?, 'billing', 'resolved', "
            "'', ?, 30)",
            [(r[0], r[1], r[2], r[3], r[3], r[4], r[5]) for r in rows],
        )
        connection.executemany(
            "INSERT INTO offer (id, customer_id, call_id, operator_id, product_id, product_name, "
            "price_minor, currency, accepted, refusal_reason, refusal_note, offered_at) "
            "VALUES (?, ?, ?, ?, ?, 'Mobil M', 59900, 'CZK', 1, '', '', ?)",
            sales,
        )
        connection.executemany(
            "INSERT INTO tally_claim (id, operator_id, at, kind, amount_minor, currency, call_id, "
            "lead_id, note) VALUES (?, ?, ?, 'sale', 59900, 'CZK', ?, NULL, '')",
            claims,
        )
        connection.commit()


def _shifts(connection: sqlite3.Connection, operators: list[uuid.UUID]) -> None:
    """8:00 to 16:30 UTC on weekdays, lunch at noon, for every operator and day."""
    today = datetime.now(UTC).date()
    sessions, pauses = [], []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        start = datetime(day.year, day.month, day.day, 8)
        for operator in operators:
            session_id = uuid.uuid4().hex
            sessions.append(
                (session_id, operator.hex, _stamp(start), _stamp(start + timedelta(hours=8.5)))
            )
            lunch = start + timedelta(hours=4)
            pauses.append(
                (
                    uuid.uuid4().hex,
                    session_id,
                    operator.hex,
                    _stamp(lunch),
                    _stamp(lunch + timedelta(minutes=30)),
                )
            )
    connection.executemany(
        "INSERT INTO work_session (id, operator_id, started_at, ended_at) VALUES (?, ?, ?, ?)",
        sessions,
    )
    connection.executemany(
        "INSERT INTO work_pause (id, session_id, operator_id, reason, started_at, ended_at) "
        "VALUES (?, ?, ?, 'lunch', ?, ?)",
        pauses,
    )
    connection.commit()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
