"""Missed calls and callbacks (services/phone/callbacks.py through ``ws.phone``) on both
databases: what is listed, a lead assigning and taking back, the operator's list, done
when the callback is saved, and a number answered since dropping off by itself; which calls
of a number are "the same number" (its E.164 form, else the number as said), what a
refusal says, the view's fields, what a give or a done writes (version, actor, audit time)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent, OutboxOp, PhoneCall
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from tests.conftest import KNOWN_PHONE
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


RAW, OTHER_RAW = "5551234", "5559999"  # numbers that are no E.164: kept as said


def stored(ws, phone_call_id: uuid.UUID) -> PhoneCall:
    with ws.db.read() as session:
        found = session.get(PhoneCall, phone_call_id)
        assert found is not None
        return found


def version(ws, phone_call_id: uuid.UUID) -> int:
    return stored(ws, phone_call_id).version


def linked(ws, phone_call_id: uuid.UUID) -> uuid.UUID | None:
    return stored(ws, phone_call_id).callback_call_id


def test_the_view_of_a_missed_call_from_an_unknown_number(ws, clock):
    missed = phone_call(ws, clock(), number=RAW, ended_after=8, end_reason="busy")
    (view,) = ws.phone.missed()
    assert (view.id, view.number_raw, view.phone_e164, view.customer_name) == (missed, RAW, "", "")
    assert (view.rang_at, view.end_reason, view.extension) == (clock(), "busy", "101")
    assert (view.callback_operator_id, view.callback_operator_name) == (None, "")
    assert view.callback_done_at is None


def test_a_number_as_said_is_matched_as_said(ws, clock):
    start = clock()
    kept = phone_call(ws, start, number=RAW, ended_after=8, end_reason="abandoned")
    gone = phone_call(ws, start, number=OTHER_RAW, ended_after=8, end_reason="abandoned")
    later = start + timedelta(minutes=2)
    phone_call(ws, later, number=OTHER_RAW, answered_after=2, ended_after=60, end_reason="answered")
    assert [m.id for m in ws.phone.missed()] == [kept]
    assert gone not in [m.id for m in ws.phone.missed()]


def test_only_an_answer_after_the_missed_call_drops_it(ws, clock):
    start = clock()
    phone_call(ws, start, answered_after=2, ended_after=60, end_reason="answered")
    first = phone_call(ws, start, ended_after=8, end_reason="abandoned")  # the same moment
    second = phone_call(ws, start + timedelta(minutes=1), ended_after=8, end_reason="busy")
    assert [m.id for m in ws.phone.missed()] == [first, second]  # a missed one drops none


def test_done_marks_the_numbers_open_missed_calls_and_nothing_else(ws, lead, jana, clock):
    start = clock()
    first = phone_call(ws, start, number=RAW, ended_after=8, end_reason="abandoned")
    again = phone_call(
        ws, start + timedelta(minutes=1), number=RAW, ended_after=8, end_reason="busy"
    )
    other = phone_call(ws, start, number=OTHER_RAW, ended_after=8, end_reason="abandoned")
    out = phone_call(ws, start, number=RAW, direction="out", ended_after=9, end_reason="unanswered")
    answered = phone_call(
        ws, start - timedelta(minutes=5), number=RAW, answered_after=1, end_reason="answered"
    )
    clock.advance(600)
    earlier_call = saved_call(ws, jana, clock())
    ws.phone.callback_done(jana, first, earlier_call)
    before = {row: version(ws, row) for row in (first, again, other, out, answered)}
    assert all(linked(ws, row) is not None for row in (first, again))
    assert all(linked(ws, row) is None for row in (other, out, answered))
    late = phone_call(ws, clock(), number=RAW, ended_after=8, end_reason="abandoned")
    clock.advance(60)
    ws.phone.callback_done(jana, late, saved_call(ws, jana, clock()))
    assert linked(ws, first) == linked(ws, again)  # the first callback's call still
    assert {row: version(ws, row) for row in before} == before
    assert version(ws, late) == 2


def test_a_give_and_a_done_bump_the_version_once_by_their_actor(ws, lead, jana, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    assert version(ws, missed) == 1
    ws.phone.assign_callback(lead, missed, jana.operator_id)
    assert version(ws, missed) == 2
    ws.phone.callback_done(jana, missed, saved_call(ws, jana, clock()))
    assert version(ws, missed) == 3
    with ws.db.read() as session:
        ops = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "phone_call").order_by(OutboxOp.seq)
        ).all()
        assert [op.actor_id for op in ops[-2:]] == [lead.operator_id, jana.operator_id]
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "phone.callback_given")
        ).one()
    assert event.at == clock()


def test_each_refusal_says_why(ws, lead, jana, petr, clock):
    missed = phone_call(ws, clock(), ended_after=8, end_reason="abandoned")
    with pytest.raises(PermissionDenied) as refused:
        ws.phone.assign_callback(jana, missed, jana.operator_id)
    assert str(refused.value) == "Only a team lead gives out callbacks."
    with pytest.raises(ValidationFailed) as wrong:
        ws.phone.assign_callback(lead, missed, uuid.uuid4())
    assert wrong.value.errors == {"operator": "Choose an active operator."}
    ws.phone.assign_callback(lead, missed, jana.operator_id)
    with pytest.raises(PermissionDenied) as colleagues:
        ws.phone.callback_done(petr, missed, saved_call(ws, petr, clock()))
    assert str(colleagues.value) == "This callback is a colleague's."
    ws.phone.callback_done(jana, missed, saved_call(ws, jana, clock()))
    with pytest.raises(ValidationFailed) as done:
        ws.phone.assign_callback(lead, missed, jana.operator_id)
    assert done.value.errors == {"operator": "This call was already called back."}


def test_a_call_that_was_not_missed_is_no_missed_call(ws, lead, jana, clock):
    answered = phone_call(ws, clock(), answered_after=1, ended_after=60, end_reason="answered")
    out = phone_call(ws, clock(), direction="out", ended_after=9, end_reason="unanswered")
    call_id = saved_call(ws, jana, clock())
    for phone_call_id in (answered, out, uuid.uuid4()):
        with pytest.raises(NotFound, match=r"^No such missed call\.$"):
            ws.phone.assign_callback(lead, phone_call_id, jana.operator_id)
    for phone_call_id in (answered, uuid.uuid4()):
        with pytest.raises(NotFound, match=r"^No such missed call\.$"):
            ws.phone.callback_done(jana, phone_call_id, call_id)


def test_done_marks_the_same_number_said_another_way(ws, jana, clock):
    start = clock()
    plus = phone_call(ws, start, ended_after=8, end_reason="abandoned")
    said = phone_call(
        ws, start, number="601 123 456", e164=KNOWN_PHONE, ended_after=8, end_reason="busy"
    )
    clock.advance(600)
    ws.phone.callback_done(jana, plus, saved_call(ws, jana, clock()))
    assert linked(ws, said) == linked(ws, plus) is not None
