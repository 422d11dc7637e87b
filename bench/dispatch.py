"""Free visit slots at the scale of a big dispatch: 200 field teams all serving one city,
four slots a working day, 40 % of the next 30 days already booked. The service's search for
the free slots (the whole 30 days, and the first 60 the slot picker shows) beside the raw SQL
that reads the booked slots alone, in the same run."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.cache import DATA
from bench.generate import PASSWORD, database
from cc_terminal.config import Settings
from cc_terminal.memory import freeze_long_lived, take_the_collector
from cc_terminal.services.orders.dispatch import TeamDraft
from cc_terminal.services.workstation import open_workstation

SAMPLES = Path(__file__).parent.parent / "data" / "samples"
PRAHA = 554782
ADDRESS = 12345678  # U Elektrárny 9/10a
BASES = (12345678, 12345679, 12345680, 12345681, 12345690, 12345691)
TEAMS = 200
BOOKED_SHARE = 0.4
RUNS = 60


@dataclass(frozen=True)
class Slots:
    teams: int
    booked: int
    free: int
    whole: list[float]
    first_page: list[float]
    raw: list[float]


def measure() -> Slots:
    work = DATA / "dispatch-work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    work.write_bytes(database(2_000).read_bytes())  # a migrated floor with its accounts
    ws = open_workstation(Settings(db_url=f"sqlite:///{work}", data_dir=work.parent))
    try:
        lead = ws.auth.login("lead", PASSWORD)
        ws.register.import_files(lead, sorted(SAMPLES.glob("*_OB_*_ADR.csv")))
        for number in range(TEAMS):
            ws.dispatch.save_team(
                lead,
                TeamDraft(
                    f"team-{number:03d}", f"Team {number}", (PRAHA,), (), BASES[number % len(BASES)]
                ),
            )
        booked = _book(work, lead.operator_id)
        take_the_collector()  # this process measures as the workstation runs
        freeze_long_lived()  # as the workstation does after sign-in
        whole, first_page, raw = [], [], []
        free = 0
        for _run in range(RUNS):
            started = time.perf_counter()
            free = len(ws.dispatch.free_slots(ADDRESS, days=30))
            whole.append(time.perf_counter() - started)
            started = time.perf_counter()
            ws.dispatch.free_slots(ADDRESS, days=30, limit=60)
            first_page.append(time.perf_counter() - started)
            raw.append(_raw_booked(work))
    finally:
        ws.close()
    return Slots(TEAMS, booked, free, whole, first_page, raw)


def _book(work: Path, operator_id: uuid.UUID) -> int:
    """Book 40 % of every team's slots of the next 30 days, straight into the table."""
    rng = random.Random(5)
    with sqlite3.connect(work) as connection:
        customer = connection.execute("SELECT id FROM customer LIMIT 1").fetchone()[0]
        teams = [row[0] for row in connection.execute("SELECT id FROM field_team")]
        today = datetime.now(UTC).date()
        rows = []
        for team in teams:
            for offset in range(31):
                day = today + timedelta(days=offset)
                if day.isoweekday() > 5:
                    continue
                for slot in ("08:00-10:00", "10:00-12:00", "13:00-15:00", "15:00-17:00"):
                    if rng.random() < BOOKED_SHARE:
                        rows.append(
                            (uuid.uuid4().hex, team, day.isoformat(), slot, customer, ADDRESS,
                             "booked", operator_id.hex, datetime.now(UTC).isoformat(" "), "")
                        )  # fmt: skip
        connection.executemany(
            "INSERT INTO visit_booking (id, team_id, day, slot, customer_id, address_code, "
            "status, booked_by, booked_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def _raw_booked(work: Path) -> float:
    """The database's share: the booked slots of every team in the window, read raw."""
    today = datetime.now(UTC).date()
    with sqlite3.connect(work) as connection:
        started = time.perf_counter()
        connection.execute(
            "SELECT team_id, day, slot FROM visit_booking WHERE day >= ? AND day <= ? "
            "AND status = 'booked'",
            (today.isoformat(), (today + timedelta(days=30)).isoformat()),
        ).fetchall()
        return time.perf_counter() - started
