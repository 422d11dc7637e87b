"""PhoneCalls.apply and link_call (services/phone/calls.py) on both databases: one row
per call whatever the order or the repeats of its events, how it ended, the caller's card,
a number that does not parse kept as said, the link to the saved call."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor, CallDraft
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
