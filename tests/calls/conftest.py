"""Fixtures of the calls tests: the escalation both escalation modules raise (the known
caller, three minutes ago)."""

from datetime import timedelta

import pytest

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.escalations import EscalationDraft
from tests.conftest import KNOWN_PHONE


@pytest.fixture
def draft(ws, clock):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    return EscalationDraft(
        new_id(), customer_id, clock.now - timedelta(minutes=3), "complaint", "Angry"
    )
