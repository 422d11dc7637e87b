"""Escalations: raised with the call's context, seen by leads, taken once."""

from datetime import timedelta

import pytest

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.common.errors import ConflictError, PermissionDenied
from tests.conftest import KNOWN_PHONE, login


@pytest.fixture
def draft(ws, clock):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    return EscalationDraft(
        new_id(), customer_id, clock.now - timedelta(minutes=3), "complaint", "Angry"
    )


def test_an_escalation_carries_the_call_context(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    assert (raised.customer_name, raised.operator_name) == ("Jan Novák", "Jana Svobodová")
    assert (raised.reason, raised.notes, raised.elapsed_seconds) == ("complaint", "Angry", 180)
    assert ws.escalations.open_count() == 1
    assert [e.id for e in ws.escalations.queue(lead)] == [raised.id]


def test_a_lead_takes_it_once(ws, jana, lead, draft, settings, clock):
    raised = ws.escalations.raise_(jana, draft)
    taken = ws.escalations.take(lead, raised.id)
    assert (taken.status, taken.taken_by) == ("taken", "Lída Vedoucí")
    assert ws.escalations.open_count() == 0
    with pytest.raises(ConflictError, match="Lída Vedoucí"):
        ws.escalations.take(lead, raised.id)


def test_one_call_waits_once(ws, jana, draft):
    ws.escalations.raise_(jana, draft)
    with pytest.raises(ConflictError):
        ws.escalations.raise_(jana, draft)


def test_operators_neither_see_nor_take_the_queue(ws, jana, draft):
    raised = ws.escalations.raise_(jana, draft)
    with pytest.raises(PermissionDenied):
        ws.escalations.queue(jana)
    with pytest.raises(PermissionDenied):
        ws.escalations.take(jana, raised.id)


def test_another_terminal_sees_it_at_once(ws, jana, draft, settings, clock):
    from cc_terminal.services.workstation import open_workstation

    other = open_workstation(settings, clock=clock)
    try:
        assert other.escalations.open_count() == 0
        ws.escalations.raise_(jana, draft)
        assert other.escalations.open_count() == 1
        assert len(other.escalations.queue(login(other, "lead"))) == 1
    finally:
        other.close()
