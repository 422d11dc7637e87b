"""The tally: work sessions and pauses, the operator's claims, pay plans and closed pay
periods, quality evaluations and justified complaints.

Money is in minor units (hundredths) and shares in basis points, so every figure is an
exact integer on both stores; the services compute in Decimal."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class PauseReason(StrEnum):
    BREAK = "break"
    LUNCH = "lunch"  # the one unpaid pause
    TRAINING = "training"
    TECHNICAL = "technical"


class SuccessKind(StrEnum):
    SALE = "sale"
    APPOINTMENT = "appointment"
    APPLICATION = "application"
    ORDER = "order"
    SURVEY = "survey"  # a completed survey or confirmation call


class WorkSession(SQLModel, table=True):
    """From sign-in to sign-out at one terminal; ``ended_at`` empty while signed in."""

    __tablename__ = "work_session"
    __table_args__ = (Index("ix_work_session_operator_started", "operator_id", "started_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WorkPause(SQLModel, table=True):
    """A pause within a session and its reason; ``ended_at`` empty while paused."""

    __tablename__ = "work_pause"
    __table_args__ = (Index("ix_work_pause_operator_started", "operator_id", "started_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="work_session.id")
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    reason: str = Field(sa_type=String(12))
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TallyClaim(SQLModel, table=True):
    """One keystroke of the operator's own tally: a success they say they made (append-only)."""

    __tablename__ = "tally_claim"
    __table_args__ = (
        Index("ix_tally_claim_operator_at", "operator_id", "at"),
        Index("ix_tally_claim_call", "call_id"),
        Index("ix_tally_claim_lead", "lead_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(sa_type=String(12))
    amount_minor: int | None = None
    currency: str = Field(default="CZK", max_length=3)
    call_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


class DisputeDecision(SQLModel, table=True):
    """A team lead's answer to a disputed item: a claim with no record, or whose record
    says something else (``claim_id``)."""

    __tablename__ = "dispute_decision"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    claim_id: uuid.UUID = Field(foreign_key="tally_claim.id", unique=True)
    accepted: bool
    note: str = Field(max_length=limits.SHORT_NOTE)
    decided_by: uuid.UUID = Field(foreign_key="operator.id")
    decided_at: datetime = Field(sa_type=UTCDateTime)


class PayScheme(StrEnum):
    HOURLY = "hourly"
    PER_CONTACT = "per_contact"
    PER_SUCCESS = "per_success"
    SALES_SHARE = "sales_share"
    MIX = "mix"


class PayPlan(SQLModel, table=True):
    """How a team lead pays the operators on it, and the targets they are held to. An
    empty rate is not part of the plan; the scheme says which rates it needs and which it
    may have (services/tally/pay_plans.py)."""

    __tablename__ = "pay_plan"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=limits.CODE, unique=True)
    name: str = Field(max_length=limits.LABEL)
    scheme: str = Field(sa_type=String(12))
    currency: str = Field(default="CZK", max_length=3)
    hourly_minor: int | None = None
    per_call_minor: int | None = None
    per_message_minor: int | None = None
    per_chat_minor: int | None = None
    min_talk_seconds: int = 0
    per_success_minor: int | None = None
    sales_bp: int | None = None  # basis points of net sales
    sales_quota_minor: int | None = None
    sales_above_quota_bp: int | None = None
    qa_gate_bp: int | None = None  # QA score needed for the success and sales part
    floor_hourly_minor: int | None = None
    hold_days: int = 14  # a success is pending this long (cancellation and QA window)
    target_calls_per_day: int = 0
    target_successes_per_day: int = 0
    target_sales_per_day_minor: int = 0
    target_aht_seconds: int = 0
    target_qa_bp: int = 0
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class PayPeriod(SQLModel, table=True):
    """A closed pay period: its lines are written once and never changed."""

    __tablename__ = "pay_period"
    __table_args__ = (UniqueConstraint("starts_on", name="uq_pay_period_start"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    starts_on: date = Field(sa_type=Date)
    ends_on: date = Field(sa_type=Date)  # inclusive
    closed_at: datetime = Field(sa_type=UTCDateTime)
    closed_by: uuid.UUID = Field(foreign_key="operator.id")


class PayLine(SQLModel, table=True):
    """One line of an operator's pay for a closed period (append-only). ``item`` names the
    success a success line pays or reverses, so it is paid once and reversed once."""

    __tablename__ = "pay_line"
    __table_args__ = (
        Index("ix_pay_line_period_operator", "period_id", "operator_id"),
        Index("ix_pay_line_item", "item"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    period_id: uuid.UUID = Field(foreign_key="pay_period.id")
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    component: str = Field(max_length=limits.CODE)
    quantity: str = Field(default="", max_length=limits.CODE)
    amount_minor: int
    currency: str = Field(max_length=3)
    item: str = Field(default="", max_length=80)
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


class QaForm(SQLModel, table=True):
    """A weighted quality form; ``questions`` is JSON: code, text, weight, critical."""

    __tablename__ = "qa_form"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=limits.CODE, unique=True)
    name: str = Field(max_length=limits.LABEL)
    questions: str = Field(sa_type=Text)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class QaEvaluation(SQLModel, table=True):
    """A team lead's scoring of one call (append-only); points are kept as scored."""

    __tablename__ = "qa_evaluation"
    __table_args__ = (Index("ix_qa_evaluation_operator_call", "operator_id", "call_started_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    form_id: uuid.UUID = Field(foreign_key="qa_form.id")
    call_id: uuid.UUID = Field(foreign_key="call.id")
    call_started_at: datetime = Field(sa_type=UTCDateTime)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    evaluator_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
    answers: str = Field(sa_type=Text)
    earned: int
    possible: int
    auto_failed: bool = False
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


class ComplaintSource(StrEnum):
    CLIENT = "client"
    DEPARTMENT = "department"


class OperatorComplaint(SQLModel, table=True):
    """A justified complaint against an operator, recorded by a team lead (append-only)."""

    __tablename__ = "operator_complaint"
    __table_args__ = (Index("ix_operator_complaint_operator_at", "operator_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)
    source: str = Field(sa_type=String(12))
    department: str = Field(default="", max_length=limits.CODE)
    call_id: uuid.UUID | None = None
    request_id: uuid.UUID | None = None
    note: str = Field(max_length=limits.SHORT_NOTE)
    recorded_by: uuid.UUID = Field(foreign_key="operator.id")
