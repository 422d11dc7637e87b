"""A new-customer form closed in the tick it was opened (a ring from an unknown number that
ends at once: a fresh clone's CI saw it) is gone without a trace: the workstation does not
stop on the focus its mount would have given a field that was already removed."""

from __future__ import annotations

from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.common.views import CustomerDraft
from tests.tui import SIZE, make_app, settle, sign_in


async def test_a_form_closed_before_its_mount_leaves_the_call_screen_working(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        assert isinstance(app.screen, IncomingCallScreen)
        form = CustomerFormScreen(CustomerDraft(full_name="", phones="+420777123456"))
        app.push_screen(form)
        app.pop_screen()  # the same tick: before the form's mount ran
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, IncomingCallScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert app.is_running and app.return_code is None
