"""Run only by test_adding_a_field.py, in a copy of the source whose customer_fields.py
declares one more field, the floor of the flat (a whole number 0-99, "Patro" in a lead
file, "floor" in the lead export), and whose migrations add its column; nothing else of
the copy differs. Its name does not start with test_, so the suite does not collect it."""

import csv
import os
from pathlib import Path

import cc_terminal
from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.services.outbound.lead_files import read_lead_file
from cc_terminal.widgets.customer_card import CustomerCard as CardWidget
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from tests.outbound.outbound_floor import SURVEY, set_up_campaigns
from tests.sync.kit import Floor, customer_id_of, edit_customer, new_customer, two_terminals
from tests.tui import SIZE, make_app, pop_caller, settle


def test_this_is_the_copy_that_declares_the_field():
    assert Path(cc_terminal.__file__).is_relative_to(os.environ["CC_TERMINAL_COPY"])


async def test_the_form_checks_it_and_the_card_shows_it(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        field = form.query_one("#customer-flat_floor", FormInput)
        labels = [str(label.content) for label in form.query(".field-label")]
        assert "Floor of the flat" in labels
        field.value = "120"
        await pilot.press("ctrl+s")
        await settle(pilot)
        flagged = [f for f in form.query(FormField) if f.name == "flat_floor"]
        assert flagged[0].error == "A whole number from 0 to 99."
        field.value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.card.flat_floor == "3"
        shown = str(app.screen.query_one(CardWidget).query_one("#card-details").text)
        assert "\nFloor of the flat: 3" in shown


def test_a_lead_file_carries_it_and_the_lead_export_has_it(ws, lead, tmp_path):
    set_up_campaigns(ws, lead)
    source = tmp_path / "leads.csv"
    source.write_text("Jméno;Telefon;Patro\nJana Nováková;+420731222001;4\n", encoding="utf-8")
    report = ws.leads.import_file(lead, read_lead_file(source), SURVEY, temperature="cold")
    assert report.added == 1
    ws.exports.export(lead, SURVEY, tmp_path / "out.csv", "csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as file:
        (row,) = csv.DictReader(file, delimiter=";")
    assert (row["customer"], row["floor"]) == ("Jana Nováková", "4")


def test_a_synced_terminal_gets_it(tmp_path):
    floor = Floor(tmp_path)
    t1, t2 = two_terminals(floor)
    new_customer(t1, "Eva Černá", "+420601123456")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, flat_floor="7")
    floor.settle()
    assert t2.ws.customers.card(customer).flat_floor == "7"
    assert t2.ws.customers.card(customer).city == "Praha"  # not named by the edit: kept
    assert [hit.full_name for hit in t2.ws.search.search("eva cerna")] == ["Eva Černá"]
