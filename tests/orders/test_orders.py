"""The order desk on SQLite and PostgreSQL: each kind's checks, pricing, the loan formula and
limits, the visit booked with the order, transitions and who may take them, the missed-visit
flow (not before the visit's slot has begun; the callback is the order operator's), drafts,
the ledger, and the list's filters."""

import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from cc_terminal.models import (
    Customer,
    CustomerOrder,
    Lead,
    OrderEvent,
    OrderKind,
    VisitBooking,
)
from cc_terminal.services.common.errors import ConflictError, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import EntryKind
from cc_terminal.services.orders.loans import monthly_payment
from cc_terminal.services.orders.orders import OrderStatus
from cc_terminal.services.orders.queries import OrderFilter
from cc_terminal.services.orders.values import ChosenAddress, ExtraField, OrderDraft
from tests.orders.order_floor import ELEKTRARNY_9, LOAN, at, equipment

S = OrderStatus


def test_the_annuity_matches_the_textbook_figures():
    # 100,000 at 12 % a year over 12 months: 8,884.88 (the usual worked example).
    assert monthly_payment(Decimal(100000), Decimal(12), 12) == Decimal("8884.88")
    assert monthly_payment(Decimal(120000), Decimal(0), 24) == Decimal("5000.00")
    assert monthly_payment(Decimal(250000), Decimal("8.9"), 60) == Decimal("5177.46")


def test_an_equipment_order_is_priced_read_back_and_booked_with_its_visit(floor, customer, jana):
    draft = equipment(floor, customer)
    prepared = floor.orders.prepare(draft)
    # 1 router 2,490 + 2 cables 99 + work 690 + travel 250
    assert prepared.amount_minor == 249000 + 2 * 9900 + 69000 + 25000
    assert [line.code for line in prepared.lines] == [
        "ROUTER-AX",
        "CABLE-5",
        "WORK-VISIT",
        "FEE-TRAVEL",
    ]
    assert "U Elektrárny 9/10a" in prepared.read_back and "3" in prepared.read_back
    assert any("never cash to the technician" in line for line in prepared.checklist)
    stored = floor.orders.submit(jana, draft)
    assert stored.status == S.SCHEDULED and stored.visit
    with floor.db.read() as session:
        order = session.get(CustomerOrder, stored.id)
        booking = session.scalars(
            select(VisitBooking).where(VisitBooking.order_id == stored.id)
        ).one()
        steps = session.scalars(
            select(OrderEvent.to_status).where(OrderEvent.order_id == stored.id)
        ).all()
    assert order.address_code == ELEKTRARNY_9 and order.amount_minor == prepared.amount_minor
    assert order.checklist.count("\n") == 2 and order.counts_as_success
    assert (booking.day, booking.slot) == (draft.slot.day, draft.slot.slot)
    assert sorted(steps) == ["scheduled", "submitted"]
    ledger = floor.customers.card(customer).timeline
    assert [e.result for e in ledger if e.kind is EntryKind.ORDER][:2] in (
        ["scheduled", "submitted"],
        ["submitted", "scheduled"],
    )


def test_bad_equipment_input_names_every_field_and_stores_nothing(floor, customer, jana):
    bad = OrderDraft(
        OrderKind.EQUIPMENT,
        customer,
        {"pay_method": "cash"},
        ChosenAddress(None, "Nová 1, Praha"),
        lines=(("ROUTER-AX", "-1"),),
    )
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.submit(jana, bad)
    errors = failed.value.errors
    assert set(errors) == {"address", "materials", "work", "pay_method", "slot"}
    assert "reason" in errors["address"] and "cash" in errors["pay_method"]
    with floor.db.read() as session:
        assert session.scalars(select(CustomerOrder)).all() == []


def test_the_last_slot_goes_to_one_operator_the_other_is_told_the_next(floor, customer, jana, petr):
    draft = equipment(floor, customer)
    floor.orders.submit(jana, draft)
    with pytest.raises(ConflictError) as taken:
        floor.orders.submit(petr, draft)
    assert "The next free one" in str(taken.value)
    with floor.db.read() as session:
        assert len(session.scalars(select(CustomerOrder)).all()) == 1


def test_a_loan_checks_the_limits_computes_the_payment_and_plans_the_reminder(
    floor, customer, jana
):
    values = {
        "loan_product": LOAN,
        "amount": "600000",
        "months": "120",
        "income": "10000",
        "purpose": "",
        "employment": "employed",
    }
    draft = OrderDraft(OrderKind.LOAN, customer, values, at(floor))
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(draft)
    assert set(failed.value.errors) == {"amount", "months", "purpose"}
    assert "20" in failed.value.errors["amount"] and "96 months" in failed.value.errors["months"]
    poor = {**values, "amount": "250000", "months": "60", "purpose": "kitchen"}
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(OrderDraft(OrderKind.LOAN, customer, poor, at(floor)))
    assert "40 % of this income" in failed.value.errors["income"]
    good = {**poor, "income": "35000"}
    prepared = floor.orders.prepare(OrderDraft(OrderKind.LOAN, customer, good, at(floor)))
    assert prepared.payment == Decimal("5177.46") and prepared.first_due == date(2026, 12, 27)
    stored = floor.orders.submit(jana, OrderDraft(OrderKind.LOAN, customer, good, at(floor)))
    assert stored.status == S.SUBMITTED and "Reminder call planned for 24.12.2026" in stored.note
    with floor.db.read() as session:
        reminder = session.scalars(select(Lead).where(Lead.customer_id == customer)).one()
    assert reminder.status == "callback" and reminder.callback_by == jana.operator_id
    assert "O-" in json.loads(reminder.extra)["note"]


