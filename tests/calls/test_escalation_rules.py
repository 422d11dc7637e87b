"""Escalations' rules in words and in time: a wrong call context refused, a call waiting
once at a time, the lead's queue (open oldest first, then the last 12 hours' taken), the
operator's own list of 7 days, and each refusal saying who may act."""

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"call_started_at": datetime(2026, 11, 27, 8, 27)},
            {"times": "The call's start time is wrong."},
        ),
        ({"minutes_ahead": 1}, {"times": "The call's start time is wrong."}),
        ({"customer_id": "unknown"}, {"customer": "No such customer."}),
        ({"notes": "x" * 4001}, {"notes": "Too long: 4001 characters, at most 4000."}),
    ],
)
def test_an_escalation_with_a_wrong_context_is_refused_and_nothing_is_stored(
    ws, jana, draft, clock, changes, errors
):
    values = dict(changes)
    if values.pop("minutes_ahead", None):
        values["call_started_at"] = clock.now + timedelta(minutes=1)
    if values.get("customer_id") == "unknown":
        values["customer_id"] = new_id()
    with pytest.raises(ValidationFailed) as failed:
        ws.escalations.raise_(jana, replace(draft, **values))
    assert failed.value.errors == errors
    assert rows(ws, "SELECT count(*) FROM escalation") == [(0,)]


def test_a_call_that_began_this_moment_waits_no_seconds_and_waits_again_once_taken(
    ws, jana, lead, draft, clock
):
    raised = ws.escalations.raise_(jana, replace(draft, call_started_at=clock.now))
    assert (raised.elapsed_seconds, raised.raised_at, raised.status) == (0, clock.now, "open")
    assert (raised.taken_by, raised.taken_at, raised.customer_id) == ("", None, draft.customer_id)
    with pytest.raises(ConflictError) as waiting:
        ws.escalations.raise_(jana, draft)
    assert str(waiting.value) == "This call is already waiting for a supervisor."
    taken = ws.escalations.take(lead, raised.id)
    assert taken.taken_at == clock.now
    with pytest.raises(ConflictError) as again:
        ws.escalations.take(lead, raised.id)
    assert str(again.value) == "Already taken by Lída Vedoucí."
    assert ws.escalations.raise_(jana, draft).status == "open"  # the same call, once more
    assert ws.escalations.open_count() == 1


def test_the_queue_holds_the_open_oldest_first_then_those_taken_in_the_last_12_hours(
    ws, jana, lead, clock
):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id

    def raised(reason: str):
        draft = EscalationDraft(new_id(), customer_id, clock.now, reason, "")
        return ws.escalations.raise_(jana, draft)

    clock.advance(120)
    late = raised("late")
    clock.advance(-120)  # raised on a terminal whose clock is behind: stored after, but earlier
    early = raised("early")
    clock.advance(60)
    taken = raised("taken")
    ws.escalations.take(lead, taken.id)
    clock.advance(60)
    assert [e.id for e in ws.escalations.queue(lead)] == [early.id, late.id, taken.id]
    clock.advance(12 * 3600 - 60)  # taken exactly 12 hours ago
    assert taken.id in [e.id for e in ws.escalations.queue(lead)]
    clock.advance(1)
    assert [e.id for e in ws.escalations.queue(lead)] == [early.id, late.id]


def test_the_operator_s_own_list_holds_the_last_seven_days_newest_first(ws, jana, clock):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    first = ws.escalations.raise_(
        jana, EscalationDraft(new_id(), customer_id, clock.now, "first", "")
    )
    clock.advance(60)
    second = ws.escalations.raise_(
        jana, EscalationDraft(new_id(), customer_id, clock.now, "second", "")
    )
    assert [d.escalation.id for d in ws.escalations.mine(jana)] == [second.id, first.id]
    clock.advance(7 * 24 * 3600 - 60)  # the first raised exactly 7 days ago
    assert len(ws.escalations.mine(jana)) == 2
    clock.advance(1)
    assert [d.escalation.id for d in ws.escalations.mine(jana)] == [second.id]


def test_each_refusal_says_who_may_do_it(ws, jana, petr, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    refusals = [
        (lambda: ws.escalations.queue(jana), "Only a team lead takes escalations."),
        (lambda: ws.escalations.take(jana, raised.id), "Only a team lead takes escalations."),
        (
            lambda: ws.escalations.add_note(jana, raised.id, "n"),
            "Only a team lead answers escalations.",
        ),
        (
            lambda: ws.escalations.detail(petr, raised.id),
            "Only a team lead or the operator who raised it reads it.",
        ),
        (
            lambda: ws.escalations.mark_seen(petr, raised.id),
            "Only the operator who raised it marks it read.",
        ),
    ]
    for refused, message in refusals:
        with pytest.raises(PermissionDenied) as denied:
            refused()
        assert str(denied.value) == message
    for missing in (
        lambda: ws.escalations.detail(lead, uuid.uuid4()),
        lambda: ws.escalations.take(lead, uuid.uuid4()),
    ):
        with pytest.raises(NotFound) as not_found:
            missing()
        assert str(not_found.value) == "No such escalation."


def test_a_resolution_keeps_its_note_and_a_note_leaves_the_status(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    noted = ws.escalations.add_note(lead, raised.id, "Called billing.")
    assert noted.escalation.status == "taken"
    done = ws.escalations.resolve(lead, raised.id, "credit", "  200 CZK credited.  ")
    assert (done.answer.kind, done.answer.outcome, done.answer.text) == (
        "resolved",
        "credit",
        "200 CZK credited.",
    )
