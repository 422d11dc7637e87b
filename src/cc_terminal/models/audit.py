from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, ordered_id, utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what security-relevant thing, and when (append-only, no personal data).

    Each event is a link of a hash chain (services/audit_chain.py): ``chain`` names the
    database that wrote it, ``seq`` counts its events, ``hash`` covers the event and the
    ``prev_hash`` of the one before. Events from before the chain (schema 0015) have none."""

    __tablename__ = "audit_event"
    # not unique: a copied disk writes its own events under the chain's numbers until it
    # rejoins, and every terminal keeps both (sync/audit_links.py reports the fork)
    __table_args__ = (Index("ix_audit_event_chain_seq", "chain", "seq"),)

    id: uuid.UUID = Field(default_factory=ordered_id, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: uuid.UUID | None = None
    kind: str = Field(max_length=40)
    subject: str = Field(default="", max_length=120)
    detail: str = Field(default="", sa_type=Text)
    chain: str | None = Field(default=None, max_length=48)
    seq: int | None = None
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The newest link of each chain this database knows: its own (``own``, the head it
    appends to; a deleted tail shows as events missing below it) and, on a floor, each
    other terminal's as last received (a link that does not follow it is a cut trail)."""

    __tablename__ = "audit_chain"
    __outbox__ = False

    chain: str = Field(primary_key=True, max_length=48)
    own: bool = False
    seq: int = 0
    hash: str = Field(default="", max_length=64)


class AuditCheck(SQLModel, table=True):
    """The last ``cc-terminal audit verify`` (one row, id 1): the team lead's F10 T shows it."""

    __tablename__ = "audit_check"
    __outbox__ = False

    id: int = Field(default=1, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    events: int = 0
    intact: bool = True
    first_break: str = Field(default="", sa_type=Text)
    # the own chains' heads then, JSON {chain: [seq, hash]}: a later check finds each still
    # there, or the tail was cut and the head moved back to hide it
    heads: str = Field(default="{}", sa_type=Text)


class LocalSecret(SQLModel, table=True):
    """Keys that never leave this database (not synced): the key of the hash that stands
    for a typed user name matching no account."""

    __tablename__ = "local_secret"
    __outbox__ = False

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=128)
