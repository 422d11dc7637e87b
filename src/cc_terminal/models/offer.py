from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class Offer(SQLModel, table=True):
    """What was offered to a customer, at what price, and the answer (append-only).

    ``call_id`` is the call's own key, made when the call opened; the call row itself is
    stored only when the call ends, so it is not a foreign key."""

    __tablename__ = "offer"
    __table_args__ = (
        Index("ix_offer_customer_at", "customer_id", "offered_at"),
        Index("ix_offer_refusal_price", "refusal_reason", "price_minor"),
        Index("ix_offer_operator_at", "operator_id", "offered_at"),
        Index("ix_offer_call", "call_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    call_id: uuid.UUID | None = None
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    product_id: uuid.UUID = Field(foreign_key="product.id")
    product_name: str = Field(max_length=120)
    price_minor: int
    currency: str = Field(max_length=3)
    accepted: bool
    refusal_reason: str = Field(default="", max_length=limits.CODE)
    refusal_note: str = Field(default="", max_length=limits.SHORT_NOTE)
    offered_at: datetime = Field(sa_type=UTCDateTime)