def test_service_taxi_and_web_orders_check_their_own_fields(floor, customer, jana):
    service = OrderDraft(
        OrderKind.SERVICE, customer, {"product": "ROUTER-AX", "effective": "1.1.2020"}, at(floor)
    )
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(service)
    assert set(failed.value.errors) == {"product", "effective"}
    ok = OrderDraft(
        OrderKind.SERVICE, customer, {"product": "NET-100", "effective": "1.12.2026"}, at(floor)
    )
    assert "Internet 100 from 01.12.2026" in floor.orders.prepare(ok).read_back
    taxi = OrderDraft(OrderKind.TAXI, customer, {"when": "yesterday", "passengers": "9"}, at(floor))
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(taxi)
    assert set(failed.value.errors) == {"destination", "when", "passengers"}
    taxi = OrderDraft(
        OrderKind.TAXI,
        customer,
        {"when": "15:30", "passengers": "2"},
        at(floor),
        destination=at(floor, 12345690),
    )
    assert "náměstí Míru 820/9" in floor.orders.prepare(taxi).read_back
    web = OrderDraft(
        OrderKind.WEB,
        customer,
        {"web_number": "W-1", "items": "1x router", "delivery": "2.12.2026"},
        at(floor),
    )
    web_changed = OrderDraft(
        OrderKind.WEB, customer, {**web.values, "confirmation": "changed"}, at(floor)
    )
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(web_changed)
    assert set(failed.value.errors) == {"change"}
    assert (
        floor.orders.submit(
            jana,
            OrderDraft(
                OrderKind.WEB, customer, {**web.values, "confirmation": "confirmed"}, at(floor)
            ),
        ).status
        == S.SUBMITTED
    )


def test_a_date_without_its_year_is_never_moved_a_year_on_in_silence(floor, customer, jana, clock):
    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 10:00 in Prague
    values = {"when": "1.12. 10:00", "passengers": "1"}
    taxi = OrderDraft(OrderKind.TAXI, customer, values, at(floor), destination=at(floor, 12345690))
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(taxi)
    assert failed.value.errors["when"].startswith("That time has passed.")
    service = OrderDraft(
        OrderKind.SERVICE, customer, {"product": "NET-100", "effective": "1.12."}, at(floor)
    )
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(service)
    assert failed.value.errors["effective"].startswith("That date has passed.")
    clock.now = datetime(2026, 12, 28, 14, 0, tzinfo=UTC)
    january = replace(taxi, values={**values, "when": "5.1. 8:00"})
    prepared = floor.orders.prepare(january)
    assert "at 05.01.2027 08:00" in prepared.read_back
    assert "at 05.01.2027 08:00" in prepared.checklist[0]
    stored = floor.orders.submit(jana, january)
    assert floor.order_book.detail(stored.id).read_back == prepared.read_back
    today = replace(taxi, values={**values, "when": "28.12. 18:00"})
    assert "at 28.12. 18:00" in floor.orders.prepare(today).read_back


def test_a_team_lead_adds_fields_to_a_kind(floor, customer, lead, jana):
    with pytest.raises(PermissionDenied):
        floor.order_setup.save_field(
            jana, OrderKind.TAXI, ExtraField("child_seat", "Child seat"), True
        )
    floor.order_setup.save_field(
        lead, OrderKind.TAXI, ExtraField("child_seat", "Child seat", True, ("yes", "no")), True
    )
    taxi = {"when": "now", "passengers": "1"}
    draft = OrderDraft(OrderKind.TAXI, customer, taxi, at(floor), destination=at(floor))
    with pytest.raises(ValidationFailed) as failed:
        floor.orders.prepare(draft)
    assert failed.value.errors == {"x:child_seat": "Required."}
    answered = OrderDraft(
        OrderKind.TAXI, customer, {**taxi, "x:child_seat": "yes"}, at(floor), destination=at(floor)
    )
    assert floor.orders.prepare(answered).values["x:child_seat"] == "yes"


