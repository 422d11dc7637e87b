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
    # Handed back to the operator with the lead's advice (the column holds 8 characters).
    RETURNED = "returned"
    RESOLVED = "resolved"


class StepKind(StrEnum):
    TAKEN = "taken"
    NOTE = "note"
    ADVICE = "advice"
    RESOLVED = "resolved"
    # The raising operator read the lead's answer: the notice goes away.
    SEEN = "seen"


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


class EscalationStep(SQLModel, table=True):
    """One step of an escalation after it was raised: who took it, a note, the advice handed
    back, the outcome, the operator reading the answer. Append-only: a history."""

    __tablename__ = "escalation_step"
    __table_args__ = (Index("ix_escalation_step_escalation_seq", "escalation_id", "seq"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    escalation_id: uuid.UUID = Field(foreign_key="escalation.id")
    # The step's place in the escalation's history: steps in one second keep their order.
    seq: int
    kind: str = Field(sa_type=String(8))
    outcome: str = Field(default="", max_length=limits.CODE)
    text: str = Field(default="", sa_type=Text)
    actor_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
