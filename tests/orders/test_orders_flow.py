"""Orders from the keyboard: each kind from a call to the read-back and the stored order, the
address input, the slot picker, a slot taken meanwhile, drafts, F4's list and the
missed-visit flow, and a team lead's export."""

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, TextArea

from cc_terminal.models import CustomerOrder, OrderEvent
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.orders.dialogs import KindPicker, ReadBackPanel, SlotPicker, TextDialog
from cc_terminal.screens.orders.form import OrderForm
from cc_terminal.screens.orders.orders import OrdersScreen
from cc_terminal.widgets.address_input import AddressInput
from cc_terminal.widgets.in_place_text import InPlaceText
from tests.conftest import KNOWN_PHONE, login
from tests.orders.order_floor import ELEKTRARNY_9, LOAN, equipment, set_up_orders
from tests.tui import SIZE, make_app, pop_caller, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def open_form(pilot, kind_key: str) -> OrderForm:
    await pop_caller(pilot, KNOWN_PHONE)
    set_up_orders(pilot.app.require_services(), login(pilot.app.require_services(), "lead"))
    await pilot.press("ctrl+w")
    await settle(pilot)
    assert isinstance(pilot.app.screen, KindPicker)
    await pilot.press(kind_key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, OrderForm)
    return form


async def type_address(pilot, town: str, street: str, number: str) -> None:
    """Type each part and take the first suggestion with Enter, as an operator would."""
    await type_text(pilot, town)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, street)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, number)
    await pilot.press("enter")
    await settle(pilot)


def stored_orders(app):
    with app.require_services().db.read() as session:
        return session.scalars(select(CustomerOrder)).all()


async def test_an_equipment_order_from_a_call_end_to_end(app):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "2")
        await type_address(pilot, "Praha", "u elektrarny", "10a")
        address = form.query_one("#address-address", AddressInput)
        assert address.chosen is not None and address.chosen.code == ELEKTRARNY_9
        assert "170 00 Praha 7" in str(form.query_one("#address-found", InPlaceText).text)
        form.query_one("#material-0", Select).value = "ROUTER-AX"
        form.query_one("#quantity-0").value = "1"
        form.query_one("#order-work", Select).value = "WORK-VISIT"
        form.query_one("#order-pay_method", Select).value = "account"
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, SlotPicker)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is form and form.slot is not None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadBackPanel)
        sentence = str(app.screen.query_one("#read-back-sentence").content)
        assert "U Elektrárny 9/10a" in sentence and "3\xa0430,00" in sentence
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        [order] = stored_orders(app)
        assert order.status == "scheduled" and order.visit_slot == form.slot.slot
        assert order.call_id == app.screen.call.call_id


