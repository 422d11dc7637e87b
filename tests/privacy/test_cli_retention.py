"""``cc-terminal retention``: a lead sets the days, anyone reads them, cron runs the
erasure; wrong days are one clear line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cc_terminal.config import Settings
from cc_terminal.models import Call
from cc_terminal.services.common.views import CallDraft, CustomerDraft
from cc_terminal.services.workstation import open_workstation
from tests.cli_run import cli, cli_process

LEAD = "lead-pass-1\n"


def _old_call(data_dir: Path) -> None:
    """A call of 400 days ago with a note, recorded by a workstation whose clock says so."""
    then = datetime.now(UTC) - timedelta(days=400)
    ws = open_workstation(Settings(data_dir=data_dir), clock=lambda: then)
    try:
        lead = ws.auth.login("lead", LEAD.strip())
        customer = ws.customers.create(
            lead, CustomerDraft(full_name="Jan Novák", phones="+420601123456")
        )
        draft = CallDraft(
            customer.id, "+420601123456", then, then, then, "billing", "request_registered", "Eva"
        )
        ws.calls.record(lead, draft)
    finally:
        ws.close()


def _notes(data_dir: Path) -> list[str]:
    ws = open_workstation(Settings(data_dir=data_dir))
    try:
        with ws.db.read() as session:
            return list(session.scalars(select(Call.notes)))
    finally:
        ws.close()


def test_a_lead_sets_the_days_and_cron_runs_the_erasure(tmp_path: Path) -> None:
    assert cli(tmp_path, "init", "--password-stdin", stdin=LEAD * 2).returncode == 0
    _old_call(tmp_path)
    shown = cli_process(tmp_path, "retention", "show")
    assert shown.returncode == 0, shown.stderr
    assert "365 days (default 365), erased daily" in shown.stdout
    assert "90 days (default 90), nothing held yet" in shown.stdout
    assert "Last erased: —" in shown.stdout
    changed = cli_process(
        tmp_path,
        "retention",
        "set",
        "--chat",
        "60",
        "--recordings",
        "30",
        "--password-stdin",
        stdin=LEAD,
    )
    assert changed.returncode == 0, changed.stderr
    assert "60 days (default 180)" in changed.stdout and "30 days (default 90)" in changed.stdout
    ran = cli_process(tmp_path, "retention", "run", "--password-stdin", stdin=LEAD)
    assert ran.returncode == 0, ran.stderr
    assert "notes: 1; chat: 0" in ran.stdout
    assert _notes(tmp_path) == [""]
    again = cli(tmp_path, "retention", "run", "--password-stdin", stdin=LEAD)
    assert "notes: 0" in again.stdout
    assert "Last erased: —" not in cli(tmp_path, "retention", "show").stdout


def test_wrong_days_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    assert cli(tmp_path, "init", "--password-stdin", stdin=LEAD * 2).returncode == 0
    wrong = cli(tmp_path, "retention", "set", "--notes", "5", "--password-stdin", stdin=LEAD)
    assert wrong.returncode == 1 and wrong.stderr.strip().splitlines() == [
        "cc-terminal: notes: Days, from 30 to 3650."
    ]
    nothing = cli(tmp_path, "retention", "set", "--password-stdin", stdin=LEAD)
    assert nothing.returncode == 1 and "--notes" in nothing.stderr
    assert "365 days (default 365)" in cli(tmp_path, "retention", "show").stdout
