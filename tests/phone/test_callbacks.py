"""Missed calls and callbacks (services/phone/callbacks.py through ``ws.phone``) on both
databases: what is listed, a lead assigning and taking back, the operator's list, done
when the callback is saved, and a number answered since dropping off by itself."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from tests.helpers import rows
from tests.phone.phone_rows import phone_call, saved_call

OTHER = "+420777123456"


def test_abandoned_unanswered_and_busy_calls_are_missed_oldest_first(ws, clock):
    start = clock()
    first = phone_call(ws, start, ended_after=8, end_reason="abandoned")
    phone_call(
        ws,
        start + timedelta(minutes=1),
        answered_after=3,
        ended_after=60,
        end_reason="answered",
        number=OTHER,
    )
    second = phone_call(
        ws,
        start + timedelta(minutes=2),
        number="+420603000003",
        ended_after=30,
        end_reason="unanswered",
    )
    third = phone_call(
        ws, start + timedelta(minutes=3), number="anonymous", ended_after=5, end_reason="busy"
    )
    phone_call(
        ws,
        start + timedelta(minutes=4),
        number="+420603000009",
        direction="out",
        ended_after=20,
        end_reason="unanswered",
    )
    missed = ws.phone.missed()
    assert [m.id for m in missed] == [first, second, third]
    assert missed[0].customer_name == "Jan Novák"
    assert (missed[2].number_raw, missed[2].phone_e164) == ("anonymous", "")
    assert [m.id for m in ws.phone.missed(since=start + timedelta(minutes=2))] == [second, third]


def test_a_number_answered_since_drops_off_by_itself(ws, clock):
    start = clock()
    phone_call(ws, start, ended_after=8, end_reason="abandoned")
    kept = phone_call(ws, start, number=OTHER, ended_after=8, end_reason="abandoned")
    phone_call(
        ws, start + timedelta(minutes=5), answered_after=2, ended_after=90, end_reason="answered"
    )
    assert [m.id for m in ws.phone.missed()] == [kept]
    # a call back answered (outgoing) drops it too
    phone_call(
        ws,
        start + timedelta(minutes=6),
        number=OTHER,
        direction="out",
        answered_after=5,
        ended_after=40,
        end_reason="answered",
    )
    assert ws.phone.missed() == []


def test_a_lead_assigns_and_takes_back_the_callback(ws, lead, jana, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    ws.phone.assign_callback(lead, missed, jana.operator_id)
    (row,) = ws.phone.missed()
    assert (row.callback_operator_id, row.callback_operator_name) == (
        jana.operator_id,
        "Jana Svobodová",
    )
    assert [m.id for m in ws.phone.my_callbacks(jana)] == [missed]
    ws.phone.assign_callback(lead, missed, None)
    assert ws.phone.my_callbacks(jana) == []
    assert ws.phone.missed()[0].callback_operator_id is None


def test_only_a_lead_assigns_and_only_to_a_person_of_the_floor(ws, lead, jana, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    with pytest.raises(PermissionDenied):
        ws.phone.assign_callback(jana, missed, jana.operator_id)
    with pytest.raises(ValidationFailed):
        ws.phone.assign_callback(lead, missed, uuid.uuid4())


def test_the_callback_saved_is_done_with_the_numbers_other_missed_calls(
    ws, lead, jana, petr, clock
):
    start = clock()
    earlier = phone_call(ws, start, ended_after=8, end_reason="abandoned")
    later = phone_call(ws, start + timedelta(minutes=3), ended_after=30, end_reason="unanswered")
    other = phone_call(ws, start, number=OTHER, ended_after=8, end_reason="abandoned")
    ws.phone.assign_callback(lead, later, jana.operator_id)
    clock.advance(600)
    call_id = saved_call(ws, jana, clock())
    with pytest.raises(PermissionDenied):
        ws.phone.callback_done(petr, later, call_id)  # Jana's
    ws.phone.callback_done(jana, later, call_id)
    ws.phone.callback_done(jana, later, call_id)  # again: nothing changes
    assert [m.id for m in ws.phone.missed()] == [other]
    assert ws.phone.my_callbacks(jana) == []
    done = rows(
        ws,
        "SELECT id, callback_done_at FROM phone_call WHERE callback_call_id IS NOT NULL",
    )
    assert len(done) == 2 and {str(r[0]).replace("-", "") for r in done} == {earlier.hex, later.hex}


def test_a_done_callback_cannot_be_given_out_again(ws, lead, jana, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    ws.phone.callback_done(jana, missed, saved_call(ws, jana, clock()))  # nobody's: anyone
    with pytest.raises(ValidationFailed, match="already called back"):
        ws.phone.assign_callback(lead, missed, jana.operator_id)


def test_the_operators_open_callbacks_are_counted_for_the_badge(ws, lead, jana, petr, clock):
    first = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    phone_call(ws, clock() + timedelta(minutes=1), number=OTHER, ended_after=9, end_reason="busy")
    assert ws.phone.open_callbacks(jana) == 0
    second = ws.phone.missed()[1].id
    ws.phone.assign_callback(lead, first, jana.operator_id)
    ws.phone.assign_callback(lead, second, jana.operator_id)
    assert (ws.phone.open_callbacks(jana), ws.phone.open_callbacks(petr)) == (2, 0)
    clock.advance(600)
    ws.phone.callback_done(jana, first, saved_call(ws, jana, clock()))
    assert ws.phone.open_callbacks(jana) == 1


def test_giving_moving_and_taking_back_a_callback_is_audited(ws, lead, jana, petr, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    for given in (jana.operator_id, jana.operator_id, petr.operator_id, None):
        ws.phone.assign_callback(lead, missed, given)  # the second changes nothing
        clock.advance(1)
    events = rows(
        ws,
        "SELECT kind, subject, detail, actor_id FROM audit_event"
        " WHERE kind LIKE 'phone.callback%' ORDER BY at",
    )
    assert [(kind, detail) for kind, _subject, detail, _actor in events] == [
        ("phone.callback_given", "to jana"),
        ("phone.callback_given", "to petr from jana"),
        ("phone.callback_taken_back", "from petr"),
    ]
    assert {subject for _kind, subject, _detail, _actor in events} == {str(missed)}
    assert {str(actor).replace("-", "") for *_rest, actor in events} == {lead.operator_id.hex}
