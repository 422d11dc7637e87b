"""A bulk import while it is written (issue 29): its rows go into their tables in batches,
out of sight (a lead is ``staged``, not yet ``open``; the floor publishes no op from
``first_seq`` on), and one short step decides them shown (``shown_at``), their leads then
opened in bounded batches. What a crash leaves is found here
and taken away at the next start."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime


class StagedImport(SQLModel, table=True):
    """An import not yet shown; its row is deleted by the step that shows it."""

    __tablename__ = "staged_import"
    __outbox__ = False

    id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(max_length=20)
    # the lead list its leads are staged in (None until its first batch made or found it)
    list_id: uuid.UUID | None = None
    # the outbox's next seq when it began: the floor publishes nothing from here on
    first_seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    actor_id: uuid.UUID | None = None
    started_at: datetime = Field(sa_type=UTCDateTime)
    # who writes it ("host:pid") and when it last wrote a batch: an import whose process
    # is gone, or silent for long, was left behind by a crash
    owner: str = Field(max_length=120)
    touched_at: datetime = Field(sa_type=UTCDateTime)
    # when the import was decided shown: from then its leads are opened in bounded
    # batches, and a crash's clean-up finishes that rather than take the import away
    shown_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StagedRow(SQLModel, table=True):
    """A row a staged import made that its list does not find again (a new customer, a
    consent): what a crash's clean-up deletes. Kept after the import is shown, and
    deleted then in its own transactions (the step that shows it stays short)."""

    __tablename__ = "staged_row"
    __outbox__ = False

    import_id: uuid.UUID = Field(primary_key=True)
    entity: str = Field(max_length=40, primary_key=True)
    row_id: uuid.UUID = Field(primary_key=True)
