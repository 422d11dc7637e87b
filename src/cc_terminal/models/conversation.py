"""Written conversations (chat now, e-mail next): the conversation, its messages and the
history of who held it. Messages are append-only but for their delivered and read marks."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id, ordered_id


class ConversationState(StrEnum):
    WAITING = "waiting"  # in the queue, nobody holds it
    ASSIGNED = "assigned"  # given to an operator who has not answered yet
    OPEN = "open"  # the operator answered
    CLOSED = "closed"


class Author(StrEnum):
    VISITOR = "visitor"
    OPERATOR = "operator"
    SYSTEM = "system"
    NOTE = "note"  # only colleagues see it


class AssignmentReason(StrEnum):
    TAKEN = "taken"
    ASSIGNED = "assigned"
    TRANSFER = "transfer"
    RELEASED = "released"
    CLOSED = "closed"


# The reasons of a history row that gave the chat to its operator (the others end a hold).
GIVING = (
    AssignmentReason.TAKEN.value,
    AssignmentReason.ASSIGNED.value,
    AssignmentReason.TRANSFER.value,
)


class Conversation(SQLModel, table=True):
    """One visitor's chat (or one e-mail thread), from the first message to its outcome."""

    __tablename__ = "conversation"
    # ``ordered_id``: chats that start in the same microsecond keep their order in the queue
    __table_args__ = (
        Index("ix_conversation_state_created", "state", "created_at"),
        Index("ix_conversation_owner_state", "owner_id", "state"),
        Index("ix_conversation_token_hash", "token_hash"),
        # what the gateway's one query for every chat reads (services/channels/visitors.py)
        Index("ix_conversation_last_message", "last_message_at"),
        Index("ix_conversation_operator_typing", "operator_typing_at"),
    )
    # a change of holder travels whole, with its epoch (sync/merge_rules.py owner_rule)
    __sync_together__ = {"owner_epoch": ("owner_id", "department")}

    id: uuid.UUID = Field(default_factory=ordered_id, primary_key=True)
    channel: str = Field(sa_type=String(8))
    state: str = Field(sa_type=String(8), default=ConversationState.WAITING.value)
    customer_id: uuid.UUID | None = Field(default=None, foreign_key="customer.id")
    visitor_name: str = Field(default="", max_length=limits.FULL_NAME)
    visitor_contact: str = Field(default="", max_length=limits.EMAIL)
    topic: str = Field(default="", max_length=limits.CODE)
    department: str = Field(default="", max_length=limits.CODE)
    language: str = Field(default="", sa_type=String(8))
    # sha256 hex of the visitor's token ("" for e-mail): the token itself is never stored
    token_hash: str = Field(default="", sa_type=String(64))
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    # One more at every change of holder (taken, given, transferred, back to the queue): on a
    # folder floor the higher epoch keeps the chat, of two equal the earlier change
    # (sync/merge_rules.py owner_rule)
    owner_epoch: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_message_at: datetime = Field(sa_type=UTCDateTime)
    outcome: str = Field(default="", max_length=limits.CODE)
    consent: bool = False  # the privacy notice was accepted
    visitor_typing_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    operator_typing_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1


class ConversationMessage(SQLModel, table=True):
    """One line of a conversation; ``seq`` numbers them 1, 2, ... within it."""

    __tablename__ = "conversation_message"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_id", name="uq_conversation_message_client"),
        Index("ix_conversation_message_seq", "conversation_id", "seq", unique=True),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id")
    seq: int
    client_id: str = Field(sa_type=String(64))  # the sender's idempotency key
    author: str = Field(sa_type=String(8))
    operator_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    text: str = Field(default="", sa_type=Text)
    at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConversationAssignment(SQLModel, table=True):
    """Who held a conversation from when (an empty operator: back to the queue)."""

    __tablename__ = "conversation_assignment"
    __table_args__ = (Index("ix_conversation_assignment_conv_at", "conversation_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id")
    operator_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    department: str = Field(default="", max_length=limits.CODE)
    reason: str = Field(sa_type=String(12))
    by_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
