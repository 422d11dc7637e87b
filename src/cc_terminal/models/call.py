from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, new_id


class Direction(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"


class Call(SQLModel, table=True):
    """One contact with a customer, stored once it has an outcome (append-only)."""

    __tablename__ = "call"
    __table_args__ = (
        # Covering the tally's sums (a month of 50 operators: 377 ms without, 37 ms with)
        # and today's counts by outcome (migration 0032).
        Index(
            "ix_call_operator_figures",
            "operator_id",
            "started_at",
            "channel",
            "direction",
            "talk_seconds",
            "wrap_seconds",
            "outcome",
        ),
        Index("ix_call_customer_started", "customer_id", "started_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    direction: str = Field(sa_type=String(8), default=Direction.INBOUND.value)
    channel: str = Field(sa_type=String(8), default=Channel.VOICE.value)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    customer_id: uuid.UUID | None = Field(default=None, foreign_key="customer.id")
    phone_e164: str = Field(default="", max_length=16)
    started_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(max_length=40)
    outcome: str = Field(max_length=40)
    notes: str = Field(default="", sa_type=Text)
    talk_seconds: int = 0
    wrap_seconds: int = 0
    # A chat's operator messages that count for pay: one per customer turn, counted when
    # the chat is closed (services/channels/conversations.py); 0 for a voice call.
    messages: int = 0
