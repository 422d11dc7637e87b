"""A lead import is staged (issue 29): its batches are out of sight until one short step
shows them all; an import that fails, or whose process is killed with SIGKILL between two
batches, leaves nothing half-stored: what it staged is taken away (at once, or at the next
start), rows, search index, change ops and all, and the same file imports whole again.
SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from cc_terminal.services.outbound import lead_import
from cc_terminal.services.outbound.lead_store import LeadBatch
from cc_terminal.services.workstation import open_workstation
from cc_terminal.sync.publish_rows import unpublished
from tests.conftest import PASSWORDS
from tests.outbound.outbound_floor import SALES, set_up_campaigns

# A second process: imports the file and, after its first batch is stored, waits to be
# killed (the progress bar's callback runs between batches).
IMPORTER = """
import sys, time
from pathlib import Path
from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
url, folder, path, password, campaign = sys.argv[1:6]
ws = open_workstation(Settings(db_url=url, data_dir=Path(folder)))
lead = ws.auth.login("lead", password)
def progress(done, total):
    print("stored", done, flush=True)
    time.sleep(120)
ws.leads.import_file(lead, ws.leads.read(Path(path)), campaign, progress=progress)
"""


IMPORTED = "('customer', 'customer_phone', 'lead', 'consent', 'lead_list')"


def lead_file(tmp_path: Path, count: int, numbers: str = "7312", name: str = "staged") -> Path:
    lines = ["Jméno;Příjmení;Telefon;Město"]
    lines += [f"Věra;Staged {n % 50};{numbers}{n:05d};Kolín" for n in range(count)]
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(ws) -> dict[str, int]:
    queries = {
        "leads": "SELECT count(*) FROM lead",
        "open": "SELECT count(*) FROM lead WHERE status = 'open'",
        "staged_leads": "SELECT count(*) FROM lead WHERE status = 'staged'",
        "customers": "SELECT count(*) FROM customer",
        "phones": "SELECT count(*) FROM customer_phone",
        "consents": "SELECT count(*) FROM consent",
        # the import's tables' ops (a sign-in writes its own), and runs left without ops
        "ops": f"SELECT count(*) FROM outbox_op WHERE entity IN {IMPORTED}",
        "runs": f"SELECT count(DISTINCT run_id) FROM outbox_op WHERE entity IN {IMPORTED}",
        "empty_runs": "SELECT count(*) FROM outbox_run WHERE run_id NOT IN "
        "(SELECT run_id FROM outbox_op WHERE run_id IS NOT NULL)",
        "pairs": "SELECT count(*) FROM customer_term",
        "counted": "SELECT coalesce(sum(customers), 0) FROM search_term",
        "lists": "SELECT count(*) FROM lead_list",
        "staged": "SELECT count(*) FROM staged_import",
        "notes": "SELECT count(*) FROM staged_row",
    }
    with ws.db.connect() as connection:
        return {
            name: int(connection.execute(text(sql)).scalar_one()) for name, sql in queries.items()
        }


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws


def test_a_failure_after_some_batches_leaves_nothing(floor, lead, tmp_path, monkeypatch):
    before = counts(floor)
    monkeypatch.setattr(lead_import, "BATCH", 20)
    stored = LeadBatch.store
    calls = []

    def store_then_fail(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk went away")
        return stored(self, *args, **kwargs)

    monkeypatch.setattr(LeadBatch, "store", store_then_fail)
    with pytest.raises(RuntimeError):
        floor.leads.import_file(lead, floor.leads.read(lead_file(tmp_path, 70)), SALES)
    assert counts(floor) == before
    monkeypatch.setattr(LeadBatch, "store", stored)
    report = floor.leads.import_file(lead, floor.leads.read(lead_file(tmp_path, 70)), SALES)
    assert report.added == 70 and report.new_customers == 70
    after = counts(floor)
    assert after["open"] == before["open"] + 70 and after["staged"] == after["notes"] == 0


def test_staged_leads_are_out_of_sight_until_shown(floor, lead, tmp_path, monkeypatch):
    monkeypatch.setattr(lead_import, "BATCH", 20)
    seen: list[dict[str, int]] = []
    held: list[int] = []

    def progress(_done: int, _total: int) -> None:
        seen.append(counts(floor))
        with floor.db.connect() as connection:
            held.append(len(unpublished(connection, 0, 100_000)))

    before = counts(floor)
    with floor.db.connect() as connection:
        published_before = len(unpublished(connection, 0, 100_000))
    floor.leads.import_file(
        lead, floor.leads.read(lead_file(tmp_path, 50)), SALES, progress=progress
    )
    assert [state["staged_leads"] for state in seen] == [20, 40, 50]
    assert all(state["open"] == before["open"] for state in seen)
    # the floor is given none of the import's ops (nor any after them) while it is staged
    assert held == [published_before] * 3
    after = counts(floor)
    assert after["open"] == before["open"] + 50 and after["staged_leads"] == 0
    with floor.db.connect() as connection:
        assert len(unpublished(connection, 0, 100_000)) > published_before


def importer(settings, path: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", IMPORTER, settings.database_url, str(settings.data_dir)]
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    return subprocess.Popen(
        [*command, str(path), PASSWORDS["lead"], SALES],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_between_batches_leaves_nothing_half_stored(floor, lead, settings, tmp_path, clock):
    before = counts(floor)
    path = lead_file(tmp_path, lead_import.BATCH + 300)
    process = importer(settings, path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("stored"), process.stderr.read() if process.stderr else ""
        staged = counts(floor)
        assert staged["staged_leads"] == lead_import.BATCH and staged["staged"] == 1
        assert staged["open"] == before["open"]
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    again = open_workstation(settings, clock=clock)  # the next start
    try:
        assert counts(again) == before
        report = again.leads.import_file(lead, again.leads.read(path), SALES)
        assert report.added == lead_import.BATCH + 300
    finally:
        again.close()
