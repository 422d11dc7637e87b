"""What a failed staged import's discard takes away when the floor went on beside it
(services/outbound/lead_staging.py): a new customer of the import that another campaign's
import gave a lead meanwhile stays, whole, with that lead; a list that was there before
the import, empty, stays. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.models import LeadList
from cc_terminal.services.outbound import lead_discard, lead_import
from tests.helpers import rows
from tests.outbound.outbound_floor import SALES, SURVEY, set_up_campaigns
from tests.outbound.test_staged_import import counts, lead_file

SHARED = "+420731200002"  # the failing import's third number, a new customer of its first batch


def test_a_new_customer_another_campaign_gave_a_lead_meanwhile_stays_with_it(
    ws, lead, tmp_path, monkeypatch
):
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    before = counts(ws)
    other = tmp_path / "other"
    other.mkdir()
    beside = lead_file(other, 2, numbers="7314", name="beside")
    beside.write_text(beside.read_text(encoding="utf-8") + f"Věra;Staged 2;{SHARED};Kolín\n")

    def progress(done: int, _total: int) -> None:
        if done == 5:  # meanwhile another campaign's import finds the new customer by phone
            report = ws.leads.import_file(lead, ws.leads.read(beside), SURVEY)
            assert (report.added, report.new_customers) == (3, 2)
            raise RuntimeError("the first import fails after it")

    with pytest.raises(RuntimeError, match="fails after it"):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    after = counts(ws)
    assert after["staged"] == after["notes"] == after["staged_leads"] == 0
    assert after["open"] == before["open"] + 3  # the other import's, whole
    assert after["customers"] == before["customers"] + 3
    assert after["phones"] == before["phones"] + 3
    assert after["pairs"] == after["counted"]
    kept = rows(
        ws,
        "SELECT c.id FROM customer c JOIN customer_phone p ON p.customer_id = c.id "
        "JOIN lead l ON l.customer_id = c.id WHERE p.e164 = :e164",
        e164=SHARED,
    )
    assert len(kept) == 1
    customer_id = str(uuid.UUID(str(kept[0][0])))
    ops = rows(
        ws,
        "SELECT entity FROM outbox_op WHERE row_id = :row_id OR "
        "(entity = 'customer_phone' AND changes LIKE :owned)",
        row_id=customer_id,
        owned=f'%"customer_id": "{customer_id}"%',
    )
    assert sorted(entity for (entity,) in ops) == ["customer", "customer_phone"]  # for sync
    assert rows(ws, "SELECT count(*) FROM customer_term WHERE customer_id = :id", id=kept[0][0])[0][
        0
    ]


def test_a_list_that_was_there_before_the_failed_import_stays(
    ws, lead, tmp_path, monkeypatch, clock
):
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    campaign = rows(ws, "SELECT id FROM campaign WHERE code = :code", code=SALES)[0][0]
    with ws.db.write(lead.operator_id) as session:
        session.add(
            LeadList(
                campaign_id=uuid.UUID(str(campaign)),
                name="prepared",
                source="",
                temperature="cold",
                created_at=clock() - timedelta(days=1),
                created_by=lead.operator_id,
            )
        )
    before = counts(ws)

    def progress(_done: int, _total: int) -> None:
        raise RuntimeError("the import fails after its first batch")

    with pytest.raises(RuntimeError):
        ws.leads.import_file(
            lead,
            ws.leads.read(lead_file(tmp_path, 10)),
            SALES,
            list_name="prepared",
            progress=progress,
        )
    assert counts(ws) == before
    assert rows(ws, "SELECT name FROM lead_list") == [("prepared",)]


def test_a_failed_import_of_more_rows_than_one_statement_names_takes_them_all(
    ws, lead, tmp_path, monkeypatch
):
    """The discard names its rows in chunks (SQLite's variable limit); every chunk's
    customers and phones go, not the last one's alone."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    monkeypatch.setattr(lead_discard, "_CHUNK", 2)  # five new customers: chunks of 2, 2, 1
    before = counts(ws)

    def progress(_done: int, _total: int) -> None:
        raise RuntimeError("the import fails after its first batch")

    with pytest.raises(RuntimeError):
        ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress)
    assert counts(ws) == before


def test_a_change_to_a_kept_list_during_a_failed_import_stays(ws, lead, tmp_path, monkeypatch):
    """A list that keeps leads of an earlier import is not the failed import's to drop, nor
    is what another terminal changed in it meanwhile (its op is the floor's record)."""
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    first = tmp_path / "first"
    first.mkdir()
    kept = ws.leads.read(lead_file(first, 3, numbers="7315", name="kept"))
    assert ws.leads.import_file(lead, kept, SALES, list_name="kept").added == 3
    (list_id,) = rows(ws, "SELECT id FROM lead_list WHERE name = 'kept'")[0]

    def progress(_done: int, _total: int) -> None:
        with ws.db.write(lead.operator_id) as session:
            found = session.get(LeadList, uuid.UUID(str(list_id)))
            assert found is not None
            found.temperature = "hot"
        raise RuntimeError("the import fails after the list changed")

    with pytest.raises(RuntimeError, match="after the list changed"):
        ws.leads.import_file(
            lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, list_name="kept", progress=progress
        )
    assert rows(ws, "SELECT temperature FROM lead_list WHERE name = 'kept'") == [("hot",)]
    changed = rows(
        ws,
        "SELECT count(*) FROM outbox_op WHERE entity = 'lead_list' AND kind = 'update' "
        "AND row_id = :row_id",
        row_id=str(uuid.UUID(str(list_id))),
    )
    assert changed == [(1,)]
    assert counts(ws)["open"] == 3
