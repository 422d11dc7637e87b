"""What happens to a staged import's numbers between its batches and the step that shows
them (services/outbound/lead_staging.py): a number that objects to calls meanwhile, at
another terminal, is not opened by the showing step; it is closed as the objection closes
an open lead. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

from cc_terminal.services.outbound import lead_import
from tests.outbound.outbound_floor import SALES, set_up_campaigns
from tests.outbound.test_staged_import import lead_file

OBJECTS = "+420731200003"  # the file's fourth number, stored in the first batch


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
