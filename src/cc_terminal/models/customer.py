from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ForeignKey, Text, Uuid
from sqlmodel import Field, SQLModel

from cc_terminal.customer_fields import (
    CUSTOMER_FIELDS,
    ERASED_NAME,
    ERASED_VALUES,
    field_named,
)
from cc_terminal.models.base import UTCDateTime, new_id, utcnow

__all__ = [
    "ERASED_NAME",
    "ERASED_VALUES",
    "Customer",
    "CustomerPhone",
    "ErasedPerson",
    "customer_column",
]


def _declared_columns() -> type[SQLModel]:
    """The columns of the customer's declared fields (customer_fields.py), one per field:
    a required one has no default, a long one is TEXT, the rest VARCHAR of its length."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for field in CUSTOMER_FIELDS:
        namespace["__annotations__"][field.name] = str
        if field.multi_line:
            namespace[field.name] = Field(default="", sa_type=Text)
        elif field.required:
            namespace[field.name] = Field(max_length=field.max_length)
        else:
            namespace[field.name] = Field(default="", max_length=field.max_length)
    return type("CustomerFieldColumns", (SQLModel,), namespace)


if TYPE_CHECKING:
    _CustomerFieldColumns = SQLModel
else:
    _CustomerFieldColumns = _declared_columns()


class Customer(_CustomerFieldColumns, table=True):
    """A caller or a lead; the person the floor talks to. Its text fields are the declared
    ones (customer_fields.py); read them by name, ``getattr(customer, field.name)``."""

    __tablename__ = "customer"

    if TYPE_CHECKING:  # what mypy is told of the declared columns
        full_name: str

        def __getattr__(self, name: str) -> str: ...

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    do_not_call: bool = False
    priority: bool = False  # served first: a visit was missed, say
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # at their request
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def customer_column(name: str) -> Any:
    """The column of a declared field, for a query: ``customer_column("city")``."""
    field_named(name)
    return getattr(Customer, name)


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