def test_transitions_are_checked_and_cancelling_needs_a_reason_and_the_right_person(
    floor, customer, jana, petr, lead
):
    stored = floor.orders.submit(jana, equipment(floor, customer))
    with pytest.raises(ConflictError):
        floor.orders.move(jana, stored.id, S.DONE)
    with pytest.raises(ValidationFailed):
        floor.orders.move(jana, stored.id, S.CANCELLED, "  ")
    with pytest.raises(PermissionDenied):
        floor.orders.move(petr, stored.id, S.CANCELLED, "client changed mind")
    floor.orders.move(petr, stored.id, S.IN_PROGRESS)  # the field's steps are anyone's
    floor.orders.move(lead, stored.id, S.CANCELLED, "client changed mind")
    detail = floor.order_book.detail(stored.id)
    assert [s.to_status for s in detail.steps][-2:] == ["in_progress", "cancelled"]
    assert detail.steps[-1].note == "client changed mind"
    freed = floor.dispatch.free_slots(ELEKTRARNY_9, limit=1)[0]  # the visit's slot is free again
    assert (freed.team_name, freed.day, freed.slot) == (
        detail.row.team_name,
        detail.row.visit_day,
        detail.row.visit_slot,
    )


def test_a_missed_visit_is_rebooked_flagged_apologised_and_called_back(
    floor, customer, jana, clock
):
    first = floor.dispatch.free_slots(ELEKTRARNY_9, limit=1)[0]
    stored = floor.orders.submit(jana, equipment(floor, customer))
    clock.advance(3600)  # 10:30 in Prague: the visit's slot (10:00-12:00) has begun
    with pytest.raises(ValidationFailed):
        floor.orders.report_missed(jana, stored.id, "")
    again = floor.orders.report_missed(jana, stored.id, "Omluvili jsme se, sleva 200 Kč.")
    assert again.status == S.RESCHEDULED and again.visit
    detail = floor.order_book.detail(stored.id)
    assert [s.to_status for s in detail.steps][-2:] == ["missed", "rescheduled"]
    assert detail.steps[-2].note == "Omluvili jsme se, sleva 200 Kč."
    assert detail.row.priority and (detail.row.visit_day, detail.row.visit_slot) != (
        first.day,
        first.slot,
    )
    with floor.db.read() as session:
        assert session.get(Customer, customer).priority
        statuses = session.scalars(
            select(VisitBooking.status).where(VisitBooking.order_id == stored.id)
        ).all()
        callback = session.scalars(select(Lead).where(Lead.customer_id == customer)).one()
    assert sorted(statuses) == ["booked", "missed"]
    assert callback.status == "callback" and "Confirm the new visit" in callback.extra
    report = floor.order_book.misses(date(2026, 11, 1), date(2026, 12, 31))
    assert report[0].team_code == first.team_code and report[0].missed == 1
    ledger = floor.customers.card(customer).timeline
    assert any("Omluvili" in e.detail for e in ledger if e.kind is EntryKind.ORDER)


def test_a_kept_draft_is_finished_later_by_whoever_kept_it(floor, customer, jana, petr):
    half = OrderDraft(OrderKind.LOAN, customer, {"amount": "50000"}, at(floor))
    kept = floor.orders.keep_draft(jana, half)
    assert kept.status == S.DRAFT
    values = {
        "loan_product": LOAN,
        "amount": "50000",
        "months": "24",
        "income": "30000",
        "purpose": "car",
        "employment": "retired",
    }
    finished = OrderDraft(OrderKind.LOAN, customer, values, at(floor), order_id=kept.id)
    with pytest.raises(PermissionDenied):
        floor.orders.submit(petr, finished)
    assert floor.orders.submit(jana, finished).status == S.SUBMITTED
    steps = floor.order_book.detail(kept.id).steps
    assert [(s.from_status, s.to_status) for s in steps] == [("", "draft"), ("draft", "submitted")]


def test_the_list_filters_by_kind_status_team_mine_and_text(floor, customer, jana, petr):
    floor.orders.submit(jana, equipment(floor, customer))
    web = {"web_number": "W-1", "items": "1x", "delivery": "2.12.2026", "confirmation": "confirmed"}
    web_order = floor.orders.submit(petr, OrderDraft(OrderKind.WEB, customer, web, at(floor)))
    book = floor.order_book
    assert len(book.orders(OrderFilter())) == 2
    assert [r.kind for r in book.orders(OrderFilter(kind="web"))] == ["web"]
    assert [r.kind for r in book.orders(OrderFilter(team="praha-sever"))] == ["equipment"]
    assert [r.kind for r in book.orders(OrderFilter(mine_of=petr.operator_id))] == ["web"]
    assert [r.status for r in book.orders(OrderFilter(status="open"))] != []
    assert [r.number for r in book.orders(OrderFilter(text=web_order.number.lower()))] == [
        web_order.number
    ]
    assert len(book.orders(OrderFilter(text="novák praha"))) == 2
    assert book.orders(OrderFilter(day_from=date(2027, 1, 1))) == []


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_operators_ordering_the_same_visit_at_once_on_postgresql(floor, customer, jana, petr):
    draft = equipment(floor, customer)
    won, lost = [], []
    barrier = threading.Barrier(2)

    def order(actor):
        barrier.wait()
        try:
            won.append(floor.orders.submit(actor, draft))
        except ConflictError as error:
            lost.append(str(error))

    threads = [threading.Thread(target=order, args=(actor,)) for actor in (jana, petr)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(lost) == 1 and "next free one" in lost[0]
    with floor.db.read() as session:
        assert len(session.scalars(select(CustomerOrder)).all()) == 1


# -- a missed visit: not before its slot has begun; the callback is the order operator's --
