"""Plain, frozen values the chat gateway and the operator's screens read (no ORM)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PreChat:
    """The visitor's pre-chat form, as typed (untrusted)."""

    name: str
    contact: str  # an e-mail address or a phone number
    topic: str  # a request category's code, or ""
    consent: bool  # the privacy notice accepted
    language: str  # "cs" | "en"


@dataclass(frozen=True)
class VisitorLine:
    """One line as the visitor may see it: never a note, an operator by first name."""

    seq: int
    client_id: str
    author: str  # "visitor" | "operator" | "system"
    text: str
    at: datetime
    operator_label: str
    delivered: bool
    read: bool


@dataclass(frozen=True)
class StartedChat:
    token: str  # shown to the visitor once; stored only as its SHA-256
    conversation_id: uuid.UUID


@dataclass(frozen=True)
class QueuedChat:
    """A waiting conversation in the operator's queue; the contact is masked."""

    id: uuid.UUID
    created_at: datetime
    topic: str
    department: str
    visitor_name: str
    contact_masked: str
    customer_id: uuid.UUID | None
    customer_name: str
    channel: str = "chat"  # "email": visitor_name is the sender, topic the subject


@dataclass(frozen=True)
class TakenElsewhere:
    """A chat the operator held that a colleague's earlier take kept (a folder floor)."""

    visitor_name: str
    owner_name: str


@dataclass(frozen=True)
class OpenChat:
    """One of the operator's own open conversations."""

    id: uuid.UUID
    visitor_name: str
    topic: str
    state: str
    unread: int
    last_message_at: datetime
    customer_id: uuid.UUID | None
    visitor_typing: bool
    channel: str = "chat"  # "email": visitor_name is the sender, topic the subject


@dataclass(frozen=True)
class ChatLine:
    """A line as an operator sees it (notes included)."""

    seq: int
    author: str
    text: str
    at: datetime
    operator_name: str
    delivered: bool
    read: bool


@dataclass(frozen=True)
class ChatDetail:
    id: uuid.UUID
    channel: str
    state: str
    visitor_name: str
    visitor_contact: str
    topic: str
    department: str
    language: str
    customer_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    created_at: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    outcome: str
    consent: bool
    visitor_typing: bool
    version: int
    lines: tuple[ChatLine, ...]


@dataclass(frozen=True)
class WaitingSummary:
    """The header's badge: how many chats wait and since when the longest; and how long
    the oldest chat without its first answer has waited when past the floor's limit (0:
    none is late), which alerts the team lead."""

    count: int
    longest_seconds: int
    late_seconds: int = 0


@dataclass(frozen=True)
class Colleague:
    """Someone a chat can be handed to now: signed in, not paused, taking chats."""

    id: uuid.UUID
    full_name: str
    department: str
    held: int
    limit: int
