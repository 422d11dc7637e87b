from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, ordered_id, utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what security-relevant thing, and when (append-only, no personal data)."""

    __tablename__ = "audit_event"

    id: uuid.UUID = Field(default_factory=ordered_id, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: uuid.UUID | None = None
    kind: str = Field(max_length=40)
    subject: str = Field(default="", max_length=120)
    detail: str = Field(default="", sa_type=Text)
