"""What the screens and the CLI read of the phone: plain frozen values, no ORM."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PhoneCallView:
    """One call the phone reported, as stored after the newest event."""

    id: uuid.UUID
    call_key: str
    direction: str
    extension: str
    number_raw: str  # untrusted: draw it escaped
    phone_e164: str  # "" when the number did not parse
    operator_id: uuid.UUID | None
    customer_id: uuid.UUID | None  # the caller's card when exactly one matched
    customer_name: str
    rang_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    end_code: int | None
    end_reason: str  # "" while it lasts; else models.phone.EndReason
    call_id: uuid.UUID | None  # the saved call record, once linked

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


@dataclass(frozen=True)
class SoftphoneSaid:
    """What became of a command to the softphone: ``problem`` "" when it said yes."""

    problem: str = ""
    unconfirmed: bool = False  # sent, and no answer came in time: it may have been done


@dataclass(frozen=True)
class MissedCallView:
    """An incoming call nobody answered (abandoned, unanswered, busy), for a callback."""

    id: uuid.UUID
    number_raw: str
    phone_e164: str
    customer_name: str
    rang_at: datetime
    end_reason: str
    extension: str
    callback_operator_id: uuid.UUID | None
    callback_operator_name: str
    callback_done_at: datetime | None
