from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Text, Uuid
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id, utcnow

ERASED_NAME = "(erased)"  # stored, so the same on every terminal whatever its language
# An erased customer's card as every terminal keeps it (sync applies it after any edit).
ERASED_VALUES = {
    "full_name": ERASED_NAME,
    **dict.fromkeys(("street", "house_number", "city", "postal_code", "email", "notes"), ""),
}


class Customer(SQLModel, table=True):
    """A caller or a lead; the person the floor talks to."""

    __tablename__ = "customer"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    full_name: str = Field(max_length=limits.FULL_NAME)
    street: str = Field(default="", max_length=limits.STREET)
    house_number: str = Field(default="", max_length=limits.HOUSE_NUMBER)
    city: str = Field(default="", max_length=limits.CITY)
    postal_code: str = Field(default="", max_length=limits.POSTAL_CODE)
    email: str = Field(default="", max_length=limits.EMAIL)
    notes: str = Field(default="", sa_type=Text)
    do_not_call: bool = False
    priority: bool = False  # served first: a visit was missed, say
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # at their request
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CustomerPhone(SQLModel, table=True):
    """One phone of a customer, normalised to E.164; lookups go through ``e164``."""

    __tablename__ = "customer_phone"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    customer_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    e164: str = Field(max_length=16, index=True)
    position: int = 0


class ErasedPerson(SQLModel, table=True):
    """A phone number of a customer erased at their request, kept only as its SHA-256 so
    that a later import or a new card of the same number does not bring them back."""

    __tablename__ = "erased_person"

    phone_hash: str = Field(primary_key=True, max_length=64)
    erased_at: datetime = Field(sa_type=UTCDateTime)
