"""Outbound at the scale of the other benchmarks, on a copy of the large database (it gets
50 operators, 100,000 leads and 1,000,000 offers the cached one must not keep):

- import: a 100,000-row cp1250 CSV (30% of the phones are existing customers) read, matched
  and stored through the service, beside a raw ``executemany`` of the same lead rows into an
  empty table shaped like ``lead``;
- pick: the next lead claimed for a random one of 50 operators (and given back), beside the
  raw query for the first candidate in the pick's index;
- card: N on F3 to the lead card painted, headless, as the incoming pop is measured;
- re-offers: the selection of the latest too-expensive refusals above a new price over
  1,000,000 past offers, beside the raw SQL of the same query.

Every clock is stopped on a Friday at 14:00 in Prague, inside the calling window."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench import lead_import
from bench.generate import PASSWORD
from bench.lead_import import FRIDAY, LEADS, OPERATOR_PASSWORD
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.memory import take_the_collector
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.widgets.customer_card import CustomerCard

OFFERS = 1_000_000
EXPENSIVE, CHEAP = ("BENCH-L", 89_900), ("BENCH-S", 39_900)
PICK_SQL = (
    "SELECT id FROM lead WHERE status = 'open' AND assigned_to = ? "
    "ORDER BY priority DESC, heat DESC, attempts, created_at, id LIMIT 1"
)


@dataclass(frozen=True)
class Outbound:
    import_steps: list[float]
    raw_insert_seconds: float
    added: int
    rejected: int
    pick: list[float]
    pick_raw: list[float]
    card: list[float]
    reoffer_seconds: float
    reoffer_raw_seconds: float
    refusals: int

    @property
    def import_seconds(self) -> float:
        return sum(self.import_steps)

    def import_budget(self) -> str:
        names = ("read", "check rows", "store")
        return ", ".join(f"{n} {s:.1f}" for n, s in zip(names, self.import_steps, strict=True))


def measure(large_db: Path) -> Outbound:
    work = lead_import.work_copy(large_db)
    ws = open_workstation(_settings(work), clock=lambda: FRIDAY)
    try:
        usernames = lead_import.operators(ws)
        leads = lead_import.lead_file(work.parent, large_db, LEADS)
        imported, report, _moved = lead_import.timed_import(ws, leads, usernames)
        raw_insert = lead_import.raw_insert(ws)
        pick, pick_raw = _picks(ws, work, usernames)
        selected, selected_raw, refusals = _reoffers(ws, work)
    finally:
        ws.close()
    card = asyncio.run(_cards(work, usernames[0]))
    return Outbound(
        imported,
        raw_insert,
        report.added,
        len(report.rejected),
        pick,
        pick_raw,
        card,
        selected,
        selected_raw,
        refusals,
    )


def _settings(path: Path) -> Settings:
    return Settings(db_url=f"sqlite:///{path}", data_dir=path.parent)


def _picks(ws: Workstation, work: Path, usernames: list[str]) -> tuple[list[float], list[float]]:
    rng = random.Random(5)
    actors = [ws.auth.login(name, OPERATOR_PASSWORD) for name in usernames]
    picks, raws = [], []
    connection = sqlite3.connect(work)
    try:
        for _round in range(300):
            actor = rng.choice(actors)
            started = time.perf_counter()
            lead_id = ws.outbound.claim_next(actor)
            picks.append(time.perf_counter() - started)
            assert lead_id is not None, "every operator has leads to call"
            ws.outbound.release(actor, lead_id)
            started = time.perf_counter()
            connection.execute(PICK_SQL, (actor.operator_id.hex,)).fetchone()
            raws.append(time.perf_counter() - started)
    finally:
        connection.close()
    return picks, raws


def _reoffers(ws: Workstation, work: Path) -> tuple[float, float, int]:
    lead = ws.auth.login("lead", PASSWORD)
    ws.catalog.on_cheaper = None  # only the selection is timed here, not making the leads
    start = date(2026, 1, 1)
    ws.catalog.add(
        lead,
        [ProductItem(code, code, "tariff", price, "CZK", start) for code, price in (EXPENSIVE,)],
    )
    _past_offers(work)
    ws.catalog.add(lead, [ProductItem(CHEAP[0], CHEAP[0], "tariff", CHEAP[1], "CZK", start)])
    started = time.perf_counter()
    refusals = ws.reoffers.select(CHEAP[0])
    selected = time.perf_counter() - started
    with sqlite3.connect(work) as connection:
        cheap_id = connection.execute(
            "SELECT id FROM product WHERE code = ?", (CHEAP[0],)
        ).fetchone()[0]
        started = time.perf_counter()
        connection.execute(
            "SELECT o.id, o.customer_id, o.operator_id, o.price_minor FROM offer o "
            "JOIN product p ON p.id = o.product_id "
            "WHERE o.refusal_reason = 'too_expensive' AND o.price_minor > ? AND NOT o.accepted "
            "AND o.currency = 'CZK' AND p.kind = 'tariff' AND o.product_id != ? "
            "ORDER BY o.customer_id, o.offered_at DESC",
            (CHEAP[1], cheap_id),
        ).fetchall()
        raw = time.perf_counter() - started
    return selected, raw, len(refusals)


def _past_offers(work: Path) -> None:
    """1,000,000 offers of the dear tariff over two years: a fifth refused as too expensive."""
    rng = random.Random(17)
    reasons = ("other_provider", "not_now", "no_trust")
    with sqlite3.connect(work) as connection:
        customers = [row[0] for row in connection.execute("SELECT id FROM customer")]
        operator = connection.execute("SELECT id FROM operator LIMIT 1").fetchone()[0]
        product = connection.execute(
            "SELECT id FROM product WHERE code = ?", (EXPENSIVE[0],)
        ).fetchone()[0]
        for start in range(0, OFFERS, 50_000):
            rows = []
            for _index in range(start, min(start + 50_000, OFFERS)):
                accepted = rng.random() < 0.2
                refused = "" if accepted else rng.choice(("too_expensive", *reasons))
                when = FRIDAY - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                rows.append(
                    (
                        uuid.uuid4().hex,
                        rng.choice(customers),
                        operator,
                        product,
                        EXPENSIVE[0],
                        EXPENSIVE[1],
                        accepted,
                        refused,
                        when.replace(tzinfo=None).isoformat(sep=" "),
                    )
                )
            connection.executemany(
                "INSERT INTO offer (id, customer_id, call_id, operator_id, product_id, "
                "product_name, price_minor, currency, accepted, refusal_reason, refusal_note, "
                "offered_at) VALUES (?, ?, NULL, ?, ?, ?, ?, 'CZK', ?, ?, '', ?)",
                rows,
            )
        connection.execute("ANALYZE offer")


async def _cards(work: Path, username: str, pops: int = 30) -> list[float]:
    """N on F3 to the lead's card painted, then Escape gives the lead back."""
    take_the_collector()  # the app freezes what it keeps, as under its own command
    app = CCTerminal(_settings(work), clock=lambda: FRIDAY)
    seconds: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*username, "enter", *OPERATOR_PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause(2)
        screen = app.screen
        card = screen.query_one("#lead-card", CustomerCard)
        painted = asyncio.Event()
        painted_at = [0.0]
        display = app._display

        def frame(shown: object, renderable: object) -> None:
            display(shown, renderable)  # type: ignore[arg-type]
            if card.card is not None and renderable is not None and not painted.is_set():
                painted_at[0] = time.perf_counter()  # when the frame went, not when we woke
                painted.set()

        app._display = frame  # type: ignore[method-assign]
        for _pop in range(pops):
            painted.clear()
            started = time.perf_counter()
            screen.action_next_lead()  # type: ignore[attr-defined]
            await painted.wait()
            seconds.append(painted_at[0] - started)
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
    return seconds
