"""Orders and applications an operator fills after a customer agrees: one row per order with
its kind's typed values kept as JSON, every step of its life as an event, the fields a team
lead added to a kind, and the loan products with their limits."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class OrderKind(StrEnum):
    SERVICE = "service"  # a service connection or a tariff change
    EQUIPMENT = "equipment"  # an equipment change with a technician visit
    LOAN = "loan"
    TAXI = "taxi"
    WEB = "web"  # confirming a web order


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    MISSED = "missed"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class CustomerOrder(SQLModel, table=True):
    """An order. ``values`` holds what the kind's form asked (JSON of strings, as typed and
    checked), ``lines`` the priced lines (JSON); the amount is in minor units."""

    __tablename__ = "customer_order"
    __table_args__ = (
        Index("ix_order_status_created", "status", "created_at"),
        Index("ix_order_customer_created", "customer_id", "created_at"),
        Index("ix_order_visit", "visit_day", "team_id"),
        Index("ix_order_created_by_at", "created_by", "created_at"),
        Index("ix_order_call", "call_id"),
        Index("ix_order_lead", "lead_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    number: str = Field(max_length=12, unique=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    kind: str = Field(sa_type=String(12))
    status: str = Field(sa_type=String(12), default=OrderStatus.DRAFT.value)
    address_code: int | None = None
    address_text: str = Field(default="", max_length=limits.LABEL * 2)
    address_override: str = Field(default="", max_length=limits.SHORT_NOTE)
    values: str = Field(default="{}", sa_type=Text)
    lines: str = Field(default="[]", sa_type=Text)
    amount_minor: int | None = None
    currency: str = Field(default="CZK", max_length=3)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="field_team.id")
    visit_day: date | None = None
    visit_slot: str = Field(default="", max_length=11)
    call_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None
    counts_as_success: bool = False
    priority: bool = False
    checklist: str = Field(default="", sa_type=Text)  # as told to the client, one per line
    read_back: str = Field(default="", sa_type=Text)
    created_by: uuid.UUID = Field(foreign_key="operator.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class OrderEvent(SQLModel, table=True):
    """One step of an order's life: from what to what, who, when and why."""

    __tablename__ = "order_event"
    __table_args__ = (Index("ix_order_event_order_at", "order_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    order_id: uuid.UUID = Field(foreign_key="customer_order.id")
    seq: int  # the step's place in the order's life: steps taken in one instant keep their order
    from_status: str = Field(sa_type=String(12), default="")
    to_status: str = Field(sa_type=String(12))
    note: str = Field(default="", max_length=limits.SHORT_NOTE)
    actor_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)


class OrderField(SQLModel, table=True):
    """A field a team lead added to an order kind: free text, or one of ``choices``."""

    __tablename__ = "order_field"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_order_field_code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(sa_type=String(12))
    code: str = Field(max_length=limits.CODE)
    label: str = Field(max_length=limits.LABEL)
    required: bool = False
    choices: str = Field(default="", sa_type=Text)  # one per line; empty: free text
    position: int = 0
    active: bool = True
    version: int = 1


class LoanProduct(SQLModel, table=True):
    """A loan with its limits; the rate is yearly, in hundredths of a per cent (899 = 8.99 %),
    and a payment may take at most ``max_payment_share`` per cent of the monthly income."""

    __tablename__ = "loan_product"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=limits.CODE, unique=True)
    name: str = Field(max_length=limits.LABEL)
    min_amount_minor: int
    max_amount_minor: int
    min_months: int
    max_months: int
    rate_bp: int
    max_payment_share: int = 40
    currency: str = Field(default="CZK", max_length=3)
    active: bool = True
    version: int = 1
