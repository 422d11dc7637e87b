from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime


class OutboxOp(SQLModel, table=True):
    """One change to one row, written in the transaction that made it; sync publishes these.

    ``seq`` is this terminal's own sequence; ``changes`` is JSON of the changed fields with
    their new values (all fields for an insert, none for a delete).
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
