"""A campaign pool drawn from by many terminals at once: every lead is claimed once.
PostgreSQL: 20 terminals (each its own engine and operator) claim 2,000 leads with
FOR UPDATE SKIP LOCKED; SQLite: 8 terminals claim 1,000 in write transactions. A claim
that finds the store busy past its wait (a loaded host) tries again, for a bounded time."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.outbound import OutboundService
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store import database
from cc_terminal.store import db as store_db
from cc_terminal.store.database import Database
from cc_terminal.store.errors import StoreUnavailable
from tests.outbound.outbound_floor import SURVEY, add, set_up_campaigns


def claim_all(settings, clock, actors):
    def terminal(actor: Actor) -> list:
        db = Database(settings.database_url)
        outbound = OutboundService(db, clock, settings.timezone)
        claimed = []
        try:
            while (lead_id := outbound.claim_next(actor)) is not None:
                claimed.append(lead_id)
        finally:
            db.dispose()
        return claimed

    with ThreadPoolExecutor(len(actors)) as pool:
        return list(pool.map(terminal, actors))


def operators(ws, lead, count):
    made = []
    for number in range(count):
        info = ws.auth.create_operator(
            lead, f"op{number}", f"Operator {number}", "operator", "pass-word-1"
        )
        made.append(Actor(info.id, info.username, info.full_name, info.role))
    return made


@pytest.mark.parametrize(
    ("store", "terminals", "leads"),
    [("sqlite_url", 8, 1000), pytest.param("pg_url", 20, 2_000, marks=pytest.mark.postgres)],
)
def test_every_pool_lead_is_claimed_once(request, tmp_path, clock, store, terminals, leads):
    from cc_terminal.config import Settings
    from tests.conftest import login

    settings = Settings(db_url=request.getfixturevalue(store), data_dir=tmp_path)
    ws = open_workstation(settings, clock=clock)
    try:
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        people = [(f"+4207771{n:05d}", f"Person {n}") for n in range(leads)]
        assert add(ws, lead, SURVEY, people, "cold").added == leads
        actors = operators(ws, lead, terminals)
    finally:
        ws.close()
    claimed = claim_all(settings, clock, actors)
    everything = [lead_id for batch in claimed for lead_id in batch]
    assert len(everything) == leads
    assert len(set(everything)) == leads
    assert sum(1 for batch in claimed if batch) > 1  # the terminals really shared the pool


@pytest.fixture
def busy_floor(sqlite_url, tmp_path, clock, monkeypatch):
    """One waiting lead; a terminal whose store waits only 100 ms for the write lock, and a
    second connection that holds that lock (another terminal's long write)."""
    from cc_terminal.config import Settings
    from tests.conftest import login

    settings = Settings(db_url=sqlite_url, data_dir=tmp_path)
    ws = open_workstation(settings, clock=clock)
    try:
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        add(ws, lead, SURVEY, [("+420777800001", "Waiting Person")], "cold")
        jana = login(ws, "jana")
    finally:
        ws.close()
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    db = Database(settings.database_url)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield OutboundService(db, clock, settings.timezone), jana, holder
    holder.close()
    db.dispose()


def test_a_claim_waits_for_another_terminals_write_instead_of_failing(busy_floor, monkeypatch):
    outbound, jana, holder = busy_floor
    pauses = []

    def other_write_ends(seconds: float) -> None:
        pauses.append(seconds)
        holder.execute("COMMIT")

    monkeypatch.setattr(database, "_pause", other_write_ends, raising=False)
    assert outbound.claim_next(jana) is not None
    assert len(pauses) == 1


def test_a_claim_on_a_store_that_stays_busy_gives_up_after_its_bound(busy_floor, monkeypatch):
    outbound, jana, _holder = busy_floor
    pauses: list[float] = []
    monkeypatch.setattr(database, "_pause", pauses.append)
    monkeypatch.setattr(database, "BUSY_RETRY_SECONDS", 1.5)
    with pytest.raises(StoreUnavailable):
        outbound.claim_next(jana)
    assert len(pauses) > 3  # tried again and again, each pause doubling up to a second
    assert all(p <= min(0.05 * 2**n, 1.0) for n, p in enumerate(pauses))
