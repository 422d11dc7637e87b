"""How working hours and overdue requests look (120x40 and 80x24, fixed clock): Setup's
Departments with their weeks, a department's hours form with a wrong day, and a lead's
overdue badge."""

from dataclasses import replace
from datetime import timedelta

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.working_hours import WeekHours
from tests.screens.test_snapshots import keys, steps
from tests.tui import BOTH_SIZES, make_app, settle, sign_in, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def lead_with_evening_support(pilot):
    """The lead signed in; technical support works 14:00-22:00 on weekdays and 9-13 on
    Saturdays, public holidays too."""
    await sign_in(pilot, "lead")
    app = pilot.app
    ws, lead = app.require_services(), app.require_actor()
    technical = ws.reference.lists().find(ListKind.DEPARTMENT, "technical")
    week = WeekHours(("14:00-22:00",) * 5 + ("09:00-13:00", ""), open_on_holidays=True)
    ws.reference.save(lead, ListKind.DEPARTMENT, replace(technical, working_hours=week.text()))
    await app.reload_lists()


async def wrong_tuesday(pilot):
    pilot.app.screen.query_one("#hours-day1").value = "8-16"
    await pilot.press("ctrl+s")
    await settle(pilot)


@BOTH_SIZES
def test_setup_departments_with_working_hours(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lead_with_evening_support, keys("f10"), keys("6")),
    )


@BOTH_SIZES
def test_working_hours_form_with_a_wrong_day(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            lead_with_evening_support,
            keys("f10"),
            keys("6", "down", "down"),
            keys("h"),
            wrong_tuesday,
        ),
    )


@BOTH_SIZES
def test_overdue_badge_for_a_lead(snap_compare, app, clock, size):
    async def overdue_request(pilot):
        ws, lead = pilot.app.require_services(), pilot.app.require_actor()
        customer = ws.customers.lookup_phone("+420601123456").matches[0].id
        due = clock.now + timedelta(minutes=5)
        ws.requests.create(lead, RequestDraft(customer, "question", "Call back", due_at=due))
        clock.advance(600)
        header = pilot.app.screen.query_one("#header-overdue")
        now = clock.now.astimezone(pilot.app.zone).strftime("%H:%M")
        # the badge and the header's clock each follow their own timer: both, or the
        # picture holds the clock of before the advance whenever the badge comes first
        await wait_until(pilot, lambda: header.display and pilot.app.clock_text == now)

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), overdue_request),
    )
