"""Escape on a form: closes at once when nothing was typed, asks first when something was
(Y throws it away, N or Escape goes back with the typing kept)."""

import pytest
from textual.widgets import TextArea

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.screens.discard import ConfirmDiscard
from cc_terminal.screens.orders.form import OrderForm
from tests.tui import SIZE, make_app, pop_caller, settle, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_an_untouched_form_closes_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)


async def test_a_form_typed_in_asks_before_throwing_it_away(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+t", "2")
        await type_text(pilot, "No signal since Monday")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RequestForm)
        assert form.query_one("#request-summary", TextArea).text == "No signal since Monday"
        await pilot.press("escape", "escape")  # asked again; Escape goes back too
        await settle(pilot)
        assert app.screen is form
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)


async def test_an_order_form_with_a_choice_made_asks_too(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+w", "1")
        await settle(pilot)
        assert isinstance(app.screen, OrderForm)
        await type_text(pilot, "Praha")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
