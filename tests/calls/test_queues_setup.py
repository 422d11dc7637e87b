"""F7 queues (requests by due time, escalations for leads, the header badge) and F10
Setup (lists and catalogue), driven from the keyboard."""

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Select, TabbedContent

from cc_terminal.models.base import new_id
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.calls.request_move import RequestMoveForm
from cc_terminal.screens.setup.forms import ChoiceForm, ImportForm, ProductForm
from cc_terminal.screens.setup.setup import SetupScreen
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.calls.requests import RequestDraft
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def cells(app, table_id):
    table = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def customer(ws):
    return ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id


async def test_an_operator_sees_their_departments_queue_overdue_first_and_moves_a_request(
    app, clock
):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "petr")  # billing
        ws, petr = app.services, app.actor
        jana = login(ws, "jana")
        late = RequestDraft(
            customer(ws), "billing", "Double charge", due_at=clock.now + timedelta(minutes=10)
        )
        ws.requests.create(jana, late)
        ws.requests.create(jana, RequestDraft(customer(ws), "billing", "Invoice copy"))
        ws.requests.create(jana, RequestDraft(customer(ws), "complaint", "Rude technician"))
        clock.advance(3600)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        lines = cells(app, "#request-queue")
        assert [line[5] for line in lines] == ["Double charge", "Invoice copy"]
        assert lines[0][0].startswith("OVERDUE") and not lines[1][0].startswith("OVERDUE")
        assert app.screen.query_one("#queue-department", Select).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestMoveForm)
        assert cells(app, "#request-history")[0][1] == "open"
        app.screen.query_one("#move-status", Select).value = "resolved"
        app.screen.query_one("#move-note", Input).value = "refunded"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert [line[5] for line in cells(app, "#request-queue")] == ["Invoice copy"]
        await pilot.press("a")
        await settle(pilot)
        assert len(cells(app, "#request-queue")) == 2
        assert petr.department == "billing"


async def test_reopening_without_a_note_is_flagged_and_nothing_moves(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        ws, lead = app.services, app.actor
        request = ws.requests.create(lead, RequestDraft(customer(ws), "billing", "Invoice copy"))
        ws.requests.transition(lead, request.id, "resolved")
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#move-status", Select).value = "reopened"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#note-field").error == "Say why it is reopened."
        assert rows(ws, "SELECT status FROM service_request") == [("resolved",)]


async def test_a_lead_sees_the_badge_at_once_and_takes_the_escalation(app, clock):
    from cc_terminal.services.workstation import open_workstation

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        assert not app.screen.query_one("#header-badge").display
        other = open_workstation(app.settings, clock=clock)  # Jana's terminal
        try:
            jana = login(other, "jana")
            draft = EscalationDraft(
                new_id(),
                customer(other),
                clock.now - timedelta(minutes=4),
                "complaint",
                "Wants a manager",
            )
            other.escalations.raise_(jana, draft)
        finally:
            other.close()
        badge = app.screen.query_one("#header-badge")
        await wait_until(pilot, lambda: "1 escalation waiting" in str(badge.content))
        assert badge.display
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "tab-escalations"
        line = cells(app, "#escalation-queue")[0]
        assert line[1:4] == ["waiting 00:00", "Jana Svobodová", "Jan Novák"]
        assert line[5:] == ["04:00", "Wants a manager"]
        await pilot.press("enter")  # opens it
        await settle(pilot)
        await pilot.press("t", "escape")
        await settle(pilot)
        assert rows(app.services, "SELECT status FROM escalation") == [("taken",)]
        assert cells(app, "#escalation-queue")[0][1] == "taken · Lída Vedoucí"
        await wait_until(pilot, lambda: not app.screen.query_one("#header-badge").display)


async def test_operators_have_no_setup_and_no_escalation_tab(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f10")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        await pilot.press("f7")
        await settle(pilot)
        assert not app.screen.query("#escalation-queue")


async def test_a_lead_adds_a_refusal_reason_and_the_offer_form_offers_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("4")  # refusal reasons
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceForm)
        await type_text(pilot, "Bad Code")
        await pilot.press("enter")
        await type_text(pilot, "Bad timing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "lower-case" in app.screen.query_one("#code-field").error
        code = app.screen.query_one("#setup-code", Input)
        assert code.value == "Bad Code"
        code.value = "bad_timing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert cells(app, "#setup-refusal_reason")[-1][:2] == ["bad_timing", "Bad timing"]
        assert app.lists.is_active("refusal_reason", "bad_timing")


async def test_retiring_a_reason_removes_it_from_new_calls(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("2", "r")  # call reasons: retire the first (tariff question)
        await settle(pilot)
        await settle(pilot)
        assert cells(app, "#setup-call_reason")[0][-1] == "retired"
        await pilot.press("f2")
        await settle(pilot)
        reasons = app.screen.query_one("#reason", Select)
        assert "tariff_question" not in [value for _, value in reasons._options]


async def test_a_lead_adds_a_catalogue_item_and_bad_dates_are_flagged(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ProductForm)
        values = {"code": "TV-MAX", "name": "TV max", "price": "299,00", "valid_from": "31.13.2026"}
        for name, value in values.items():
            app.screen.query_one(f"#setup-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "date" in app.screen.query_one("#valid_from-field").error
        app.screen.query_one("#setup-valid_from", Input).value = "1.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert ["TV-MAX", "TV max"] in [line[:2] for line in cells(app, "#setup-catalogue")]


async def test_a_csv_import_with_a_bad_row_lists_it_and_imports_nothing(app, tmp_path):
    path = tmp_path / "departments.csv"
    path.write_text("code,label\ntreasury,Treasury\nBad!,Oops\n")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("6", "i")
        await settle(pilot)
        assert isinstance(app.screen, ImportForm)
        app.screen.query_one("#setup-path", Input).value = str(path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#form-message").content)
        assert "line 3" in message and "lower-case" in message
        path.write_text("code,label\ntreasury,Treasury\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert cells(app, "#setup-department")[-1][:2] == ["treasury", "Treasury"]


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ("n", "#setup-code"),  # the catalogue's new item
        ("6i", "#setup-path"),  # departments: a CSV file's path
        ("e", "#phone-extension"),  # this terminal's phone (the app's form)
    ],
)
async def test_what_is_typed_right_behind_a_setup_letter_is_all_in_the_form_it_opens(
    app, keys, field
):
    """A Setup list's letter that opens a form, and what is typed behind it queued at once,
    as a fast typist's keys reach the app: the whole of it is in the form's first field (it
    had reached the list: lost, or run the screen's other letters and digits)."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10")
        await settle(pilot)
        await type_text(pilot, keys + "tv_max.2")
        await settle(pilot)
        assert app.screen.query_one(field, Input).value == "tv_max.2"
