from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime


class RetentionRule(SQLModel, table=True):
    """How many days the floor keeps one kind of personal data (call notes, chat
    transcripts, letters, recordings), set by a team lead; a kind without a row keeps the
    shipped default (services/privacy/retention.py)."""

    __tablename__ = "retention_rule"

    kind: str = Field(primary_key=True, max_length=limits.CODE)
    days: int
    set_by: uuid.UUID = Field(foreign_key="operator.id")
    set_at: datetime = Field(sa_type=UTCDateTime)
