"""Re-offers when a cheaper tariff appears, and a campaign's exports with dispositions and
answers, formulas neutralised (on SQLite and PostgreSQL)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import Lead
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import CustomerDraft
from tests.conftest import KNOWN_PHONE
from tests.outbound.outbound_floor import SALES, SURVEY, add, close


def test_a_cheaper_tariff_becomes_re_offers_for_those_who_found_theirs_too_dear(
    floor, lead, jana, petr, clock
):

    from cc_terminal.services.calls.catalog import ProductItem
    from cc_terminal.services.calls.offers import OfferDraft
    from cc_terminal.services.common.views import CallDraft

    caller = floor.customers.lookup_phone(KNOWN_PHONE).matches[0]  # Jan Novák calls us
    started = clock.now - timedelta(minutes=30)
    floor.calls.record(
        jana,
        CallDraft(
            caller.id,
            KNOWN_PHONE,
            started,
            started,
            started + timedelta(minutes=3),
            "tariff_question",
            "advised",
        ),
    )
    floor.offers.record(jana, OfferDraft(caller.id, "MOB-M", False, refusal_reason="too_expensive"))
    add(floor, lead, SALES, [("+420777100201", "Petra Cold")], "hot")
    card = floor.outbound.next_lead(petr)
    close(floor, petr, card, "NI", refusal_reason="too_expensive")
    floor.offers.record(jana, OfferDraft(caller.id, "NET-100", False, refusal_reason="not_now"))
    cheap = ProductItem("MOB-S", "Mobil S", "tariff", 39900, "CZK", date(2026, 11, 1))
    floor.catalog.add(lead, [cheap])  # a cheaper tariff: the re-offers are made at once
    code = "reoffer-mob-s"
    campaign = floor.campaigns.get(code)
    assert (campaign.kind, campaign.product_code) == ("sales", "MOB-S")
    with floor.db.read() as session:
        leads = {
            row.phone_e164: row
            for row in session.scalars(select(Lead).where(Lead.campaign_id == campaign.id))
        }
    assert set(leads) == {KNOWN_PHONE, "+420777100201"}
    assert leads[KNOWN_PHONE].assigned_to == jana.operator_id  # who made the offer
    assert leads[KNOWN_PHONE].temperature == "hot"  # has called us: an existing customer
    again = floor.reoffers.publish(lead, "MOB-S")
    assert (again.added, again.already_in_campaign) == (0, 2)
    card = floor.outbound.next_lead(jana)
    assert card.customer.full_name == "Jan Novák"
    assert card.earlier_offer.price_minor == 59900
    script = card.script.replace("\xa0", " ")  # money has a non-breaking space before Kč
    assert "you save 200,00 Kč" in script and "Mobil M (599,00 Kč)" in script
    floor.catalog.add(
        lead, [ProductItem("NET-50", "Net 50", "tariff", 99900, "CZK", date(2026, 1, 1))]
    )
    assert floor.reoffers.select("NET-50") == []  # dearer than every refused price
    flagged = floor.customers.card(caller.id)
    floor.customers.update(
        jana, caller.id, CustomerDraft.from_card(flagged, do_not_call=True), flagged.version
    )
    cheapest = ProductItem("MOB-XS", "Mobil XS", "tariff", 19900, "CZK", date(2026, 11, 1))
    floor.catalog.add(lead, [cheapest])
    with floor.db.read() as session:
        phones = session.scalars(
            select(Lead.phone_e164).where(
                Lead.campaign_id == floor.campaigns.get("reoffer-mob-xs").id
            )
        ).all()
    assert phones == ["+420777100201"]  # the customer flagged "do not call" gets none


def test_exports_carry_dispositions_and_answers_and_neutralise_formulas(
    floor, lead, jana, tmp_path
):
    import csv
    import stat

    from openpyxl import load_workbook

    add(floor, lead, SURVEY, [("+420777100301", "=HYPERLINK(1)")], "cold")
    card = floor.outbound.next_lead(jana)
    answers = {"provider": "price", "tariff": "+Mobil", "score": "5"}
    close(floor, jana, card, "SALE", answers=answers, notes="@home")
    with pytest.raises(PermissionDenied):
        floor.exports.export(jana, SURVEY, tmp_path / "x.csv", "csv")
    result = floor.exports.export(lead, SURVEY, tmp_path / "survey.csv", "csv")
    assert result.rows == 1 and stat.S_IMODE((tmp_path / "survey.csv").stat().st_mode) == 0o600
    with (tmp_path / "survey.csv").open(encoding="utf-8-sig") as file:
        (row,) = list(csv.DictReader(file, delimiter=";"))
    assert (row["customer"], row["disposition"], row["note"]) == (
        "'=HYPERLINK(1)",
        "SALE",
        "'@home",
    )
    assert (row["q_provider"], row["q_tariff"], row["q_score"]) == ("price", "'+Mobil", "5")
    floor.exports.export(lead, SURVEY, tmp_path / "survey.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "survey.xlsx").active
    values = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert "=HYPERLINK(1)" in values and "SALE" in values  # a text cell, no apostrophe
    floor.exports.export(lead, SURVEY, tmp_path / "vici.txt", "vicidial")
    header, line = (tmp_path / "vici.txt").read_text(encoding="utf-8-sig").splitlines()
    assert header.split("|")[:5] == [
        "vendor_lead_code",
        "source_id",
        "list_id",
        "phone_code",
        "phone_number",
    ]
    fields = line.split("|")
    assert (fields[3], fields[4], fields[25]) == ("420", "777100301", "SALE")
