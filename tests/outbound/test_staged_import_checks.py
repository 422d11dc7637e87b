"""What happens to a staged import's numbers between its batches and the step that shows
them (services/outbound/lead_staging.py): a number that objects to calls meanwhile, at
another terminal, is not opened by the showing step; it is closed as the objection closes
an open lead. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import signal
import socket
import sqlite3
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from cc_terminal.models.base import utcnow
from cc_terminal.services.common.errors import ConflictError
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.outbound import lead_import, lead_staging
from cc_terminal.services.outbound.lead_staging import (
    SILENT_FOR,
    LeadStaging,
    discard_left_behind,
)
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.errors import StoreBusy
from tests.helpers import rows
from tests.outbound.outbound_floor import SALES, set_up_campaigns
from tests.outbound.test_staged_import import counts, lead_file

OBJECTS = "+420731200003"  # the file's fourth number, stored in the first batch
SECOND = "+420731200001"  # the second, in the same batch


def test_a_number_that_objects_after_its_batch_is_not_opened_by_the_showing(
    ws, lead, tmp_path, monkeypatch
):
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)

    def progress(done: int, _total: int) -> None:
        if done == 5:  # its batch is stored, staged; meanwhile, at another terminal
            ws.consents.record_objection(lead, OBJECTS, note="")

    report = ws.leads.import_file(
        lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress
    )
    assert report.added == 10
    with ws.db.connect() as connection:
        statuses = dict(connection.execute(text("SELECT phone_e164, status FROM lead")).all())
    assert statuses[OBJECTS] == "done"
    assert sorted(statuses.values()) == ["done"] + ["open"] * 9


REFUSE_NOTES_ON_SQLITE = (
    "CREATE TRIGGER keep_notes BEFORE DELETE ON staged_row "
    "BEGIN SELECT RAISE(ABORT, 'notes kept'); END",
)
REFUSE_NOTES_ON_POSTGRESQL = (
    "CREATE FUNCTION keep_notes() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'notes kept'; END $$",
    "CREATE TRIGGER keep_notes BEFORE DELETE ON staged_row "
    "FOR EACH ROW EXECUTE FUNCTION keep_notes()",
)


def _refuse_clearing_notes(ws, refuse: bool) -> None:
    sqlite = ws.db.engine.dialect.name == "sqlite"
    if refuse:
        statements = REFUSE_NOTES_ON_SQLITE if sqlite else REFUSE_NOTES_ON_POSTGRESQL
    else:
        statements = (
            ("DROP TRIGGER keep_notes",) if sqlite else ("DROP FUNCTION keep_notes CASCADE",)
        )
    with ws.db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_notes_not_cleared_after_the_showing_leave_the_import_shown_and_audited(ws, lead, tmp_path):
    """The showing step is the import's end: what fails after it (clearing its notes of
    new rows, bookkeeping nothing reads) does not make the shown import a failure without
    its audit event; the notes go at the next start."""
    set_up_campaigns(ws, lead)
    _refuse_clearing_notes(ws, True)
    report = ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES)
    assert report.added == 10
    with ws.db.connect() as connection:
        events = connection.execute(
            text("SELECT detail FROM audit_event WHERE kind = 'import'")
        ).scalars()
        assert [detail for detail in events] == ["staged.csv: 10 rows"]
        opened = "SELECT count(*) FROM lead WHERE status = 'open'"
        assert connection.execute(text(opened)).scalar_one() == 10
    _refuse_clearing_notes(ws, False)
    discard_left_behind(ws.db)
    assert counts(ws)["notes"] == 0 and counts(ws)["open"] == 10


@pytest.mark.parametrize("first_fails", [False, True])
def test_a_second_import_into_a_list_being_filled_is_refused(
    ws, lead, tmp_path, monkeypatch, first_fails
):
    """A list's staged leads are shown and discarded together: a second import into it
    while the first is staged would show the first's leads before it ends, and the
    first's discard would then break on their customers (a foreign key) and stay behind
    for every start. The second is refused; the first ends as it would alone."""
    set_up_campaigns(ws, lead)
    before = counts(ws)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    during: list[object] = []

    def progress(done: int, _total: int) -> None:
        if done != 5:
            return
        with pytest.raises(ConflictError):  # meanwhile, another lead at another terminal
            ws.leads.import_file(
                lead,
                ws.leads.read(lead_file(tmp_path, 4, "7319", "other")),
                SALES,
                list_name="shared",
            )
        during.append(counts(ws))
        if first_fails:
            raise RuntimeError("the first import fails after the refusal")

    first = ws.leads.read(lead_file(tmp_path, 10))
    if first_fails:
        with pytest.raises(RuntimeError):
            ws.leads.import_file(lead, first, SALES, list_name="shared", progress=progress)
        assert counts(ws) == before
    else:
        report = ws.leads.import_file(lead, first, SALES, list_name="shared", progress=progress)
        assert report.added == 10
        after = counts(ws)
        assert after["open"] == before["open"] + 10 and after["staged"] == after["notes"] == 0
    assert [(state["open"], state["staged_leads"]) for state in during] == [(0, 5)]


def test_an_import_into_another_list_of_a_campaign_being_filled_is_refused(
    ws, lead, tmp_path, monkeypatch
):
    """It would count the first's staged numbers as already in the campaign, and when the
    first then failed they would be in neither list. Refused; afterwards it adds them."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    overlapping = ws.leads.read(lead_file(tmp_path, 8, name="other"))  # the first's numbers

    def progress(done: int, _total: int) -> None:
        if done == 5:
            with pytest.raises(ConflictError, match="this campaign"):
                ws.leads.import_file(lead, overlapping, SALES, list_name="second")
            raise RuntimeError("the first import fails after the refusal")

    first = ws.leads.read(lead_file(tmp_path, 10))
    with pytest.raises(RuntimeError):
        ws.leads.import_file(lead, first, SALES, list_name="first", progress=progress)
    assert ws.leads.import_file(lead, overlapping, SALES, list_name="second").added == 8


