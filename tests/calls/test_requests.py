"""Requests: SLA due times, routing, transitions with their history, permissions."""

from datetime import UTC, datetime, timedelta

import pytest

from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.errors import ConflictError, PermissionDenied, ValidationFailed
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows


@pytest.fixture
def customer_id(ws):
    return ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id


def complaint(customer_id, **changes):
    fields = {"customer_id": customer_id, "category": "complaint", "summary": "Invoice too high"}
    return RequestDraft(**{**fields, **changes})


def test_due_time_comes_from_the_category_target_and_routes_to_its_department(
    ws, jana, clock, customer_id
):
    """Friday 9:30 in Prague: the complaints' 4,320 minutes run in working hours (8:00-16:30
    on working days) to Wednesday 9 December at 13:30."""
    request = ws.requests.create(jana, complaint(customer_id))
    assert request.due_at == datetime(2026, 12, 9, 12, 30, tzinfo=UTC)
    assert (request.department, request.status) == ("complaints", "open")
    fault = ws.requests.create(jana, complaint(customer_id, category="technical_fault"))
    assert fault.due_at == clock.now + timedelta(hours=4)
    assert fault.department == "technical"


def test_an_explicit_department_and_due_time_win(ws, jana, clock, customer_id):
    due = clock.now + timedelta(hours=2)
    request = ws.requests.create(jana, complaint(customer_id, department="billing", due_at=due))
    assert (request.department, request.due_at) == ("billing", due)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "weather"}, "category"),
        ({"department": "marketing"}, "department"),
        ({"summary": "  "}, "summary"),
        ({"due_at": "past"}, "due_at"),
        ({"due_at": "far"}, "due_at"),
    ],
)
def test_bad_requests_say_which_field_and_store_nothing(
    ws, jana, clock, customer_id, changes, field
):
    if changes.get("due_at") == "past":
        changes["due_at"] = clock.now - timedelta(minutes=1)
    if changes.get("due_at") == "far":
        changes["due_at"] = clock.now + timedelta(days=400)
    before = (
        count_rows(ws, "service_request"),
        count_rows(ws, "request_event"),
        count_rows(ws, "outbox_op"),
    )
    with pytest.raises(ValidationFailed) as failed:
        ws.requests.create(jana, complaint(customer_id, **changes))
    assert field in failed.value.errors
    after = (
        count_rows(ws, "service_request"),
        count_rows(ws, "request_event"),
        count_rows(ws, "outbox_op"),
    )
    assert after == before


def test_the_whole_life_of_a_request_is_stored_step_by_step(
    ws, jana, petr, lead, clock, customer_id
):
    request = ws.requests.create(jana, complaint(customer_id, category="billing"))
    clock.advance(60)
    forwarded = ws.requests.transition(
        petr, request.id, "forwarded", "to complaints", department="complaints"
    )
    assert (forwarded.status, forwarded.department) == ("forwarded", "complaints")
    resolved = ws.requests.transition(lead, request.id, "resolved", "credit note issued")
    closed = ws.requests.transition(lead, request.id, "closed")
    reopened = ws.requests.transition(lead, request.id, "reopened", "customer still charged")
    assert [resolved.status, closed.status, reopened.status] == ["resolved", "closed", "reopened"]
    steps = ws.requests.history(lead, request.id)
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", "open"),
        ("open", "forwarded"),
        ("forwarded", "resolved"),
        ("resolved", "closed"),
        ("closed", "reopened"),
    ]
    assert [s.actor_name for s in steps[:2]] == ["Jana Svobodová", "Petr Dvořák"]
    assert steps[1].note == "to complaints" and steps[1].at == clock.now - timedelta(seconds=0)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [(["resolved", "closed"], "forwarded"), ([], "closed"), ([], "reopened"), ([], "open")],
)
def test_impossible_transitions_are_refused(ws, petr, customer_id, jana, path, wanted):
    request = ws.requests.create(jana, complaint(customer_id, category="billing"))
    for step in path:
        ws.requests.transition(petr, request.id, step)
    with pytest.raises(ValidationFailed) as failed:
        ws.requests.transition(petr, request.id, wanted, "why", department="billing")
    assert "status" in failed.value.errors
    assert ws.requests.get(petr, request.id).status == (path[-1] if path else "open")


def test_an_operator_cannot_move_another_departments_request(ws, jana, petr, customer_id):
    request = ws.requests.create(jana, complaint(customer_id))  # routed to complaints
    for operator in (jana, petr):
        with pytest.raises(PermissionDenied):
            ws.requests.transition(operator, request.id, "resolved")
    assert ws.requests.get(jana, request.id).status == "open"


def test_forwarding_needs_a_known_department_and_reopening_a_reason(ws, lead, jana, customer_id):
    request = ws.requests.create(jana, complaint(customer_id))
    with pytest.raises(ValidationFailed) as failed:
        ws.requests.transition(lead, request.id, "forwarded")
    assert "department" in failed.value.errors
    with pytest.raises(ValidationFailed):
        ws.requests.transition(lead, request.id, "forwarded", department="nowhere")
    ws.requests.transition(lead, request.id, "resolved")
    with pytest.raises(ValidationFailed) as failed:
        ws.requests.transition(lead, request.id, "reopened")
    assert "note" in failed.value.errors


def test_a_stale_version_is_refused(ws, lead, jana, customer_id):
    request = ws.requests.create(jana, complaint(customer_id))
    ws.requests.transition(lead, request.id, "resolved", expected_version=request.version)
    with pytest.raises(ConflictError):
        ws.requests.transition(lead, request.id, "closed", expected_version=request.version)


def test_the_queue_lists_open_requests_by_due_time_and_flags_overdue(
    ws, lead, jana, petr, clock, customer_id
):
    late = ws.requests.create(
        jana, complaint(customer_id, category="billing", due_at=clock.now + timedelta(minutes=30))
    )
    soon = ws.requests.create(
        jana, complaint(customer_id, category="billing", due_at=clock.now + timedelta(minutes=90))
    )
    done = ws.requests.create(jana, complaint(customer_id, category="billing"))
    ws.requests.transition(petr, done.id, "resolved")
    ws.requests.create(jana, complaint(customer_id))  # complaints: not petr's
    clock.advance(3600)
    queue = ws.requests.queue(petr)
    assert [r.id for r in queue] == [late.id, soon.id]
    assert [r.overdue(clock.now) for r in queue] == [True, False]
    assert len(ws.requests.queue(petr, everything=True)) == 3
    assert len(ws.requests.queue(lead)) == 3  # every department's open ones
    assert [r.department for r in ws.requests.queue(lead, "complaints")] == ["complaints"]


def test_an_operator_sees_only_their_own_departments_queue(ws, petr):
    with pytest.raises(PermissionDenied):
        ws.requests.queue(petr, "complaints")


def test_another_departments_request_cannot_be_read(ws, jana, petr, lead, customer_id):
    request = ws.requests.create(jana, complaint(customer_id))  # routed to complaints
    for reading in (ws.requests.get, ws.requests.history):
        with pytest.raises(PermissionDenied, match="complaints department"):
            reading(petr, request.id)  # billing
        reading(jana, request.id)  # she registered it on the call
        reading(lead, request.id)
