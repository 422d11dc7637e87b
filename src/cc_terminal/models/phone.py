"""The phone: one row per call the phone system told us about (a ring, an answer, a
hang-up), whether or not an operator saved a ``call`` record for it. services/phone owns it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, ordered_id

CALL_KEY = 120
EXTENSION = 16
NUMBER_RAW = 64
E164 = 16
END_REASON = 40


class EndReason(StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"  # the caller ended before anyone answered
    UNANSWERED = "unanswered"  # rang out, rejected, nobody took it
    BUSY = "busy"
    FAILED = "failed"
    TRANSFERRED = "transferred"  # handed on to another extension (blind transfer)


class PhoneCall(SQLModel, table=True):
    """One call of the phone system, keyed by its source and call id (``call_key``)."""

    __tablename__ = "phone_call"
    __table_args__ = (
        Index("ix_phone_call_key", "call_key", unique=True),
        Index("ix_phone_call_extension_rang", "extension", "rang_at"),
        Index("ix_phone_call_missed", "end_reason", "callback_done_at", "rang_at"),
        Index("ix_phone_call_rang", "rang_at"),
        # the floor board's (0023): each operator's last ended call; today's calls counted
        Index("ix_phone_call_operator_ended", "operator_id", "ended_at"),
        Index(
            "ix_phone_call_day",
            "rang_at",
            "direction",
            "operator_id",
            "answered_at",
            "ended_at",
            "end_reason",
        ),
    )

    id: uuid.UUID = Field(default_factory=ordered_id, primary_key=True)
    call_key: str = Field(sa_type=String(CALL_KEY))
    direction: str = Field(default="in", sa_type=String(3))
    extension: str = Field(default="", sa_type=String(EXTENSION))
    number_raw: str = Field(default="", sa_type=String(NUMBER_RAW))
    phone_e164: str = Field(default="", sa_type=String(E164))
    operator_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    customer_id: uuid.UUID | None = Field(default=None, foreign_key="customer.id")
    rang_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_code: int | None = None
    end_reason: str = Field(default="", sa_type=String(END_REASON))
    call_id: uuid.UUID | None = Field(default=None, foreign_key="call.id")
    callback_operator_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    callback_done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    callback_call_id: uuid.UUID | None = Field(default=None, foreign_key="call.id")
    version: int = 1