def test_a_checkpoint_failing_beside_a_failed_batch_hides_neither_its_error_nor_its_discard(
    ws, lead, tmp_path, monkeypatch
):
    """SQLite moves each batch's pages out of the WAL in a thread (lead_checkpoints.py);
    when that fails too (the disk, here a fault put in its place), the import's own error
    is the one reported and what it staged is taken away."""
    set_up_campaigns(ws, lead)
    before = counts(ws)
    monkeypatch.setattr(lead_import, "BATCH", 5)

    def checkpoint_fails() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ws.db, "checkpoint", checkpoint_fails)

    def progress(done: int, _total: int) -> None:
        raise RuntimeError("the import's own failure")

    with pytest.raises(RuntimeError, match="own failure"):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    assert counts(ws) == before


def test_an_import_the_busy_store_stops_is_in_the_audit_trail(ws, lead, tmp_path, monkeypatch):
    """Another writer held the store past the busy wait (here a fault put in the batch's
    place): the import fails with the store's one clear line, and the trail says so."""
    set_up_campaigns(ws, lead)

    def store_stays_busy(*_arguments: object) -> int:
        raise StoreBusy("The database stayed busy; nothing was saved.")

    monkeypatch.setattr(ws.leads, "_stored", store_stays_busy)
    with pytest.raises(StoreBusy):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES)
    with ws.db.connect() as connection:
        events = connection.execute(
            text("SELECT detail FROM audit_event WHERE kind = 'import'")
        ).scalars()
        assert list(events) == ["staged.csv: failed (The database stayed busy; nothing was saved.)"]


def test_a_failed_import_whose_new_customer_was_erased_meanwhile_leaves_nothing(
    ws, lead, tmp_path, monkeypatch
):
    """New customers of a staged import are erased at their request while the import
    runs (new customers are found by search at once); the erasure makes the import's lead
    unworkable. The import then fails: its discard takes that lead with the customer it
    made, instead of breaking on it (a foreign key) and staying behind for every start."""
    set_up_campaigns(ws, lead)
    before = counts(ws)
    monkeypatch.setattr(lead_import, "BATCH", 5)

    def progress(done: int, _total: int) -> None:
        for erased in (OBJECTS, SECOND):  # two of its new customers
            _erase_by_phone(ws, lead, erased)
        raise RuntimeError("the import fails after the erasure")

    with pytest.raises(RuntimeError):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    assert counts(ws) == before  # rows, index, ops (the erasure's on them too) and runs
    assert discard_left_behind(ws.db) == 0


