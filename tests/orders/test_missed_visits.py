"""Missed visits: not before their slot has begun, the report of a team's misses, and the
callback that confirms the new time (to the order's operator, or the lead who pressed M
when that operator has gone) (on SQLite and PostgreSQL)."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cc_terminal.models import (
    CustomerOrder,
    Lead,
    Operator,
    OrderEvent,
)
from cc_terminal.services.common.errors import ConflictError
from cc_terminal.services.orders.misses import visit_start
from cc_terminal.services.orders.orders import OrderStatus
from tests.orders.order_floor import APOLOGY, equipment

S = OrderStatus


def to_the_visit(floor, clock, order_id, seconds_after: float = 0) -> None:
    """The clock moved to the booked visit's start (and ``seconds_after`` beyond)."""
    row = floor.order_book.detail(order_id).row
    start = visit_start(row.visit_day, row.visit_slot, ZoneInfo(floor.settings.timezone))
    assert start is not None and start > clock()
    clock.advance((start - clock()).total_seconds() + seconds_after)


def callback_of(floor, customer) -> Lead:
    with floor.db.read() as session:
        return session.scalars(select(Lead).where(Lead.customer_id == customer)).one()


def test_a_visit_still_to_come_is_not_missed_and_the_report_shows_one_that_was(
    floor, customer, jana, lead, clock
):
    stored = floor.orders.submit(jana, equipment(floor, customer))
    to_the_visit(floor, clock, stored.id, seconds_after=-60)  # a minute before the slot
    with pytest.raises(ConflictError) as early:
        floor.orders.report_missed(lead, stored.id, APOLOGY)
    assert "once its slot has begun" in str(early.value)
    with floor.db.read() as session:
        assert session.get(CustomerOrder, stored.id).status == S.SCHEDULED
        steps = session.scalars(
            select(OrderEvent.to_status).where(OrderEvent.order_id == stored.id)
        ).all()
    assert sorted(steps) == ["scheduled", "submitted"]
    clock.advance(60)  # the slot begins
    again = floor.orders.report_missed(lead, stored.id, APOLOGY)
    assert again.status == S.RESCHEDULED
    today = clock().date()
    report = floor.order_book.misses(date(today.year, today.month, 1), today)
    assert [(row.missed, row.visits) for row in report if row.missed] == [(1, 1)]


def test_the_confirming_callback_is_the_order_operators(floor, customer, jana, lead, clock):
    stored = floor.orders.submit(jana, equipment(floor, customer))
    to_the_visit(floor, clock, stored.id)
    again = floor.orders.report_missed(lead, stored.id, APOLOGY)
    assert "Jana Svobodová" in again.note and "took the order" in again.note
    callback = callback_of(floor, customer)
    assert callback.assigned_to == jana.operator_id == callback.callback_by
    assert callback.status == "callback" and callback.callback_personal


def test_a_deactivated_operators_callback_goes_to_the_lead_who_pressed_m(
    floor, customer, jana, lead, clock
):
    stored = floor.orders.submit(jana, equipment(floor, customer))
    with floor.db.write(lead.operator_id) as session:
        session.get(Operator, jana.operator_id).active = False
    to_the_visit(floor, clock, stored.id)
    again = floor.orders.report_missed(lead, stored.id, APOLOGY)
    assert "Jana Svobodová's account is deactivated" in again.note
    assert "yours" in again.note
    assert callback_of(floor, customer).assigned_to == lead.operator_id
