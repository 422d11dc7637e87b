"""What a terminal keeps about the floor folder: its own identity, how far it has read each
other terminal, which value of each field won, and what it could not apply.

All of it is local bookkeeping (``__outbox__ = False``) except ``ConflictResolution``,
which is a team lead's decision and travels to every terminal like any other change."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, new_id, utcnow


class SyncTerminal(SQLModel, table=True):
    """This terminal on its floor (one row, id 1). ``published_outbox_seq`` is the last
    outbox op sealed into a segment; ``stream_seq`` and ``last_hash`` are where its stream
    stands; ``seen_hlc`` is the highest clock read from another terminal."""

    __tablename__ = "sync_terminal"
    __outbox__ = False

    id: int = Field(default=1, primary_key=True)
    terminal_id: uuid.UUID
    published_outbox_seq: int = 0
    stream_seq: int = 0
    last_hash: str = Field(default="", max_length=64)
    seen_hlc: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    stopped: str = Field(default="", max_length=500)


class SyncPeer(SQLModel, table=True):
    """How far this terminal has applied another terminal's stream, and why it waits."""

    __tablename__ = "sync_peer"
    __outbox__ = False

    terminal_id: uuid.UUID = Field(primary_key=True)
    applied_seq: int = 0
    last_hash: str = Field(default="", max_length=64)
    waiting: str = Field(default="", max_length=500)
    skew_seconds: int = 0
    last_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncSegment(SQLModel, table=True):
    """A segment this terminal sealed into its own folder: a name in the folder that it
    did not write means another terminal uses its id."""

    __tablename__ = "sync_segment"
    __outbox__ = False

    name: str = Field(primary_key=True, max_length=120)
    first_seq: int
    last_seq: int
    first_outbox_seq: int
    last_outbox_seq: int
    size: int
    # what the segment's header said: republishing a lost one must say exactly the same
    prev_hash: str = Field(max_length=64)
    after: str = Field(sa_type=Text)
    gone: bool = False


class AppliedOp(SQLModel, table=True):
    """An op id already applied here: the same op arriving twice changes nothing."""

    __tablename__ = "sync_applied_op"
    __outbox__ = False

    op_id: uuid.UUID = Field(primary_key=True)


class FieldVersion(SQLModel, table=True):
    """Which write a field's current value came from: its op, ``hlc`` and ``terminal``
    (empty for this terminal's own writes). A field only ever set by its row's insert has
    no row."""

    __tablename__ = "sync_field_version"
    __outbox__ = False

    entity: str = Field(primary_key=True, max_length=40)
    row_id: str = Field(primary_key=True, max_length=64)
    field: str = Field(primary_key=True, max_length=60)
    hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    terminal: str = Field(default="", max_length=36)
    op_id: uuid.UUID


class SyncConflict(SQLModel, table=True):
    """A value that lost to a concurrent write of the same field (or was written to a record
    deleted meanwhile), kept until a team lead chooses. Of several losing values the newest
    is kept, so every terminal holds the same conflict whatever order the writes came in."""

    __tablename__ = "sync_conflict"
    __outbox__ = False

    entity: str = Field(primary_key=True, max_length=40)
    row_id: str = Field(primary_key=True, max_length=64)
    field: str = Field(primary_key=True, max_length=60)
    loser_op_id: uuid.UUID
    value: str = Field(sa_type=Text)
    hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    terminal: str = Field(max_length=36)
    actor_id: uuid.UUID | None = None
    deleted: bool = False
    resolved: bool = False


class SyncIssue(SQLModel, table=True):
    """A file set aside or an op refused on ingest, for the sync screen and the report."""

    __tablename__ = "sync_issue"
    __outbox__ = False

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    terminal: str = Field(default="", max_length=36)
    kind: str = Field(max_length=20)
    subject: str = Field(default="", max_length=200)
    detail: str = Field(default="", sa_type=Text)


class ConflictResolution(SQLModel, table=True):
    """A team lead's choice for one field's conflicts: closes them on every terminal."""

    __tablename__ = "conflict_resolution"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    entity: str = Field(max_length=40)
    row_id: str = Field(max_length=64)
    field: str = Field(max_length=60)
    # the clock of the newest losing value this decision saw: a newer one reopens the conflict
    loser_hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    value: str = Field(sa_type=Text)
    resolved_by: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