async def test_bad_input_stays_and_each_message_is_next_to_its_field(app):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "3")
        await type_address(pilot, "Praha", "namesti miru", "16")
        error = form.query_one("#address-number-field").error
        assert "No 16 on náměstí Míru" in error and "Nearest: 15, 9" in error
        form.query_one("#order-loan_product", Select).value = LOAN
        form.query_one("#order-amount").value = "900000"
        form.query_one("#order-months").value = "60"
        await pilot.pause()
        assert "Monthly payment" in str(form.query_one("#loan-payment", InPlaceText).text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#amount-field").error.startswith("Půjčka Klasik lends")
        assert form.query_one("#address-field").error
        assert form.query_one("#order-amount").value == "900000"  # kept as typed
        assert stored_orders(app) == []


async def test_f4_lists_orders_and_a_missed_visit_is_put_right_with_one_key(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "2")
        await type_address(pilot, "Praha", "u elektrarny", "9/10a")
        form.query_one("#material-0", Select).value = "CABLE-5"
        form.query_one("#quantity-0").value = "2"
        form.query_one("#order-work", Select).value = "WORK-VISIT"
        form.query_one("#order-pay_method", Select).value = "invoice"
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+e", "1")  # end the call
        await settle(pilot)
        clock.advance(3600)  # 10:30: the visit's slot (10:00-12:00) has begun
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        assert len(screen.rows) == 1 and screen.current is not None
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.current.row.status == "rescheduled" and screen.current.row.priority
        with app.require_services().db.read() as session:
            steps = session.scalars(select(OrderEvent.to_status).order_by(OrderEvent.seq)).all()
        assert steps == ["submitted", "scheduled", "missed", "rescheduled"]


async def test_no_key_acts_on_the_order_shown_before_the_list_narrowed(app, clock):
    """A search narrows F4's list; until the detail of the order now under the cursor has
    arrived, M must not report the previously shown order's visit as missed."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        set_up_orders(ws, login(ws, "lead"))
        customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        jana = login(ws, "jana")
        ws.orders.submit(jana, equipment(ws, customer))
        ws.orders.submit(jana, equipment(ws, customer))
        clock.advance(4 * 3600)  # 13:30: both visits' slots have begun
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and screen.current is not None
        shown = screen.current.row.id
        screen.show_list([row for row in screen.rows if row.id != shown])
        assert screen.current is None and not screen.check_action("missed", ())
        await settle(pilot)
        assert screen.current is not None and screen.current.row.id != shown
        assert screen.check_action("missed", ())


async def test_a_web_order_confirmation_and_a_taxi_from_the_keyboard(app):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "5")
        await type_address(pilot, "Kolín", "kutnohorska", "41")
        form.query_one("#order-web_number").value = "W-2026-1"
        form.query_one("#order-delivery").value = "2.12.2026"
        form.query_one("#order-items", TextArea).text = "1x router\n2x cable"
        form.query_one("#order-confirmation", Select).value = "confirmed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadBackPanel)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+w", "4")
        await settle(pilot)
        taxi = app.screen
        assert isinstance(taxi, OrderForm)
        await type_address(pilot, "Praha", "u elektrarny", "20")
        await type_address(pilot, "Trojanovice", "bystre", "ev. 12")
        taxi.query_one("#order-when").value = "16:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadBackPanel)
        assert "Bystré ev. 12" in str(app.screen.query_one("#read-back-sentence").content)
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(order.kind for order in stored_orders(app)) == ["taxi", "web"]


async def test_a_taxi_time_that_passed_is_said_next_to_the_field_never_moved_a_year_on(app):
    async with app.run_test(size=SIZE) as pilot:  # the tests' day: Friday 27.11.2026
        taxi = await open_form(pilot, "4")
        await type_address(pilot, "Praha", "u elektrarny", "20")
        await type_address(pilot, "Trojanovice", "bystre", "ev. 12")
        taxi.query_one("#order-when").focus()
        await type_text(pilot, "25.11. 10:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is taxi
        assert taxi.query_one("#when-field").error.startswith("That time has passed.")
        assert taxi.query_one("#order-when").value == "25.11. 10:00"  # kept as typed
        taxi.query_one("#order-when").value = "5.1. 8:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadBackPanel)
        sentence = str(app.screen.query_one("#read-back-sentence").content)
        assert "at 05.01.2027 08:00" in sentence
        assert stored_orders(app) == []


async def test_a_loan_and_a_service_change_from_a_call(app):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "3")
        await type_address(pilot, "Praha", "u elektrarny", "20")
        form.query_one("#order-loan_product", Select).value = LOAN
        for field, typed in (("amount", "250000"), ("months", "60"), ("income", "35000")):
            form.query_one(f"#order-{field}").value = typed
        form.query_one("#order-purpose").value = "kitchen"
        form.query_one("#order-employment", Select).value = "employed"
        await pilot.pause()
        payment = str(form.query_one("#loan-payment", InPlaceText).text)
        assert "5 177,46 Kč" in payment.replace("\xa0", " ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadBackPanel)
        assert "first payment on 27.12.2026" in str(
            app.screen.query_one("#read-back-sentence").content
        )
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+w", "1")
        await settle(pilot)
        service = app.screen
        assert isinstance(service, OrderForm)
        await type_address(pilot, "Praha", "namesti miru", "9")
        service.query_one("#order-product", Select).value = "NET-100"
        service.query_one("#order-effective").value = "1.12.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        kinds = sorted((order.kind, order.status) for order in stored_orders(app))
        assert kinds == [("loan", "submitted"), ("service", "submitted")]


async def test_a_kept_draft_is_finished_from_f4_and_the_day_filter(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "1")
        await type_address(pilot, "Praha", "namesti miru", "9")
        form.query_one("#order-product", Select).value = "NET-100"
        await pilot.press("ctrl+d")
        await settle(pilot)
        [draft] = stored_orders(app)
        assert draft.status == "draft" and draft.address_code is not None
        await pilot.press("ctrl+r", "enter", "down", "enter")
        await pilot.press("ctrl+e", "1", "f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and screen.current.row.status == "draft"
        await pilot.press("enter")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, OrderForm)
        assert again.query_one("#order-product", Select).value == "NET-100"
        assert again.query_one("#address-address", AddressInput).chosen.code == draft.address_code
        again.query_one("#order-effective").value = "1.12.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [o.status for o in stored_orders(app)] == ["submitted"]
        screen.query_one("#order-filter-day", Select).value = "tomorrow"
        await settle(pilot)
        assert screen.rows == []  # taken today, no visit
        screen.query_one("#order-filter-day", Select).value = "today"
        await settle(pilot)
        assert len(screen.rows) == 1


async def test_a_reason_typed_right_behind_x_is_all_in_the_dialog_it_opens(app, clock):
    """X on F4's list and the reason queued at once, as a fast typist's keys reach the app:
    the whole reason is in the dialog's field (it had reached the list: lost, or run the
    list's other letters, D marking the order done)."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        set_up_orders(ws, login(ws, "lead"))
        customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        ws.orders.submit(login(ws, "jana"), equipment(ws, customer))
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and screen.current is not None
        screen.set_focus(screen.query_one("#orders"))
        await settle(pilot)
        await type_text(pilot, "xduplicate order")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        assert app.screen.query_one("#text-value", Input).value == "duplicate order"
