"""A simulated shift on a floor folder: 30 terminals, each taking 300 calls, syncing at
random moments (as their 1.5 s timers drift), some also editing the same customers. After
the last call, every terminal syncs in turn until all hold the same data. Reported: the
passes over the floor and the sync work it took from the last change to convergence."""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cc_terminal.config import Settings
from cc_terminal.services.common.views import Actor, CallDraft, CustomerDraft
from cc_terminal.services.floor import trust as floor_trust
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.floor import store_key

TERMINALS = 30
CALLS = 300
SYNC_CHANCE = 0.05
EDIT_CHANCE = 0.02
PASSWORD = "shift-pass-1"


@dataclass(frozen=True)
class ShiftTimes:
    calls: int
    passes: int
    seconds_to_converge: float
    conflicts: int
    shift_seconds: float


def measure(seed: int = 11) -> ShiftTimes:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="bench-shift-") as temp:
        root = Path(temp)
        folder = root / "floor"
        origin = _open(root / "t00")
        lead_info = origin.auth.create_operator(None, "lead", "Team Lead", "lead", PASSWORD)
        lead = origin.auth.login("lead", PASSWORD)
        key = floor_trust.create(origin, lead, PASSWORD, folder).key
        stations = [(origin, FloorSync(origin.db, folder, root / "t00"))]
        for number in range(1, TERMINALS):
            data_dir = root / f"t{number:02d}"
            store_key(data_dir, key)
            ws = _open(data_dir)
            stations.append((ws, FloorSync(ws.db, folder, data_dir)))
        for number in range(1, TERMINALS):
            origin.auth.create_operator(
                lead,
                f"op{number:02d}",
                f"Operator {number}",
                "operator",
                PASSWORD,
                must_change=False,
            )
        customers = [
            origin.customers.create(
                lead,
                CustomerDraft(
                    full_name=f"Zákazník {n}",
                    phones=f"+420601{n:06d}",
                    street="Dlouhá",
                    house_number="1",
                    city="Praha",
                    postal_code="110 00",
                ),
            ).id
            for n in range(20)
        ]
        _converge(stations)
        actors = [origin.auth.login("lead", PASSWORD)] + [
            ws.auth.login(f"op{n:02d}", PASSWORD) for n, (ws, _sync) in enumerate(stations) if n
        ]
        assert lead_info
        began = time.perf_counter()
        start = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
        for tick in range(CALLS):
            for number, (ws, sync) in enumerate(stations):
                moment = start + timedelta(seconds=tick * 90 + number)
                ws.calls.record(
                    actors[number],
                    CallDraft(
                        None,
                        f"+420777{number:02d}{tick:04d}",
                        moment,
                        moment,
                        moment + timedelta(seconds=60),
                        "tariff_question",
                        "resolved",
                    ),
                )
                if rng.random() < EDIT_CHANCE:
                    _edit(ws, actors[number], rng.choice(customers), f"note {number}/{tick}")
                if rng.random() < SYNC_CHANCE:
                    sync.round()
        shift = time.perf_counter() - began
        began = time.perf_counter()
        passes = _converge(stations)
        seconds = time.perf_counter() - began
        counts = {_count(ws, "SELECT count(*) FROM call") for ws, _sync in stations}
        assert counts == {TERMINALS * CALLS}, counts
        conflicts = {sync.state().conflicts for _ws, sync in stations}
        assert len(conflicts) == 1, conflicts
        for ws, _sync in stations:
            ws.close()
        return ShiftTimes(TERMINALS * CALLS, passes, seconds, conflicts.pop(), shift)


def _open(data_dir: Path) -> Workstation:
    return open_workstation(
        Settings(db_url=f"sqlite:///{data_dir / 'cc.sqlite3'}", data_dir=data_dir)
    )


def _edit(ws: Workstation, actor: Actor, customer: uuid.UUID, notes: str) -> None:
    """The notes typed over, as the customer's form sends them: only what changed."""
    card = ws.customers.card(customer)
    draft = CustomerDraft(notes=notes)
    ws.customers.update(actor, customer, draft, card.version)


def _count(ws: Workstation, sql: str) -> int:
    with ws.db.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar() or 0)


def _converge(stations: list[tuple[Workstation, FloorSync]]) -> int:
    """Passes over the floor (every terminal one round) until a pass moves nothing."""
    for passes in range(1, 50):
        states = [sync.round() for _ws, sync in stations]
        if all(not (s.pending or s.waiting or s.applied or s.published) for s in states):
            return passes
    raise AssertionError("the floor did not converge in 50 passes")


if __name__ == "__main__":
    print(measure())
