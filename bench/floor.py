"""The floor board (issue 28) at 100 operators: a day's 6,000 phone calls, every operator
signed in, a tenth paused, a tenth on a chat; then phone events arriving (a ring, its
answer, its hang-up, for one operator after another) and after each one refresh of the
board as F7 does it: the service's one read set (services/phone/floor_board.py) and the
rows the screen draws from it, sorted. Beside it in the same run, the floor under the
service: two plain SQL reads of today's phone calls and the open work sessions."""

from __future__ import annotations

import sqlite3
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.generate import PASSWORD
from cc_terminal.config import Settings
from cc_terminal.models import Operator, WorkPause, WorkSession
from cc_terminal.models.phone import PhoneCall
from cc_terminal.screens.calls.floor_pane import SORTS, state_words
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.floor_views import FloorView
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.widgets.today_strip import clock_duration

OPERATORS = 100
CALLS_TODAY = 6_000
RUNS = 150
KINDS = (PhoneEventKind.RING, PhoneEventKind.ANSWER, PhoneEventKind.HANGUP)


@dataclass(frozen=True)
class FloorTimes:
    refresh: list[float]
    raw: list[float]
    events: int


def measure() -> FloorTimes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floor.sqlite3"
        ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=Path(folder)))
        try:
            lead, operators = _floor(ws)
            refresh, raw = [], []
            for run in range(RUNS):
                ws.phone.apply(lead, _event(run), operators[(run // 3) % OPERATORS])
                started = time.perf_counter()
                _rows(ws.floor_board.view(lead))
                refresh.append(time.perf_counter() - started)
                raw.append(_raw(path, ws.floor_board.clock()))
        finally:
            ws.close()
    return FloorTimes(refresh, raw, RUNS)


def _rows(view: FloorView) -> list[tuple[str, ...]]:
    """What F7's Floor tab draws from a view: sorted by state, each row's cells."""
    now = view.at
    key = SORTS[0][1]
    ordered = sorted(view.operators, key=lambda row: key(row, now))
    return [(r.full_name, state_words(r), clock_duration(r.seconds(now))) for r in ordered]


def _event(run: int) -> PhoneEvent:
    call = run // 3
    return PhoneEvent(
        KINDS[run % 3],
        f"bench:{call}",
        "101",
        f"+42060{call:07d}",
        datetime.now(UTC),
    )


def _floor(ws: Workstation) -> tuple[Actor, list[uuid.UUID]]:
    info = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
    lead = Actor(info.id, info.username, info.full_name, info.role)
    now = datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(OPERATORS)]
    with ws.db.write(lead.operator_id) as session:
        for n, operator_id in enumerate(ids):
            session.add(
                Operator(
                    id=operator_id,
                    username=f"op{n:03d}",
                    full_name=f"Operator {n:03d}",
                    password_hash="-",
                )
            )
        session.flush()
        for n, operator_id in enumerate(ids):
            _day(session, operator_id, n, now)
    return lead, ids


def _day(session: object, operator_id: uuid.UUID, n: int, now: datetime) -> None:
    """An operator's morning: signed in four hours ago, sixty calls, a tenth paused now."""
    started = now - timedelta(hours=4)
    shift = WorkSession(operator_id=operator_id, started_at=started)
    session.add(shift)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    if n % 10 == 0:
        pause = WorkPause(
            session_id=shift.id, operator_id=operator_id, reason="break", started_at=now
        )
        session.add(pause)  # type: ignore[attr-defined]
    per_head = CALLS_TODAY // OPERATORS
    for k in range(per_head):
        rang = started + timedelta(minutes=3 * k + 1)
        session.add(  # type: ignore[attr-defined]
            PhoneCall(
                call_key=f"day:{n}:{k}",
                extension="101",
                number_raw=f"+4207{n:03d}{k:05d}",
                phone_e164=f"+4207{n:03d}{k:05d}",
                operator_id=operator_id,
                rang_at=rang,
                answered_at=rang + timedelta(seconds=k % 40),
                ended_at=rang + timedelta(seconds=120),
                end_reason="answered",
            )
        )


def _raw(path: Path, now: datetime) -> float:
    since = (now - timedelta(hours=12)).replace(tzinfo=None)
    with sqlite3.connect(path) as connection:
        started = time.perf_counter()
        connection.execute(
            "SELECT operator_id, rang_at, answered_at, ended_at, call_id FROM phone_call "
            "WHERE rang_at >= ?",
            (str(since),),
        ).fetchall()
        connection.execute(
            "SELECT operator_id, started_at FROM work_session WHERE ended_at IS NULL"
        ).fetchall()
        return time.perf_counter() - started
