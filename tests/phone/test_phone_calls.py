"""PhoneCalls.apply and link_call (services/phone/calls.py) on both databases: one row
per call whatever the order or the repeats of its events, how it ended, the caller's card,
a number that does not parse kept as said, the link to the saved call."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import OutboxOp, PhoneCall
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor, CallDraft, CustomerDraft
from cc_terminal.services.phone.calls import end_reason_of
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.helpers import count_rows, rows

RING, ANSWER, HANGUP = PhoneEventKind.RING, PhoneEventKind.ANSWER, PhoneEventKind.HANGUP


def event(clock, kind, seconds=0.0, key="pbx:1", number=KNOWN_PHONE, **extra) -> PhoneEvent:
    at = clock.now + timedelta(seconds=seconds)
    return PhoneEvent(kind, key, "101", number, at, **extra)


def phone_ops(ws) -> int:
    return rows(ws, "SELECT count(*) FROM outbox_op WHERE entity = 'phone_call'")[0][0]


def test_a_ring_finds_the_callers_card_and_starts_the_call(ws, jana, clock):
    view = ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    assert view.customer_name == "Jan Novák"
    assert view.customer_id is not None
    assert (view.phone_e164, view.number_raw, view.extension) == (KNOWN_PHONE, KNOWN_PHONE, "101")
    assert view.rang_at == clock.now and view.answered_at is None and view.ended_at is None
    assert view.operator_id == jana.operator_id
    assert ws.phone.call("pbx:1") == view
    assert ws.phone.call("pbx:2") is None


def test_repeats_change_nothing_and_write_nothing(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING))
    ws.phone.apply(jana, event(clock, ANSWER, 5))
    first = ws.phone.apply(jana, event(clock, HANGUP, 60))
    ops = phone_ops(ws)
    for kind in (RING, ANSWER, HANGUP):
        assert ws.phone.apply(jana, event(clock, kind, 90)) == first
    assert phone_ops(ws) == ops
    assert count_rows(ws, "phone_call") == 1
    assert (first.answered_at - first.rang_at, first.end_reason) == (
        timedelta(seconds=5),
        "answered",
    )
    assert rows(ws, "SELECT version FROM phone_call") == [(3,)]


def test_an_answer_before_its_ring_and_two_hang_ups(ws, jana, clock):
    ws.phone.apply(jana, event(clock, ANSWER, 4))
    ws.phone.apply(jana, event(clock, HANGUP, 30, sip_code=200))
    ws.phone.apply(jana, event(clock, HANGUP, 45))
    view = ws.phone.apply(jana, event(clock, RING, 0))
    assert view.rang_at == clock.now  # the earliest moment seen
    assert view.answered_at == clock.now + timedelta(seconds=4)
    assert view.ended_at == clock.now + timedelta(seconds=30)  # the first hang-up
    assert (view.end_reason, view.end_code) == ("answered", 200)


def test_a_hang_up_that_overtook_its_answer_still_ends_answered(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING))
    assert ws.phone.apply(jana, event(clock, HANGUP, 30)).end_reason == "abandoned"
    view = ws.phone.apply(jana, event(clock, ANSWER, 3))
    assert (view.end_reason, view.answered_at) == ("answered", clock.now + timedelta(seconds=3))


@pytest.mark.parametrize(
    ("code", "direction", "reason"),
    [
        (None, "in", "abandoned"),
        (487, "in", "abandoned"),
        (None, "out", "unanswered"),
        (486, "in", "busy"),
        (600, "out", "busy"),
        (408, "out", "unanswered"),
        (480, "in", "unanswered"),
        (603, "out", "unanswered"),
        (404, "out", "failed"),
        (484, "out", "failed"),
        (604, "out", "failed"),
    ],
)
def test_how_an_unanswered_call_ended(code, direction, reason):
    assert end_reason_of(direction, False, code).value == reason
    assert end_reason_of(direction, True, code).value == "answered"


def test_a_ring_and_its_hang_up_without_answer_is_abandoned_with_its_code(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING))
    view = ws.phone.apply(jana, event(clock, HANGUP, 12, sip_code=486, reason="Busy Here"))
    assert (view.end_reason, view.end_code, view.answered_at) == ("busy", 486, None)
    other = ws.phone.apply(jana, event(clock, HANGUP, 9, key="pbx:2"))
    assert (other.end_reason, other.rang_at, other.ended_at) == (
        "abandoned",
        clock.now + timedelta(seconds=9),
        clock.now + timedelta(seconds=9),
    )


@pytest.mark.parametrize("number", ["anonymous", "+42\x1b[31m0", "", "12"])
def test_a_number_that_does_not_parse_is_kept_as_said(ws, jana, clock, number):
    view = ws.phone.apply(jana, event(clock, RING, number=number))
    assert (view.number_raw, view.phone_e164, view.customer_id) == (number, "", None)


def test_a_number_of_two_customers_finds_no_single_card(ws, jana, clock):
    view = ws.phone.apply(jana, event(clock, RING, number="602 000 111"))
    assert (view.phone_e164, view.customer_id, view.customer_name) == (SHARED_PHONE, None, "")


def test_the_number_arrives_with_a_later_event(ws, jana, clock):
    ws.phone.apply(jana, event(clock, HANGUP, 9, number=""))
    view = ws.phone.apply(jana, event(clock, RING))
    assert (view.number_raw, view.customer_name) == (KNOWN_PHONE, "Jan Novák")


def test_the_operator_is_kept_once_known(ws, jana, petr, clock):
    assert ws.phone.apply(jana, event(clock, RING)).operator_id is None
    ws.phone.apply(jana, event(clock, ANSWER, 2), operator_id=jana.operator_id)
    view = ws.phone.apply(petr, event(clock, HANGUP, 9), operator_id=petr.operator_id)
    assert view.operator_id == jana.operator_id


def _saved_call(ws, actor: Actor, customer_id: uuid.UUID, clock) -> uuid.UUID:
    start = clock.now - timedelta(seconds=60)
    draft = CallDraft(
        customer_id, KNOWN_PHONE, start, None, clock.now, "tariff_question", "resolved"
    )
    return ws.calls.record(actor, draft).id


def test_link_call_names_the_saved_call_once(ws, jana, petr, lead, clock):
    view = ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    assert view.customer_id is not None
    call_id = _saved_call(ws, jana, view.customer_id, clock)
    ws.phone.link_call(jana, "pbx:1", call_id)
    ws.phone.link_call(jana, "pbx:1", call_id)  # again: nothing changes
    assert ws.phone.call("pbx:1").call_id == call_id
    other = _saved_call(ws, jana, view.customer_id, clock)
    with pytest.raises(ValidationFailed):
        ws.phone.link_call(lead, "pbx:1", other)
    with pytest.raises(PermissionDenied):
        ws.phone.link_call(petr, "pbx:1", other)
    with pytest.raises(NotFound):
        ws.phone.link_call(jana, "pbx:404", call_id)
    refused = "SELECT count(*) FROM audit_event WHERE kind = 'permission.refused'"
    assert rows(ws, refused)[0][0] >= 1


def test_the_latest_call_of_an_extension(ws, lead, clock):
    first = ws.phone.apply(lead, event(clock, RING, 0, key="pbx:a"))
    newest = ws.phone.apply(lead, event(clock, RING, 20, key="pbx:c"))
    ws.phone.apply(lead, event(clock, RING, 10, key="pbx:b"))
    elsewhere = PhoneEvent(RING, "pbx:d", "102", KNOWN_PHONE, clock.now + timedelta(seconds=30))
    ws.phone.apply(lead, elsewhere)
    assert ws.phone.latest("101") == newest
    assert ws.phone.latest("101", after=first.rang_at) == newest
    assert ws.phone.latest("101", after=newest.rang_at) is None  # strictly after
    assert ws.phone.latest("103") is None


def test_the_open_call_of_a_number_on_an_extension(ws, lead, clock):
    ws.phone.apply(lead, event(clock, RING, 0, key="pbx:old"))
    ws.phone.apply(lead, event(clock, HANGUP, 5, key="pbx:old"))
    older = ws.phone.apply(lead, event(clock, RING, 10, key="pbx:open1"))
    newer = ws.phone.apply(lead, event(clock, RING, 20, key="pbx:open2"))
    ws.phone.apply(lead, event(clock, RING, 30, key="pbx:other", number=SHARED_PHONE))
    there = PhoneEvent(RING, "pbx:102", "102", KNOWN_PHONE, clock.now + timedelta(seconds=40))
    ws.phone.apply(lead, there)
    assert ws.phone.open_call_of("101", KNOWN_PHONE) == newer
    ws.phone.apply(lead, event(clock, HANGUP, 50, key="pbx:open2"))
    assert ws.phone.open_call_of("101", KNOWN_PHONE) == ws.phone.call(older.call_key)
    ws.phone.apply(lead, event(clock, HANGUP, 60, key="pbx:open1"))
    assert ws.phone.open_call_of("101", KNOWN_PHONE) is None


def test_each_refusal_of_a_phone_call_says_why(ws, lead, jana, petr, clock):
    view = ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    call_id = _saved_call(ws, jana, view.customer_id, clock)
    ws.phone.link_call(jana, "pbx:1", call_id)
    with pytest.raises(ValidationFailed) as other:
        ws.phone.link_call(jana, "pbx:1", _saved_call(ws, jana, view.customer_id, clock))
    assert other.value.errors == {"call": "This phone call is saved as another call."}
    with pytest.raises(PermissionDenied) as colleagues:
        ws.phone.link_call(petr, "pbx:1", call_id)
    assert str(colleagues.value) == "This phone call is another operator's."
    for unknown in (
        lambda: ws.phone.link_call(jana, "pbx:404", call_id),
        lambda: ws.phone.transferred(jana, "pbx:404"),
    ):
        with pytest.raises(NotFound) as missing:
            unknown()
        assert str(missing.value) == "No phone call pbx:404."
    ws.account_list.set_extension(lead, "jana", "101")
    with pytest.raises(PermissionDenied) as not_hers:
        ws.phone.apply(jana, PhoneEvent(RING, "pbx:2", "102", KNOWN_PHONE, clock.now))
    assert str(not_hers.value) == "Extension 102 is not yours: its calls are not stored from here."


def test_each_change_counts_one_version(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    ws.phone.apply(jana, event(clock, ANSWER, 3))
    assert rows(ws, "SELECT version FROM phone_call") == [(2,)]
    view = ws.phone.transferred(jana, "pbx:1")
    assert rows(ws, "SELECT version FROM phone_call") == [(3,)]
    ws.phone.link_call(jana, "pbx:1", _saved_call(ws, jana, view.customer_id, clock))
    assert rows(ws, "SELECT version FROM phone_call") == [(4,)]


def test_a_transfer_reported_before_the_ring_ends_the_call_at_its_ring(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING, 30), operator_id=jana.operator_id)
    view = ws.phone.transferred(jana, "pbx:1")  # the phone's clock ran ahead of ours
    assert view.ended_at == view.rang_at == clock.now + timedelta(seconds=30)


def test_each_write_is_its_actors(ws, lead, jana, clock):
    ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    view = ws.phone.transferred(lead, "pbx:1")
    ws.phone.link_call(jana, "pbx:1", _saved_call(ws, jana, view.customer_id, clock))
    with ws.db.read() as session:
        ops = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "phone_call").order_by(OutboxOp.seq)
        ).all()
        (stored,) = session.scalars(select(PhoneCall)).all()
    assert {op.actor_id for op in ops[:-2]} == {jana.operator_id}  # the ring's
    assert [op.actor_id for op in ops[-2:]] == [lead.operator_id, jana.operator_id]
    assert (view.id, view.direction) == (stored.id, "in")


def test_an_outgoing_call_and_a_number_kept_as_first_said(ws, jana, clock):
    out = ws.phone.apply(jana, event(clock, RING, direction="out", number=""))
    assert (out.direction, out.number_raw, out.phone_e164) == ("out", "", "")
    ws.phone.apply(jana, event(clock, ANSWER, 2, number=KNOWN_PHONE))
    later = ws.phone.apply(jana, event(clock, HANGUP, 9, number=SHARED_PHONE))
    assert (later.number_raw, later.phone_e164) == (KNOWN_PHONE, KNOWN_PHONE)


def test_a_repeat_that_only_names_the_operator_counts_a_version(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING))
    view = ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    assert view.operator_id == jana.operator_id
    assert rows(ws, "SELECT version FROM phone_call") == [(2,)]


def test_a_number_of_two_customers_names_none_and_changes_nothing_again(ws, jana, clock):
    first = ws.phone.apply(jana, event(clock, RING, number=SHARED_PHONE))
    assert first.customer_id is None
    assert ws.phone.apply(jana, event(clock, RING, number=SHARED_PHONE)) == first
    assert rows(ws, "SELECT version FROM phone_call") == [(1,)]


def test_a_card_made_during_the_call_is_found_by_its_next_event(ws, jana, clock):
    number = "+420777123987"
    first = ws.phone.apply(jana, event(clock, RING, number=number))
    assert first.customer_id is None
    card = ws.customers.create(jana, CustomerDraft(full_name="Eva Nová", phones=number))
    again = ws.phone.apply(jana, event(clock, RING, number=number))  # the same ring repeated
    assert (again.customer_id, again.customer_name) == (card.id, "Eva Nová")
    assert rows(ws, "SELECT version FROM phone_call") == [(2,)]
