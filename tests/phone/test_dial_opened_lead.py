"""A lead opened from F3's list with Enter is dialled as N's is (Pilot, headless, two real
baresip on 127.0.0.1): the customer's baresip rejects it (486: busy, closed with no key);
a lead outside its calling window is opened and not dialled, and its card says why."""

from __future__ import annotations

import pytest

from tests.phone.test_dial_flow import app as app  # the fixture: two baresip
from tests.phone.test_dial_flow import attempts, campaign, dial_line, jana_on_f3, ringing
from tests.tui import settle, wait_until


@pytest.mark.parametrize("app", ["en", "cs"], indirect=True)
async def test_a_lead_opened_with_enter_is_dialled_and_busy_closes_it(app, softphones):
    async with app.run_test(size=(120, 40)) as pilot:
        await jana_on_f3(pilot, campaign())
        await wait_until(pilot, lambda: bool(app.screen.rows))
        await pilot.press("enter")
        await wait_until(pilot, lambda: ringing(app), timeout=20)
        assert softphones[0].command("hangup")["ok"]  # the customer's phone: 486
        await wait_until(pilot, lambda: len(attempts(app)) == 1, timeout=20)
        (attempt,) = attempts(app)
        assert attempt.disposition == "B" and "486" in attempt.note
        phone = app.require_services().phone.latest("101")
        assert (phone.direction, phone.end_code) == ("out", 486)


async def test_a_lead_that_may_not_be_called_is_opened_and_not_dialled(app, softphones):
    late = campaign("late", weekday_window="14:00-20:00", saturday_window="14:00-18:00")
    async with app.run_test(size=(120, 40)) as pilot:
        await jana_on_f3(pilot, late)  # the clock says 9:30
        await wait_until(pilot, lambda: bool(app.screen.rows))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not dialled" in dial_line(app))
        assert "Outside the calling hours" in dial_line(app)
        assert app.screen.lead_open and app.screen.dialled is None
        await settle(pilot)
        assert app.require_services().phone.latest("101") is None  # nothing rang
        assert not any("Incoming call" in line for line in softphones[0].log)
