"""Consents and objections per number (services/outbound/consents.py) on SQLite and PostgreSQL: a
consent says where and when it was given and is never in the future; an objection is kept
once and bites at once: its customers are flagged and its open leads closed, each a new
version; a number's standing reads both records and the card's "do not call"."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cc_terminal import limits
from cc_terminal.models import Customer, CustomerPhone, Lead, Objection, OutboxOp
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.outbound.consents import ConsentView
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.outbound.outbound_floor import SALES, add, close, set_up_campaigns

NUMBER = "+420777100501"


def test_a_consent_says_where_and_when_it_was_given(ws, jana, clock):
    view = ws.consents.record_consent(jana, "777 100 501", "web_form", date(2026, 11, 20), "#42")
    assert view == ConsentView(NUMBER, "web_form", date(2026, 11, 20), clock.now, "#42")
    today = ws.consents.record_consent(jana, NUMBER, "paper", clock.now.date())
    assert today.note == ""
    assert ws.consents.standing(NUMBER).consents == (today, view)  # the latest first
    assert ws.consents.standing(NUMBER).consented
    assert not ws.consents.standing("+420777100502").consented


@pytest.mark.parametrize(
    ("phone", "source", "days_ahead", "field", "reason"),
    [
        (NUMBER, "import", 0, "source", "Say where the consent came from."),
        (NUMBER, "heard it somewhere", 0, "source", "Say where the consent came from."),
        (NUMBER, "paper", 1, "given_on", "A consent cannot be given in the future."),
        ("12", "paper", 0, "phone", "Impossible number: wrong length for its country."),
        (NUMBER, "paper", 0, "note", None),
    ],
)
def test_a_consent_without_a_source_a_number_or_a_past_day_is_refused(
    ws, jana, clock, phone, source, days_ahead, field, reason
):
    given_on = clock.now.date() + timedelta(days=days_ahead)
    note = "x" * (limits.SHORT_NOTE + 1) if field == "note" else ""
    with pytest.raises(ValidationFailed) as refused:
        ws.consents.record_consent(jana, phone, source, given_on, note)
    assert set(refused.value.errors) == {field}
    assert reason is None or refused.value.errors[field] == reason
    assert ws.consents.standing(NUMBER).consents == ()


def test_an_objection_without_a_number_or_with_a_note_too_long_is_refused(ws, jana):
    for phone, note, field in [
        ("12", "", "phone"),
        (NUMBER, "x" * (limits.SHORT_NOTE + 1), "note"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            ws.consents.record_objection(jana, phone, note=note)
        assert set(refused.value.errors) == {field}
    assert ws.consents.standing(NUMBER).objected_at is None


def test_an_objection_stores_who_when_on_which_call_and_why_as_its_authors_op(ws, jana, clock):
    call = uuid.uuid4()
    ws.consents.record_objection(jana, "777 100 501", call_id=call, note="Never again")
    ws.consents.record_objection(jana, "777 100 502")
    ws.consents.record_consent(jana, "777 100 503", "paper", date(2026, 11, 2))
    with ws.db.read() as session:
        stored = session.execute(
            select(
                Objection.phone_e164,
                Objection.recorded_by,
                Objection.recorded_at,
                Objection.call_id,
                Objection.note,
            ).order_by(Objection.phone_e164)
        ).all()
        authors = set(
            session.scalars(
                select(OutboxOp.actor_id).where(OutboxOp.entity.in_(["objection", "consent"]))
            )
        )
    assert [tuple(row) for row in stored] == [
        (NUMBER, jana.operator_id, clock.now, call, "Never again"),
        ("+420777100502", jana.operator_id, clock.now, None, ""),
    ]
    assert authors == {jana.operator_id}


def test_do_not_call_on_an_outbound_call_records_the_objection_of_that_call(ws, lead, jana, clock):
    set_up_campaigns(ws, lead)
    add(ws, lead, SALES, [("+420777100701", "No More")], assign_to=("jana",))
    card = ws.outbound.next_lead(jana)
    close(ws, jana, card, "DNC")
    with ws.db.read() as session:
        stored = session.execute(
            select(Objection.phone_e164, Objection.recorded_by, Objection.call_id, Objection.note)
        ).all()
    assert [tuple(row) for row in stored] == [("+420777100701", jana.operator_id, card.call_id, "")]


def customers_of(ws, number):
    with ws.db.read() as session:
        owners = select(CustomerPhone.customer_id).where(CustomerPhone.e164 == number)
        query = select(Customer).where(Customer.id.in_(owners)).order_by(Customer.full_name)
        return [
            (c.full_name, c.do_not_call, c.version, c.updated_at) for c in session.scalars(query)
        ]


def lead_row(ws, number):
    with ws.db.read() as session:
        row = session.scalars(select(Lead).where(Lead.phone_e164 == number)).one()
        return row.status, row.last_disposition, row.claimed_by, row.version, row.updated_at


def test_an_objection_flags_every_customer_of_the_number_once(ws, lead, jana, clock):
    before = customers_of(ws, SHARED_PHONE)
    clock.advance(60)
    assert ws.consents.record_objection(jana, SHARED_PHONE, note="Never again") == clock.now
    assert customers_of(ws, SHARED_PHONE) == [
        (name, True, version + 1, clock.now) for name, _, version, _ in before
    ]
    first = clock.now
    clock.advance(60)
    assert ws.consents.record_objection(jana, SHARED_PHONE) == first  # kept once
    assert ws.consents.standing(SHARED_PHONE).objected_at == first
    assert [row[2] for row in customers_of(ws, SHARED_PHONE)] == [row[2] + 1 for row in before]


def test_a_customer_flagged_already_is_not_changed_again(ws, lead, jana, clock):
    (card_id,) = [c.id for c in ws.customers.lookup_phone(KNOWN_PHONE).matches]
    card = ws.customers.card(card_id)
    ws.customers.update(jana, card_id, CustomerDraft.from_card(card, do_not_call=True), 1)
    flagged = customers_of(ws, KNOWN_PHONE)
    assert ws.consents.standing(KNOWN_PHONE).objected_at == flagged[0][3]  # from the card
    clock.advance(60)
    ws.consents.record_objection(jana, KNOWN_PHONE)
    assert customers_of(ws, KNOWN_PHONE) == flagged
    assert ws.consents.standing(KNOWN_PHONE).objected_at == clock.now  # the objection's


def test_an_objection_closes_the_numbers_open_leads_and_no_other(ws, lead, jana, clock):
    set_up_campaigns(ws, lead)
    numbers = ["+420777100601", "+420777100602", "+420777100603"]
    add(ws, lead, SALES, [(number, "Lead") for number in numbers], assign_to=("jana",))
    card = ws.outbound.open_lead(jana, lead_id(ws, numbers[1]))  # calling, held by jana
    assert card is not None and lead_row(ws, numbers[1])[2] == jana.operator_id
    ws.consents.record_objection(jana, numbers[2])
    ws.consents.record_objection(jana, numbers[2])  # kept once: nothing changes again
    done = lead_row(ws, numbers[2])
    clock.advance(60)
    untouched = lead_row(ws, numbers[0])
    for number in numbers[:2]:
        version = lead_row(ws, number)[3]
        ws.consents.record_objection(jana, number)
        assert lead_row(ws, number) == ("done", "objected", None, version + 1, clock.now)
    assert untouched[0] == "open" and lead_row(ws, numbers[2]) == done


def test_a_lead_closed_before_the_objection_keeps_its_outcome(ws, lead, jana, clock):
    set_up_campaigns(ws, lead)
    add(ws, lead, SALES, [("+420777100801", "Said No")], assign_to=("jana",))
    close(ws, jana, ws.outbound.next_lead(jana), "NI", refusal_reason="not_now")
    closed = lead_row(ws, "+420777100801")
    clock.advance(60)
    ws.consents.record_objection(jana, "+420777100801")
    assert closed[:2] == ("done", "NI") and lead_row(ws, "+420777100801") == closed


def lead_id(ws, number):
    with ws.db.read() as session:
        return session.scalars(select(Lead.id).where(Lead.phone_e164 == number)).one()
