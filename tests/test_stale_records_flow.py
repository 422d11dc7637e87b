"""No key acts on a record after another is shown: a load answered late (F4's detail, F6's
week, F5's period, F3's card) is dropped once the screen has moved on, and a key waits for
the record on screen (Pilot, headless, real SQLite file). F2's call has its own file,
tests/test_call_number_flow.py."""

import threading

import pytest
from textual.widgets import Static

from cc_terminal.screens.orders import OrdersScreen
from tests.conftest import KNOWN_PHONE, login
from tests.order_floor import equipment, set_up_orders
from tests.tui import SIZE, make_app, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def wait_for(pilot, done) -> None:
    """Pause until ``done()`` holds, without waiting on a worker the test holds back."""
    for _try in range(200):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never got there")


class Held:
    """Wraps a service method: calls go through until ``hold()``; the next one then waits
    until ``release()``, as a slow store would."""

    def __init__(self, method) -> None:
        self.method = method
        self.holding = False
        self.entered = threading.Event()
        self.released = threading.Event()

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.released.set()

    def __call__(self, *args, **kwargs):
        if self.holding:
            self.holding = False
            self.entered.set()
            self.released.wait(10)
        return self.method(*args, **kwargs)


async def test_f4_a_detail_answered_after_the_list_emptied_is_not_acted_on(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        set_up_orders(ws, login(ws, "lead"))
        customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        jana = login(ws, "jana")
        for _order in range(2):
            ws.orders.submit(jana, equipment(ws, customer))
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and len(screen.rows) == 2
        detail = Held(ws.order_book.detail)
        ws.order_book.detail = detail
        detail.hold()
        await pilot.press("down")  # the second order's detail is slow to come
        await wait_for(pilot, detail.entered.is_set)
        await pilot.press("slash")
        await type_text(pilot, "Xylofon")  # matches no order: the list empties
        await wait_for(pilot, lambda: screen.rows == [])
        detail.release()
        await settle(pilot)
        assert screen.current is None and not screen.check_action("missed", ())
        text = str(screen.query_one("#order-detail", Static).content)
        assert text == "No order highlighted."
