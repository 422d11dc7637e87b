from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime


class OutboxOp(SQLModel, table=True):
    """One change to one row, written in the transaction that made it; sync publishes these.

    ``seq`` is this terminal's own sequence; ``changes`` is JSON of the changed fields with
    their new values (all fields for an insert, none for a delete). ``hlc`` is the hybrid
    logical clock of the change; ``bases`` is JSON of the version each updated field had
    when it was changed (``"*"`` for a delete: the row's newest), which tells a receiving
    terminal whether the change saw its current value or raced it.
    """

    __tablename__ = "outbox_op"
    __outbox__ = False

    seq: int | None = Field(default=None, primary_key=True)
    op_id: uuid.UUID = Field(unique=True)
    entity: str = Field(max_length=40)
    row_id: str = Field(max_length=64)
    kind: str = Field(max_length=8)
    changes: str = Field(sa_type=Text)
    actor_id: uuid.UUID | None = None
    at: datetime = Field(sa_type=UTCDateTime)
    hlc: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    bases: str = Field(default="", sa_type=Text)
    # the signed run it belongs to (None: written with no key open, so not signed)
    run_id: uuid.UUID | None = Field(default=None, index=True)


class OutboxRun(SQLModel, table=True):
    """One account's signature over the ops one flush wrote (at most a segment's worth):
    Ed25519 over the SHA-256 of their digests in order (sync/signing.py)."""

    __tablename__ = "outbox_run"
    __outbox__ = False

    run_id: uuid.UUID = Field(primary_key=True)
    signer: uuid.UUID
    public_key: str = Field(max_length=64)
    count: int
    signature: str = Field(max_length=128)