def test_a_left_import_that_cannot_be_taken_away_does_not_stop_the_start(
    ws, lead, settings, tmp_path, monkeypatch, caplog
):
    """Taking away what a crash left is done at every start; one it cannot take away
    (here the store refuses its notes' delete) is logged and tried at the next start,
    and the terminal opens."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    _refuse_clearing_notes(ws, True)

    def progress(_done: int, _total: int) -> None:
        raise RuntimeError("the process dies after its first batch")

    with pytest.raises(Exception):  # noqa: B017  # its discard is refused too
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    with ws.db.engine.begin() as connection:  # silent for an hour: left behind
        connection.execute(
            text("UPDATE staged_import SET touched_at = :at"), {"at": utcnow() - timedelta(hours=1)}
        )
    ((import_id,),) = rows(ws, "SELECT id FROM staged_import")
    with caplog.at_level(logging.WARNING, logger=lead_staging.__name__):
        opened = open_workstation(settings)
        opened.close()
    assert counts(ws)["staged"] == 1
    said = [r for r in caplog.records if r.name == lead_staging.__name__]
    assert [r.getMessage() for r in said] == [
        f"what the import {uuid.UUID(str(import_id))} left was not cleared"
    ]
    assert (
        said[0].exc_info and said[0].exc_info[0]
    )  # with the store's refusal, for whoever reads the log
    assert discard_left_behind(ws.db) == 0  # refused again: not counted as taken away
    _refuse_clearing_notes(ws, False)
    assert discard_left_behind(ws.db) == 1
    assert counts(ws)["staged"] == counts(ws)["notes"] == counts(ws)["staged_leads"] == 0


def test_a_live_import_is_left_alone_and_a_silent_or_gone_one_taken_away(
    ws, lead, clock, monkeypatch
):
    """At a start, an import whose process lives (this one, another on this machine, one
    it may not signal) or that another machine writes is left alone until it has been
    silent longer than SILENT_FOR; one whose process is gone from this machine is taken
    away at once. Asking whether a process lives sends it no signal."""
    moment = utcnow()
    monkeypatch.setattr(lead_staging, "utcnow", lambda: moment)
    LeadStaging(ws.db, clock, lead.operator_id)  # this process's, touched at the moment
    host = socket.gethostname()

    def owned_by(owner: str) -> None:
        with ws.db.engine.begin() as connection:
            connection.execute(text("UPDATE staged_import SET owner = :owner"), {"owner": owner})

    assert discard_left_behind(ws.db) == 0
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        owned_by(f"{host}:{other.pid}")
        assert discard_left_behind(ws.db) == 0
    finally:
        other.terminate()
        other.wait()
    assert other.returncode == -signal.SIGTERM  # ours: it was sent nothing before
    owned_by("elsewhere.example:999999999")
    assert discard_left_behind(ws.db) == 0
    owned_by(f"{host}:1")
    with monkeypatch.context() as not_ours:  # another user's process (the tests run as root)
        not_ours.setattr(lead_staging.os, "kill", _not_permitted)
        assert discard_left_behind(ws.db) == 0
    owned_by("elsewhere.example:999999999")
    monkeypatch.setattr(lead_staging, "utcnow", lambda: moment + SILENT_FOR)
    assert discard_left_behind(ws.db) == 0  # silent exactly that long: not yet
    monkeypatch.setattr(lead_staging, "utcnow", lambda: moment + SILENT_FOR + timedelta(seconds=1))
    assert discard_left_behind(ws.db) == 1
    monkeypatch.setattr(lead_staging, "utcnow", lambda: moment)
    LeadStaging(ws.db, clock, lead.operator_id)
    owned_by(f"{host}:999999999")  # no such process here
    assert discard_left_behind(ws.db) == 1
    assert counts(ws)["staged"] == 0


def _not_permitted(_pid: int, _signal: int) -> None:
    raise PermissionError("Operation not permitted")


def test_a_failed_import_takes_away_only_its_own_leads_and_the_list_it_made(
    ws, lead, tmp_path, monkeypatch
):
    """Into a list another import filled, a failed import leaves that import's leads and
    the list; into a list of its own, it takes the list away too, whatever other lists
    hold."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    kept = ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10, name="kept")), SALES)
    assert kept.added == 10
    before = counts(ws)

    def progress(_done: int, _total: int) -> None:
        raise RuntimeError("the import fails after its first batch")

    for name in ("kept", "fresh"):
        folder = tmp_path / name
        folder.mkdir()
        failing = ws.leads.read(lead_file(folder, 10, numbers="7313", name=name))
        with pytest.raises(RuntimeError):
            ws.leads.import_file(lead, failing, SALES, progress=progress)
        assert counts(ws) == before, name


def test_a_failed_import_takes_away_the_consents_it_stored(ws, lead, tmp_path, monkeypatch):
    """A file whose rows consent to calls: the consents its first batch stored go with
    the rest when the import fails."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    before = counts(ws)
    rows_of = lead_file(tmp_path, 10).read_text(encoding="utf-8").splitlines()
    with_consent = [rows_of[0] + ";Souhlas"] + [row + ";ano" for row in rows_of[1:]]
    path = tmp_path / "consenting.csv"
    path.write_text("\n".join(with_consent) + "\n", encoding="utf-8")
    stored: list[int] = []

    def progress(_done: int, _total: int) -> None:
        stored.append(counts(ws)["consents"] - before["consents"])
        raise RuntimeError("the import fails after its first batch")

    with pytest.raises(RuntimeError):
        ws.leads.import_file(lead, ws.leads.read(path), SALES, progress=progress)
    assert stored == [5]  # the first batch's consents were stored
    assert counts(ws) == before


def test_a_failed_import_with_an_erased_customer_keeps_a_phone_stored_beside_it(
    ws, lead, jana, tmp_path, monkeypatch
):
    """The phones of the import's erased customer are found by their insert ops; a
    customer another terminal stored meanwhile keeps hers."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    beside = "+420603123456"

    def progress(_done: int, _total: int) -> None:
        ws.customers.create(jana, CustomerDraft(full_name="Ota Nový", phones=beside))
        _erase_by_phone(ws, lead, OBJECTS)
        raise RuntimeError("the import fails after the erasure")

    with pytest.raises(RuntimeError):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    assert rows(ws, "SELECT count(*) FROM customer_phone WHERE e164 = :e164", e164=beside) == [(1,)]
    assert counts(ws)["staged"] == 0


def _erase_by_phone(ws, lead, e164: str) -> None:
    """The customer who has this number erased at their request (a data subject's)."""
    with ws.db.connect() as connection:
        customer = connection.execute(
            text("SELECT customer_id FROM customer_phone WHERE e164 = :e164"), {"e164": e164}
        ).scalar_one()
    ws.data_requests.erase(lead, uuid.UUID(str(customer)), "at their request")
