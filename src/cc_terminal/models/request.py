from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class RequestStatus(StrEnum):
    OPEN = "open"
    FORWARDED = "forwarded"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class ServiceRequest(SQLModel, table=True):
    """A customer's request (question, complaint, wish, fault...) routed to a department.

    Its status and department change only through ``RequestEvent`` rows written in the same
    transaction; ``version`` guards against two people moving it at once."""

    __tablename__ = "service_request"
    __table_args__ = (
        Index("ix_request_department_status_due", "department", "status", "due_at"),
        Index("ix_request_customer_created", "customer_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    call_id: uuid.UUID | None = None
    category: str = Field(max_length=limits.CODE)
    department: str = Field(max_length=limits.CODE)
    summary: str = Field(sa_type=Text)
    status: str = Field(sa_type=String(12), default=RequestStatus.OPEN.value)
    due_at: datetime = Field(sa_type=UTCDateTime)
    created_by: uuid.UUID = Field(foreign_key="operator.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class RequestEvent(SQLModel, table=True):
    """One step of a request's life: who moved it from what to what, when, and why."""

    __tablename__ = "request_event"
    __table_args__ = (Index("ix_request_event_request_at", "request_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="service_request.id")
    from_status: str = Field(sa_type=String(12), default="")
    to_status: str = Field(sa_type=String(12))
    department: str = Field(max_length=limits.CODE)
    note: str = Field(default="", max_length=limits.SHORT_NOTE)
    actor_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
