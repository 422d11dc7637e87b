"""A campaign pool drawn from by many terminals at once: every lead is claimed once.
PostgreSQL: 20 terminals (each its own engine and operator) claim 10,000 leads with
FOR UPDATE SKIP LOCKED; SQLite: 8 terminals claim 1,000 in write transactions."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from cc_terminal.services.outbound import OutboundService
from cc_terminal.services.views import Actor
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.database import Database
from tests.outbound_floor import SURVEY, add, set_up_campaigns


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
    [("sqlite_url", 8, 1000), pytest.param("pg_url", 20, 10_000, marks=pytest.mark.postgres)],
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
