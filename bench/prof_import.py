"""Where a lead import's time goes (issue 29), phase by phase: each step of a batch timed
by wrapping the functions that do it. Not a benchmark of its own: a tool to look with.

python -m bench.prof_import sqlite --scale 0.1 [--sign-ins] [--profile FILE]
python -m bench.prof_import postgresql --scale 0.1
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from bench import lead_import as bench
from bench.cache import scaled, set_scale
from bench.generate import PASSWORD, database
from cc_terminal.services.outbound import lead_checkpoints, lead_import, lead_staging, lead_store
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store import bulk, search_index
from cc_terminal.store.database import Database

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
_depth: list[str] = []


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - started
            CALLS[label] += 1

    return wrapper


def wrap(owner: Any, name: str, label: str) -> None:
    setattr(owner, name, _timed(label, getattr(owner, name)))


def instrument(ws: Workstation) -> None:
    batch = lead_store.LeadBatch
    for name in ("prepare", "store", "_prepared", "_new_customers", "_leads", "_consents"):
        wrap(batch, name, f"batch.{name}")
    wrap(lead_store, "found", "batch.found (checks)")
    wrap(lead_store, "_customer_columns", "build.customer_columns")
    wrap(bulk.BulkOps, "insert", "bulk.prepare insert")
    wrap(bulk.BulkOps, "write_rows", "bulk.write_rows")
    wrap(bulk.BulkOps, "write_ops", "bulk.write_ops")
    wrap(search_index, "customer_terms", "build.customer_terms")
    wrap(search_index, "index_new_customers", "index.total")
    wrap(search_index, "_term_ids", "index.term_ids")
    wrap(search_index, "_recount", "index.recount")
    wrap(search_index, "write_tuples", "index.pairs insert")
    wrap(bulk, "write_tuples", "bulk.write_tuples")
    wrap(bulk, "_stored_tuples", "bulk.convert")
    wrap(bulk, "changes_texts", "bulk.ops json")
    wrap(bulk, "sign_digests", "bulk.sign")
    wrap(bulk, "last_clock", "bulk.last_clock")
    wrap(lead_staging.LeadStaging, "touched", "staging.touched")
    wrap(lead_staging.LeadStaging, "show", "staging.show (+clear notes)")
    wrap(lead_staging, "_clear_notes", "staging.clear notes")
    wrap(lead_staging, "_open_batch", "staging.open batch")
    wrap(lead_staging, "_objected", "staging.objected check")
    wrap(lead_import._Pace, "after", "pace.after (sleep)")
    wrap(lead_checkpoints.Checkpoints, "_wait", "checkpoint: waited for")
    wrap(Database, "checkpoint", "checkpoint: in its thread")
    wrap(lead_import.LeadImportService, "_after_import", "after import (ANALYZE)")
    wrap(lead_import.LeadImportService, "_store", "store total")
    _time_transactions(ws.db)


def _time_transactions(db: Database) -> None:
    original = Database.write
    committing: list[float] = []
    event.listen(db.engine, "commit", lambda _connection: committing.append(time.perf_counter()))

    @contextmanager
    def write(self: Database, actor: Any, durable: bool = True) -> Iterator[Any]:
        started = time.perf_counter()
        with original(self, actor, durable) as session:
            entered = time.perf_counter()
            SPENT["tx.wait for turn+BEGIN"] += entered - started
            yield session
            committing.clear()
        ended = time.perf_counter()
        SPENT["tx.total"] += ended - started
        CALLS["tx.total"] += 1
        if committing:
            SPENT["tx.commit"] += ended - committing[-1]

    Database.write = write  # type: ignore[method-assign]


def report(title: str, seconds: float) -> str:
    lines = [f"## {title}: {seconds:.2f} s; load {os.getloadavg()[0]:.1f}"]
    for label in sorted(SPENT):
        lines.append(f"{label:32s} {SPENT[label]:8.3f} s {CALLS[label]:6d} calls")
    return "\n".join(lines)


def run(ws: Workstation, url: str, folder: Path, source: Path, leads: int, args: Any) -> None:
    usernames = bench.operators(ws)
    path = bench.lead_file(folder, source, leads)
    lead = ws.auth.login("lead", PASSWORD)
    lead_file = ws.leads.read(path)
    lead_file.check_mapping()
    started = time.perf_counter()
    drafts, _rejected, _warned = ws.leads.drafts(lead_file)
    check = time.perf_counter() - started
    sign_ins = bench.SignIns(url, folder) if args.sign_ins else None
    instrument(ws)
    profiler = cProfile.Profile() if args.profile else None
    began = time.time()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    added = ws.leads.add_leads(
        lead, bench.CAMPAIGN, "bench", "warm", drafts, assign_to=usernames
    ).added
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    seconds = time.perf_counter() - started
    print(f"row check {check:.2f} s; {added} added")
    if sign_ins:
        during, quiet, failed = sign_ins.finish(began, time.time())
        print(f"sign-ins {len(during)}: max {max(during, default=0) * 1000:.0f} ms, "
              f"quiet median {sorted(quiet)[len(quiet) // 2] * 1000 if quiet else 0:.0f} ms, "
              f"failed {failed}")  # fmt: skip
    print(report(f"{ws.db.engine.dialect.name} add_leads {leads}", seconds))
    if args.explain:
        explain(ws, [draft.phone for draft in drafts[:2000]])


def explain(ws: Workstation, numbers: list[str]) -> None:
    """Each of the batch's checks timed, and its plan, on numbers the import stored."""
    with ws.db.connect() as connection:
        campaign = connection.execute(text("SELECT id FROM campaign")).scalar_one()
        captured: list[Any] = []

        def before(conn: Any, cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
            captured.append((statement, parameters))

        event.listen(ws.db.engine, "before_cursor_execute", before)
        lead_store.found(connection, campaign, numbers)
        event.remove(ws.db.engine, "before_cursor_execute", before)
        for statement, parameters in captured:
            started = time.perf_counter()
            connection.exec_driver_sql(statement, parameters).all()
            took = time.perf_counter() - started
            plan = connection.exec_driver_sql("EXPLAIN ANALYZE " + statement, parameters).all()
            print(f"--- {took * 1000:.1f} ms: {statement[:200]}")
            print("\n".join(str(row[0]) for row in plan[:12]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", choices=("sqlite", "postgresql"))
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--sign-ins", action="store_true")
    parser.add_argument("--profile")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    set_scale(args.scale)
    customers, leads = scaled(bench.CUSTOMERS), scaled(bench.LEADS)
    source = database(customers)
    if args.store == "sqlite":
        work = bench.work_copy(source, "prof-import-work.sqlite3")
        ws = open_workstation(bench.settings(work), clock=lambda: bench.FRIDAY)
        try:
            run(ws, f"sqlite:///{work}", work.parent, source, leads, args)
        finally:
            ws.close()
        return
    with bench.postgresql_floor(source, "prof-import-pg") as (ws, url, folder):
        run(ws, url, folder, source, leads, args)


if __name__ == "__main__":
    main()
