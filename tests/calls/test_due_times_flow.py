"""Due times from the keyboard: a lead sets a department's working hours on Setup (F10,
Departments, H), the request form proposes due times in them, and a lead's header warns
of their department's overdue requests, whose F7 opens the queue on them."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select, TabbedContent

from cc_terminal.models import ListKind
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.screens.setup.hours import WorkingHoursForm
from cc_terminal.screens.setup.setup import SetupScreen
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.working_hours import WeekHours
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.tui import SIZE, make_app, pop_caller, settle, settled_until, sign_in, wait_until

EVENINGS = WeekHours(("14:00-22:00",) * 5 + ("", ""))


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def cells(app, table_id):
    table = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_technical_hours(pilot):
    await pilot.press("f10")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SetupScreen)
    await pilot.press("6", "down", "down")  # departments: contact centre, billing, technical
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WorkingHoursForm)


async def test_a_lead_sets_a_departments_hours_and_a_wrong_day_is_flagged_and_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await open_technical_hours(pilot)
        assert app.screen.query_one("#hours-day0", Input).value == "08:00-16:30"
        assert app.screen.query_one("#hours-day6", Input).value == ""
        tuesday = app.screen.query_one("#hours-day1", Input)
        tuesday.value = "7-15"
        app.screen.query_one("#hours-day5", Input).value = "09:00-13:00"
        app.screen.query_one("#hours-holidays", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "08:00-16:30" in app.screen.query_one("#day1-field").error
        assert tuesday.value == "7-15" and app.focused is tuesday
        assert rows(
            app.services, "SELECT working_hours FROM reference_item WHERE code = 'technical'"
        ) == [("",)]
        tuesday.value = "07:00-15:30"
        await pilot.press("ctrl+s")
        await settled_until(pilot, lambda: isinstance(app.screen, SetupScreen))
        stored = "08:00-16:30|07:00-15:30|08:00-16:30|08:00-16:30|08:00-16:30|09:00-13:00||holidays"
        assert rows(
            app.services, "SELECT working_hours FROM reference_item WHERE code = 'technical'"
        ) == [(stored,)]
        await settled_until(
            pilot, lambda: app.lists.find(ListKind.DEPARTMENT, "technical").working_hours == stored
        )
        line = cells(app, "#setup-department")[2]
        assert line[3] == (
            "Mon 08:00-16:30, Tue 07:00-15:30, Wed-Fri 08:00-16:30, Sat 09:00-13:00, holidays too"
        )


async def test_the_request_form_proposes_the_due_time_in_the_departments_hours(app, clock):
    """Friday 9:30: a technical fault's four hours end at 13:30 in the default hours; routed
    to a department that works evenings they end at 18:00; a typed time stays."""
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        ws = app.services
        lead = login(ws, "lead")
        billing = ws.reference.lists().find(ListKind.DEPARTMENT, "billing")
        ws.reference.save(
            lead, ListKind.DEPARTMENT, replace(billing, working_hours=EVENINGS.text())
        )
        await app.reload_lists()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        due = app.screen.query_one("#request-due", Input)
        app.screen.query_one("#request-category", Select).value = "technical_fault"
        await wait_until(pilot, lambda: due.value == "27.11.2026 13:30")
        app.screen.query_one("#request-department", Select).value = "billing"
        await wait_until(pilot, lambda: due.value == "27.11.2026 18:00")
        due.value = "30.11.2026 09:00"
        app.screen.query_one("#request-department", Select).value = "technical"
        await settle(pilot)
        assert due.value == "30.11.2026 09:00"


async def test_a_lead_is_alerted_to_overdue_requests_and_f7_opens_them(app, clock):
    from cc_terminal.services.workstation import open_workstation

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        assert not app.screen.query_one("#header-overdue").display
        other = open_workstation(app.settings, clock=clock)  # Jana's terminal
        try:
            jana = login(other, "jana")
            customer = other.customers.lookup_phone(KNOWN_PHONE).matches[0].id
            for summary, minutes in (("Call back about the bill", 10), ("At closing", 420)):
                draft = RequestDraft(
                    customer, "question", summary, due_at=clock.now + timedelta(minutes=minutes)
                )
                other.requests.create(jana, draft)
            billing = RequestDraft(
                customer, "billing", "Not the lead's", due_at=clock.now + timedelta(minutes=5)
            )
            other.requests.create(jana, billing)
        finally:
            other.close()
        clock.advance(3600)
        badge = app.screen.query_one("#header-overdue")
        await wait_until(pilot, lambda: "1 request overdue · F7" in str(badge.content))
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.query_one(TabbedContent).active == "tab-requests"
        assert app.screen.query_one("#queue-department", Select).value == "contact_centre"
        await settled_until(pilot, lambda: len(cells(app, "#request-queue")) == 2)
        lines = cells(app, "#request-queue")
        assert lines[0][0].startswith("OVERDUE") and lines[0][5] == "Call back about the bill"
        assert not lines[1][0].startswith("OVERDUE")
        assert app.screen.query_one("#request-queue", DataTable).cursor_row == 0
        # due at 16:30, closing time: overdue from Monday's first working minute
        clock.now = datetime(2026, 11, 30, 7, 1, tzinfo=UTC)
        await wait_until(pilot, lambda: "2 requests overdue" in str(badge.content))
