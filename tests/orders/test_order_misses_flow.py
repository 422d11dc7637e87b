"""A missed visit from F4's keys: M is not offered (and does nothing) before the visit's slot
has begun; the suggested apology comes selected, so what the team lead types replaces it
instead of being glued to it; the lead is told who confirms the new time."""

import pytest
from sqlalchemy import select

from cc_terminal.models import OrderEvent
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.orders.orders import OrdersScreen
from tests.conftest import KNOWN_PHONE, login
from tests.orders.order_floor import equipment, set_up_orders
from tests.tui import SIZE, make_app, settle, settled_until, sign_in, type_text

TOLD = "Omlouváme se, technik přijede zítra."


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def orders_with_a_visit(pilot) -> OrdersScreen:
    """Jana's equipment order with a visit today 10:00-12:00; the team lead on F4 at 09:30."""
    await sign_in(pilot, "lead")
    ws = pilot.app.require_services()
    set_up_orders(ws, login(ws, "lead"))
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.orders.submit(login(ws, "jana"), equipment(ws, customer))
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OrdersScreen) and screen.current is not None
    assert screen.current.row.visit_slot == "10:00-12:00"
    return screen


def missed_notes(app) -> list[str]:
    with app.require_services().db.read() as session:
        query = select(OrderEvent.note).where(OrderEvent.to_status == "missed")
        return list(session.scalars(query))


async def test_m_is_not_offered_before_the_visits_slot_has_begun(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        screen = await orders_with_a_visit(pilot)
        assert not screen.check_action("missed", ())
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is screen and missed_notes(app) == []
        clock.advance(30 * 60)  # 10:00: the slot begins
        assert screen.check_action("missed", ())
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)


async def test_the_apology_typed_replaces_the_suggested_one(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        screen = await orders_with_a_visit(pilot)
        clock.advance(45 * 60)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await type_text(pilot, TOLD)
        await pilot.press("enter")
        assert await settled_until(pilot, lambda: missed_notes(app) == [TOLD])
        assert app.screen is screen
        told = [n.message for n in app._notifications]
        assert any("Re-booked" in m and "Jana Svobodová, who took the order" in m for m in told)
