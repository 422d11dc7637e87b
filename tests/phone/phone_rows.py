"""Phone calls as the phone would leave them, written straight into phone_call (the
floor's and the callbacks' tests need states at chosen moments, not the event flow)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from cc_terminal.models.phone import PhoneCall
from cc_terminal.services.common.views import Actor, CallDraft
from cc_terminal.services.workstation import Workstation
from tests.conftest import KNOWN_PHONE


def phone_call(
    ws: Workstation,
    rang_at: datetime,
    *,
    number: str = KNOWN_PHONE,
    answered_after: float | None = None,
    ended_after: float | None = None,
    end_reason: str = "",
    operator_id: uuid.UUID | None = None,
    direction: str = "in",
    call_id: uuid.UUID | None = None,
    e164: str | None = None,  # its E.164 form when the number was said otherwise
) -> uuid.UUID:
    matches = ws.customers.lookup_phone(number).matches if number.startswith("+") else ()
    row = PhoneCall(
        call_key=f"test:{uuid.uuid4().hex}",
        direction=direction,
        extension="101",
        number_raw=number,
        phone_e164=e164 if e164 is not None else number if number.startswith("+") else "",
        operator_id=operator_id,
        customer_id=matches[0].id if len(matches) == 1 else None,  # as apply looks it up
        rang_at=rang_at,
        answered_at=None if answered_after is None else rang_at + timedelta(seconds=answered_after),
        ended_at=None if ended_after is None else rang_at + timedelta(seconds=ended_after),
        end_reason=end_reason,
        call_id=call_id,
    )
    with ws.db.write(None) as session:
        session.add(row)
    return row.id


def saved_call(ws: Workstation, actor: Actor, at: datetime, number: str = KNOWN_PHONE) -> uuid.UUID:
    """A call record the operator saved at ``at`` after 90 s of talk (what a callback is
    linked to)."""
    begun = at - timedelta(seconds=90)
    draft = CallDraft(None, number, begun, begun, at, "billing", "resolved")
    return ws.calls.record(actor, draft).id
