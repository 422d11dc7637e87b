"""A call record checks its phone and a reused id with a service error, never a database
error (the times were already checked)."""

from __future__ import annotations

import pytest

from cc_terminal.services.common.errors import ConflictError, ValidationFailed
from cc_terminal.services.common.views import CallDraft
from tests.conftest import login


def _draft(clock, phone: str = "+420601123456") -> CallDraft:  # type: ignore[no-untyped-def]
    now = clock()
    return CallDraft(None, phone, now, now, now, "tariff_question", "resolved")


@pytest.mark.parametrize("phone", ["601123456", "+420 601", "+0123456789", "+4206011234561234"])
def test_a_phone_not_in_e164_is_refused_next_to_the_field(ws, clock, phone: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        ws.calls.record(login(ws, "jana"), _draft(clock, phone))
    assert "phone" in refused.value.errors


def test_a_reused_call_id_is_a_conflict_not_a_database_error(ws, clock) -> None:  # type: ignore[no-untyped-def]
    jana = login(ws, "jana")
    draft = _draft(clock)
    ws.calls.record(jana, draft)
    with pytest.raises(ConflictError, match="saved already"):
        ws.calls.record(jana, draft)
