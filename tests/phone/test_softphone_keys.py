"""Answering and hanging up from the keyboard (Pilot, headless, two real baresip on
127.0.0.1): the customer's baresip calls the operator's, the card pops and the key bar
offers Ctrl+A (answer); Ctrl+A answers on the softphone, the key bar then offers F9 as
"Hang up", and F9 hangs up there: the softphone's hang-up ends the call on screen and in
the store. F9 on a call without a softphone link keeps its meaning (the caller hung up)."""

from __future__ import annotations

from cc_terminal.app import CCTerminal
from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.phone.events import PhoneEventKind
from cc_terminal.widgets.footer import KeyBar
from tests.phone.conftest import Softphone
from tests.phone.test_dial_flow import app as app  # the fixture: two baresip
from tests.phone.test_ring_flow import event, send
from tests.tui import SIZE, settle, sign_in, wait_until


def key_bar(app: CCTerminal) -> str:
    """The key bar's words; none while the screen on top is still being composed."""
    bars = app.screen.query(KeyBar)
    return " · ".join(words for words, _on in bars.first().shown()) if bars else ""


def on_phone_call(app: CCTerminal) -> bool:
    screen = app.screen
    return isinstance(screen, IncomingCallScreen) and screen.call is not None


async def test_ctrl_a_answers_on_the_softphone_and_f9_hangs_up_there(app, softphones):
    customer, operator = softphones
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await wait_until(pilot, lambda: "softphone" not in app.phone_line, timeout=20)
        assert "Pick up" not in key_bar(app)  # nothing rings yet
        assert customer.dial(operator)["ok"]
        await wait_until(pilot, lambda: on_phone_call(app), timeout=20)
        # The bar may still show the ring before the call opened (Pick up alone): wait for both.
        await wait_until(pilot, lambda: "^aPick up" in key_bar(app) and "End call" in key_bar(app))
        assert key_bar(app).index("Pick up") < key_bar(app).index("End call")
        assert "f9Hang up" in key_bar(app)  # a ringing call may be refused too
        await pilot.press("ctrl+a")
        await wait_until(pilot, lambda: app.screen.call.answered_at is not None, timeout=20)
        await settle(pilot)
        assert "Pick up" not in key_bar(app) and "f9Hang up" in key_bar(app)
        assert "Hung up" not in key_bar(app)
        key = app.screen.call.phone_key
        await pilot.press("f9")
        await wait_until(pilot, lambda: app.screen.call.hung_up_at is not None, timeout=20)
        stored = app.require_services().phone.call(key)
        assert stored.answered_at is not None and stored.ended_at is not None
        assert stored.end_reason == "answered"
        await settle(pilot)
        assert "f9H" not in key_bar(app)  # over: neither F9 applies


async def test_ctrl_a_answers_from_the_new_customer_form_a_ring_opened(app, softphones, tmp_path):
    _customer, operator = softphones
    stranger = Softphone(tmp_path / "stranger", "+420777123456").start()  # nobody has it
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "jana")
            await wait_until(pilot, lambda: "softphone" not in app.phone_line, timeout=20)
            assert stranger.dial(operator)["ok"]
            await wait_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen), 20)
            await wait_until(pilot, lambda: key_bar(app).startswith("^aPick up"))
            await pilot.press("ctrl+a")
            phone = app.require_services().phone
            await wait_until(pilot, lambda: phone.latest("101").answered_at is not None, 20)
            assert isinstance(app.screen, CustomerFormScreen)  # the form stays, as typed
            await wait_until(pilot, lambda: "Pick up" not in key_bar(app))
            field = app.screen.focused
            field.value = ""
            await pilot.press("a", "b", "ctrl+a", "x")  # not ringing: the field's go-to-start
            assert field.value == "xab"
    finally:
        stranger.stop()


async def test_f9_without_a_softphone_link_means_the_caller_hung_up(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await send(app, event(app, PhoneEventKind.RING))  # a PBX's ring: no softphone link
        await wait_until(pilot, lambda: on_phone_call(app))
        await settle(pilot)
        assert "f9Hung up" in key_bar(app) and "Pick up" not in key_bar(app)
        await pilot.press("f9")
        await wait_until(pilot, lambda: app.screen.call.hung_up_at is not None)
        assert app.require_services().phone.call("pbx:1").ended_at is None
