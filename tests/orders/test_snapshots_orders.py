"""How the order screens look: the kind picker, each kind's form, the address input with its
suggestions and a refused number, the slot picker, the read-back panel, the missed-visit
dialog, F4 after a miss, and the team lead's teams, order fields and export."""

import uuid
from itertools import count

import pytest
from textual.widgets import Select

from cc_terminal.models import OrderKind
from cc_terminal.services.orders import orders
from cc_terminal.services.orders.values import ExtraField
from tests.conftest import KNOWN_PHONE, login
from tests.orders.order_floor import set_up_orders
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import BOTH_SIZES, SMALL, make_app, pop_caller, settle, sign_in


@pytest.fixture
def app(sqlite_url, tmp_path, clock, monkeypatch):
    numbers = count(0xA1000001)
    monkeypatch.setattr(orders, "new_order_id", lambda: uuid.UUID(int=next(numbers) << 96))
    return make_app(sqlite_url, tmp_path, clock)


async def floor(pilot):
    ws = pilot.app.require_services()
    set_up_orders(ws, login(ws, "lead"))


async def on_a_call(pilot):
    await pop_caller(pilot, KNOWN_PHONE)
    await floor(pilot)


def take(text):
    """Type a part of the address and take the first suggestion."""

    async def typed_and_taken(pilot):
        await typed(text)(pilot)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    return typed_and_taken


def choose(**values):
    async def set_values(pilot):
        for widget_id, value in values.items():
            pilot.app.screen.query_one(f"#{widget_id.replace('_', '-', 1)}").value = value
        await settle(pilot)

    return set_values


async def equipment_ready(pilot):
    form = pilot.app.screen
    form.query_one("#material-0", Select).value = "ROUTER-AX"
    form.query_one("#quantity-0").value = "1"
    form.query_one("#material-1", Select).value = "CABLE-5"
    form.query_one("#quantity-1").value = "2"
    form.query_one("#order-work", Select).value = "WORK-VISIT"
    form.query_one("#order-pay_method", Select).value = "account"
    await settle(pilot)


PRAHA_ELEKTRARNY = (take("Praha"), take("u elektrarny"), take("9/10a"))


@BOTH_SIZES
def test_order_kind_picker(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(on_a_call, keys("ctrl+w")))


@BOTH_SIZES
@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"])
def test_order_form_of_each_kind(snap_compare, app, key, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(on_a_call, keys("ctrl+w", key)))


@BOTH_SIZES
def test_address_input_suggests_towns(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_a_call, keys("ctrl+w", "1"), typed("pra"))
    )


@BOTH_SIZES
def test_address_input_refuses_a_number_not_on_the_street(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            on_a_call, keys("ctrl+w", "1"), take("Praha"), take("namesti miru"), take("16")
        ),
    )


@BOTH_SIZES
def test_slot_picker(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_a_call, keys("ctrl+w", "2"), *PRAHA_ELEKTRARNY, keys("f5")),
    )


@BOTH_SIZES
def test_read_back_panel(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            on_a_call,
            keys("ctrl+w", "2"),
            *PRAHA_ELEKTRARNY,
            equipment_ready,
            keys("f5", "enter", "ctrl+s"),
        ),
    )


@BOTH_SIZES
def test_loan_form_with_errors_and_the_payment(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            on_a_call,
            keys("ctrl+w", "3"),
            *PRAHA_ELEKTRARNY,
            choose(order_loan_product="PUJCKA", order_amount="250000", order_months="60"),
            keys("ctrl+s"),
        ),
    )


async def a_booked_visit(pilot):
    await on_a_call(pilot)
    for step in (keys("ctrl+w", "2"), *PRAHA_ELEKTRARNY, equipment_ready):
        await step(pilot)
    await keys("f5", "enter", "ctrl+s")(pilot)
    await keys("enter")(pilot)
    await keys("ctrl+e", "1")(pilot)
    pilot.app.clock.advance(3600)  # 10:30: the visit's slot (10:00-12:00) has begun
    pilot.app.tick()  # the header's clock shows 10:30 now, not at its next second
    pilot.app.clear_notifications()  # the booking's toast would time out on a slow machine
    await keys("f4")(pilot)


@BOTH_SIZES
def test_missed_visit_dialog(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(a_booked_visit, keys("m")))


@BOTH_SIZES
def test_orders_after_a_missed_visit(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(a_booked_visit, keys("m", "enter"))
    )


async def lead_with_a_field(pilot):
    await sign_in(pilot, "lead")
    await floor(pilot)
    ws = pilot.app.require_services()
    ws.order_setup.save_field(
        login(ws, "lead"),
        OrderKind.TAXI,
        ExtraField("child_seat", "Child seat", True, ("yes", "no")),
        True,
    )


@BOTH_SIZES
def test_setup_teams(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_with_a_field, keys("f10", "8"))
    )


@BOTH_SIZES
def test_setup_team_form(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_with_a_field, keys("f10", "8", "enter"))
    )


@BOTH_SIZES
def test_setup_order_fields(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_with_a_field, keys("f10", "9"))
    )


@BOTH_SIZES
def test_setup_order_field_form(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_with_a_field, keys("f10", "9", "enter"))
    )


@BOTH_SIZES
def test_order_export_dialog(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_with_a_field, keys("f4", "e"))
    )


@BOTH_SIZES
def test_cancel_asks_why(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(a_booked_visit, keys("x")))


def test_f4_detail_in_the_lists_place_at_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=SMALL, run_before=steps(a_booked_visit, keys("v")))
