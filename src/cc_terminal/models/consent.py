"""Who may be called for marketing (consents) and who may never be called (objections),
both by phone number, for every campaign."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class ConsentSource(StrEnum):
    DIRECTORY = "directory"
    WEB_FORM = "web_form"
    EARLIER_CALL = "earlier_call"
    PAPER = "paper"
    IMPORT = "import"


class Consent(SQLModel, table=True):
    """A person's yes to marketing calls, for one number (append-only)."""

    __tablename__ = "consent"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    phone_e164: str = Field(max_length=16, index=True)
    source: str = Field(sa_type=String(20))
    given_on: date
    recorded_by: uuid.UUID = Field(foreign_key="operator.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


class Objection(SQLModel, table=True):
    """ "Do not call me again": the number is never called by any campaign, and no import
    brings it back. One row per number; it is never deleted."""

    __tablename__ = "objection"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    phone_e164: str = Field(max_length=16, unique=True)
    recorded_by: uuid.UUID = Field(foreign_key="operator.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    call_id: uuid.UUID | None = None
    note: str = Field(default="", max_length=limits.SHORT_NOTE)
