"""Offers by e-mail (Czech Act 480/2004, section 7): an address's consent to them, each offer
sent with the token its refusal carries back, and the refusals, which no offer passes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id

TOKEN = 32


class MailConsent(SQLModel, table=True):
    """A person's yes to offers by e-mail, for one address (append-only)."""

    __tablename__ = "mail_consent"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    address: str = Field(max_length=limits.EMAIL, index=True)
    source: str = Field(sa_type=String(20))
    given_on: date
    recorded_by: uuid.UUID = Field(foreign_key="operator.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


class MailOffer(SQLModel, table=True):
    """An offer sent in a letter; the refusal quotes its token."""

    __tablename__ = "mail_offer"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    letter_id: uuid.UUID = Field(foreign_key="mail_letter.id", unique=True)
    address: str = Field(max_length=limits.EMAIL)
    product_code: str = Field(max_length=limits.CODE)
    token: str = Field(sa_type=String(TOKEN), unique=True)
    offered_by: uuid.UUID = Field(foreign_key="operator.id")
    offered_at: datetime = Field(sa_type=UTCDateTime)


class MailObjection(SQLModel, table=True):
    """ "No more offers by e-mail": one row per address, never deleted."""

    __tablename__ = "mail_objection"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    address: str = Field(max_length=limits.EMAIL, unique=True)
    recorded_by: uuid.UUID = Field(foreign_key="operator.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    offer_id: uuid.UUID | None = Field(default=None, foreign_key="mail_offer.id")
    note: str = Field(default="", max_length=limits.SHORT_NOTE)
