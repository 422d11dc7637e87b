"""The number an incoming call is saved and blocked under is the one the caller was
identified by, or the card's: never one left over from an earlier look-up (Pilot,
headless, real SQLite file; the stored row checked through the service on both stores)."""

import threading

import pytest
from textual.widgets import Input, Static

from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.pickers import ConfirmObjection, CustomerPicker, OutcomePicker
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.helpers import rows
from tests.tui import (
    SIZE,
    choose_first_reason,
    make_app,
    pop_caller,
    settle,
    sign_in,
    type_text,
    wait_until,
)

STRANGER = "777 000 111"


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def end_call(pilot) -> None:
    await choose_first_reason(pilot)
    await pilot.press("ctrl+e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OutcomePicker)
    await pilot.press("2")
    await settle(pilot)


async def marie_after_a_stranger(pilot) -> None:
    """The issue's steps: a number nobody has, the new-customer form left, the number
    cleared, then a caller found by name."""
    await pop_caller(pilot, STRANGER)
    assert isinstance(pilot.app.screen, CustomerFormScreen)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("escape")  # clears the number
    await type_text(pilot, "novakova brno")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomerPicker)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.screen.card.full_name == "Marie Nováková"


def dialog_text(app) -> str:
    return " ".join(str(static.content) for static in app.screen.query(Static))


async def test_do_not_call_asks_for_the_card_number_not_one_typed_before(app):
    async with app.run_test(size=SIZE) as pilot:
        await marie_after_a_stranger(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmObjection)
        assert "+420 602 000 111" in dialog_text(app)
        assert "777" not in dialog_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert rows(app.services, "SELECT phone_e164 FROM objection") == [(SHARED_PHONE,)]


async def test_a_call_found_by_name_is_saved_under_the_card_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await marie_after_a_stranger(pilot)
        await end_call(pilot)
        assert rows(app.services, "SELECT phone_e164 FROM call") == [(SHARED_PHONE,)]


async def test_the_next_call_found_by_name_does_not_keep_the_last_callers_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await end_call(pilot)
        await type_text(pilot, "novakova brno")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        await end_call(pilot)
        stored = rows(app.services, "SELECT phone_e164 FROM call ORDER BY started_at, phone_e164")
        assert sorted(stored) == sorted([(KNOWN_PHONE,), (SHARED_PHONE,)])


async def test_a_number_several_customers_share_stays_the_calls_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "602 000 111")
        assert isinstance(app.screen, CustomerPicker)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        await end_call(pilot)
        assert rows(app.services, "SELECT phone_e164 FROM call") == [(SHARED_PHONE,)]


async def test_a_card_read_again_after_its_call_ended_stays_out_of_the_next_call(app):
    """Ctrl+U and Escape read the caller's card again; it comes back only after that call was
    saved and the next caller's card is open: the late card is dropped."""
    release = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        customers = app.require_services().customers
        real_card = customers.card
        held = []

        def card_held_once(customer_id):
            if not held:
                held.append(customer_id)
                release.wait(10)
            return real_card(customer_id)

        customers.card = card_held_once
        await pilot.press("ctrl+u")
        await settle(pilot)
        await pilot.press("escape")  # the form left: the card is read again, held back
        await wait_until(pilot, lambda: bool(held))
        await choose_first_reason(pilot)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, OutcomePicker))
        await pilot.press("2")
        await wait_until(pilot, lambda: not app.screen.call_open)
        await type_text(pilot, "novakova brno")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.call_open)
        release.set()
        await settle(pilot)
        assert app.screen.card.full_name == "Marie Nováková"
        await end_call(pilot)
        stored = rows(
            app.services, "SELECT c.full_name FROM call JOIN customer c ON c.id = call.customer_id"
        )
        assert sorted(stored) == [("Jan Novák",), ("Marie Nováková",)]


async def test_a_look_up_answered_after_another_call_opened_leaves_that_call_alone(app):
    release = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        customers = app.require_services().customers
        real_lookup = customers.lookup_phone

        def slow_lookup(raw):
            release.wait(10)  # the store is slow to answer this one
            return real_lookup(raw)

        customers.lookup_phone = slow_lookup
        await type_text(pilot, "601123456")
        await pilot.press("enter", "escape")  # the operator gives up on the number
        await type_text(pilot, "novakova brno")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.call_open)
        release.set()
        await settle(pilot)
        assert app.screen.card.full_name == "Marie Nováková"
        assert app.screen.query_one("#phone", Input).value == "novakova brno"


async def test_a_number_corrected_in_the_new_customer_form_is_the_calls_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, STRANGER)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        form.query_one("#customer-full_name", Input).value = "Eva Nová"
        form.query_one("#customer-phones", Input).value = "777 000 112"  # misheard first
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        await end_call(pilot)
        assert rows(app.services, "SELECT phone_e164 FROM call") == [("+420777000112",)]
