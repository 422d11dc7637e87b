from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class EscalationStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"


class Escalation(SQLModel, table=True):
    """An operator asking the supervisor to step in, with the call's context at that moment."""

    __tablename__ = "escalation"
    __table_args__ = (Index("ix_escalation_status_raised", "status", "raised_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    call_id: uuid.UUID
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    reason: str = Field(default="", max_length=limits.CODE)
    notes: str = Field(default="", sa_type=Text)
    call_started_at: datetime = Field(sa_type=UTCDateTime)
    elapsed_seconds: int = 0
    raised_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(sa_type=String(8), default=EscalationStatus.OPEN.value)
    taken_by: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
