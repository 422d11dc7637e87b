"""The step that shows a staged lead import (issue 29), alone: ``leads`` leads staged in a
list of a floor (SQLite, and a throwaway PostgreSQL server), opened the way the import did
before (one ``UPDATE`` of them all in one transaction) and the way it does now
(``LeadStaging.show``: one short step decides it, then transactions of at most
``SHOWN_AT_ONCE`` leads); each write transaction timed. Run:
``python -m bench.show_step [leads ...]``."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select, text, update
from sqlmodel import col

from bench import search
from bench.cache import DATA
from bench.generate import PASSWORD
from bench.lead_import import FRIDAY, Transactions
from cc_terminal.config import Settings
from cc_terminal.customer_fields import empty_values
from cc_terminal.models import Campaign, Customer, Lead, LeadList
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.lead_discard import STAGED
from cc_terminal.services.outbound.lead_staging import SHOWN_AT_ONCE, LeadStaging
from cc_terminal.services.outbound.lead_store import FRESH_LEAD
from cc_terminal.services.workstation import Workstation, open_workstation


def _staged_leads(ws: Workstation, leads: int) -> tuple[uuid.UUID, uuid.UUID]:
    """A campaign's list of ``leads`` staged leads (of one customer); the list and the
    lead's id."""
    ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
    lead = ws.auth.login("lead", PASSWORD)
    ws.campaigns.create(lead, CampaignDraft("bench-show", "Benchmark", "informational"))
    list_id, customer_id = uuid.uuid4(), uuid.uuid4()
    with ws.db.engine.begin() as connection:
        campaign = connection.execute(select(col(Campaign.id))).scalar_one()
        connection.execute(
            Customer.__table__.insert(),  # type: ignore[attr-defined]
            {"id": customer_id, **empty_values(), "full_name": "Bench", "do_not_call": False,
             "version": 1, "created_at": FRIDAY, "updated_at": FRIDAY},
        )  # fmt: skip
        connection.execute(
            LeadList.__table__.insert(),  # type: ignore[attr-defined]
            {"id": list_id, "campaign_id": campaign, "name": "bench", "source": "",
             "temperature": "warm", "created_at": FRIDAY, "created_by": lead.operator_id},
        )  # fmt: skip
        rows = [
            {**FRESH_LEAD, "id": uuid.uuid4(), "campaign_id": campaign, "list_id": list_id,
             "customer_id": customer_id, "phone_e164": f"+420731{n:06d}",
             "temperature": "warm", "heat": 1, "status": STAGED, "extra": "{}",
             "created_at": FRIDAY, "updated_at": FRIDAY}
            for n in range(leads)
        ]  # fmt: skip
        connection.execute(Lead.__table__.insert(), rows)  # type: ignore[attr-defined]
    return list_id, lead.operator_id


def measure(ws: Workstation, leads: int) -> str:
    list_id, actor = _staged_leads(ws, leads)
    commits = Transactions(ws)
    started = time.perf_counter()
    with ws.db.write(actor) as session:
        session.connection().execute(
            update(Lead)
            .where(col(Lead.list_id) == list_id, col(Lead.status) == STAGED)
            .values(status="open")
        )
    before = time.perf_counter() - started
    commits.stop()
    with ws.db.write(actor) as session:
        session.connection().execute(text("UPDATE lead SET status = :staged"), {"staged": STAGED})
    staging = LeadStaging(ws.db, lambda: FRIDAY, actor)
    with ws.db.write(actor) as session:
        staging.touched(session.connection(), list_id)
    commits = Transactions(ws)
    started = time.perf_counter()
    staging.show()
    now = time.perf_counter() - started
    commits.stop()
    each = commits.seconds
    with ws.db.connect() as connection:
        still = connection.execute(text("SELECT count(*) FROM lead WHERE status <> 'open'"))
        assert still.scalar_one() == 0
    return (
        f"{ws.db.engine.dialect.name} {leads:,} leads: before, one transaction {before * 1000:.0f}"
        f" ms; now {now * 1000:.0f} ms in all, {len(each)} transactions, the step that decides"
        f" it {each[0] * 1000:.1f} ms, the longest {max(each) * 1000:.0f} ms "
        f"(at most {SHOWN_AT_ONCE:,} leads each, then the notes)"
    )


@contextmanager
def floor(store: str, leads: int) -> Iterator[Workstation]:
    if store == "sqlite":
        path = DATA / f"show-step-{leads}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        ws = open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=DATA))
        try:
            yield ws
        finally:
            ws.close()
        return
    with search.floor_on_server(DATA) as ws:
        yield ws


def main(sizes: list[int]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for store in ("sqlite", "postgresql"):
        for leads in sizes:
            with floor(store, leads) as ws:
                print(measure(ws, leads), flush=True)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10_000, 100_000])
