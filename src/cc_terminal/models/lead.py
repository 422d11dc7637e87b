"""Leads: a customer to call in a campaign, the lists they came in, and every attempt."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel, col

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class Temperature(StrEnum):
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


HEAT = {"cold": 0, "warm": 1, "hot": 2}  # the order leads are called in: hot first


class LeadStatus(StrEnum):
    OPEN = "open"  # to be called
    CALLBACK = "callback"  # a time was agreed
    CALLING = "calling"  # an operator holds it (``claimed_by`` until ``claimed_until``)
    DONE = "done"  # a final disposition
    UNWORKABLE = "unworkable"  # the number is no good
    EXHAUSTED = "exhausted"  # the campaign's attempts are used up


class LeadList(SQLModel, table=True):
    """One imported file (or a re-offer batch) of a campaign."""

    __tablename__ = "lead_list"
    __table_args__ = (UniqueConstraint("campaign_id", "name", name="uq_lead_list_name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    name: str = Field(max_length=limits.LABEL)
    source: str = Field(default="", max_length=limits.LABEL)
    temperature: str = Field(sa_type=String(8))
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: uuid.UUID = Field(foreign_key="operator.id")


class Lead(SQLModel, table=True):
    """A customer to call in a campaign. ``assigned_to`` empty means the campaign's pool,
    from which a lead is claimed with a lease (``claimed_by`` until ``claimed_until``);
    ``assignment_epoch`` grows with each reassignment, so a stale terminal cannot win."""

    __tablename__ = "lead"
    __sync_together__ = {"assigned_to": ("assignment_epoch",)}
    __table_args__ = (
        UniqueConstraint("campaign_id", "phone_e164", name="uq_lead_campaign_phone"),
        Index("ix_lead_claimed", "status", "claimed_until"),
        Index("ix_lead_customer", "customer_id"),
        Index("ix_lead_status_callback", "status", "callback_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    list_id: uuid.UUID = Field(foreign_key="lead_list.id")
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    phone_e164: str = Field(max_length=16)
    time_zone: str = Field(default="Europe/Prague", max_length=40)
    temperature: str = Field(sa_type=String(8))
    heat: int = 0  # HEAT of the temperature, so the pick's order is an index's order
    status: str = Field(sa_type=String(12), default=LeadStatus.OPEN.value)
    priority: int = 0
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    callback_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    callback_personal: bool = False
    callback_asked: bool = False
    callback_by: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    # A personal callback nobody worked passes to anyone in the campaign at this moment.
    callback_released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    assigned_to: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    assignment_epoch: int = 0
    claimed_by: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_disposition: str = Field(default="", max_length=limits.CODE)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    origin_offer_id: uuid.UUID | None = None  # a re-offer: the refused offer it answers
    extra: str = Field(default="{}", sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


# The pick walks these indexes in its order and stops at the first callable lead: an
# operator's own leads (status and owner fixed), and the pools (unassigned leads, a partial
# index, as "IS NULL" does not fix a column for the order). A claimed lead has left the
# "open" status, so it is never walked over.
_PICK_ORDER = (
    col(Lead.priority).desc(),
    col(Lead.heat).desc(),
    col(Lead.attempts),
    col(Lead.created_at),
    col(Lead.id),
)
Index("ix_lead_pick", col(Lead.status), col(Lead.assigned_to), *_PICK_ORDER)
_POOL = col(Lead.assigned_to).is_(None)
Index("ix_lead_pool", col(Lead.status), *_PICK_ORDER, postgresql_where=_POOL, sqlite_where=_POOL)


class LeadAttempt(SQLModel, table=True):
    """One call of a lead and how it ended (append-only)."""

    __tablename__ = "lead_attempt"
    __table_args__ = (
        Index("ix_lead_attempt_lead_at", "lead_id", "at"),
        Index("ix_lead_attempt_customer_at", "customer_id", "at"),
        Index("ix_lead_attempt_campaign_at", "campaign_id", "at"),
        Index("ix_lead_attempt_operator_at", "operator_id", "at"),
        Index("ix_lead_attempt_call", "call_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    lead_id: uuid.UUID = Field(foreign_key="lead.id")
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    call_id: uuid.UUID
    at: datetime = Field(sa_type=UTCDateTime)
    disposition: str = Field(max_length=limits.CODE)
    refusal_reason: str = Field(default="", max_length=limits.CODE)
    note: str = Field(default="", sa_type=Text)
    next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SurveyAnswer(SQLModel, table=True):
    """One answer to one question in one call (append-only)."""

    __tablename__ = "survey_answer"
    __table_args__ = (Index("ix_survey_answer_campaign", "campaign_id", "question_code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    lead_id: uuid.UUID = Field(foreign_key="lead.id")
    call_id: uuid.UUID
    question_code: str = Field(max_length=limits.CODE)
    value: str = Field(sa_type=Text)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
