"""Days off and the roster: the operators' requests and every step of each, the heads the
floor needs per day and shift, the planning rules a team lead sets, and the solved and
published weekly schedule."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class Shift(StrEnum):
    EARLY = "early"  # 06:00-14:00
    LATE = "late"  # 14:00-22:00


class RequestState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WAITLISTED = "waitlisted"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REVOKED = "revoked"


class DayOffRequest(SQLModel, table=True):
    """A day, or one shift of it, an operator wants off. ``shift`` empty: the whole day.
    ``late``: filed after the cutoff, for the team lead to accept or not."""

    __tablename__ = "day_off_request"
    __table_args__ = (
        Index("ix_day_off_request_day", "day", "state"),
        Index("ix_day_off_request_operator_day", "operator_id", "day"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    day: date = Field(sa_type=Date)
    shift: str = Field(default="", sa_type=String(8))
    priority: int = 2  # 1 must, 2 would like, 3 nice to have
    note: str = Field(default="", max_length=limits.SHORT_NOTE)
    state: str = Field(sa_type=String(12), default=RequestState.DRAFT.value)
    reason: str = Field(default="", max_length=limits.SHORT_NOTE)
    late: bool = False
    change: bool = False  # filed after the week's roster was published
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class DayOffEvent(SQLModel, table=True):
    """One transition of a request: who, when, from what to what, and why (append-only)."""

    __tablename__ = "day_off_event"
    __table_args__ = (Index("ix_day_off_event_request", "request_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="day_off_request.id")
    from_state: str = Field(default="", sa_type=String(12))
    to_state: str = Field(sa_type=String(12))
    reason: str = Field(default="", max_length=limits.SHORT_NOTE)
    actor_id: uuid.UUID = Field(foreign_key="operator.id")
    at: datetime = Field(sa_type=UTCDateTime)


class StaffingNeed(SQLModel, table=True):
    """The fewest heads a day's shift may have; ``source`` says who set it (the team lead,
    or Erlang C from an expected volume, clamped to the floor)."""

    __tablename__ = "staffing_need"
    __table_args__ = (UniqueConstraint("day", "shift", name="uq_staffing_need_day_shift"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    day: date = Field(sa_type=Date)
    shift: str = Field(sa_type=String(8))
    heads: int
    source: str = Field(default="set", max_length=limits.CODE)
    detail: str = Field(default="", max_length=limits.SHORT_NOTE)
    set_by: uuid.UUID = Field(foreign_key="operator.id")
    set_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class RosterRules(SQLModel, table=True):
    """The floor's planning rules (one row): the weekly cutoff for requests, the rest and
    working-day limits the roster keeps, the heads no shift goes below."""

    __tablename__ = "roster_rules"

    id: int = Field(default=1, primary_key=True)
    cutoff_weekday: int = 2  # Wednesday
    cutoff_time: str = Field(default="18:00", max_length=5)
    max_consecutive_days: int = 6
    floor_heads: int = 1
    contract_days: int = 5
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class Roster(SQLModel, table=True):
    """A week's schedule: solved (a draft), then published for every operator to see.
    ``explanations`` is JSON: request id -> the rule that kept it from being granted."""

    __tablename__ = "roster"
    __table_args__ = (UniqueConstraint("week_start", name="uq_roster_week"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    week_start: date = Field(sa_type=Date)
    state: str = Field(default="draft", sa_type=String(10))
    seed: int = 7
    solved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    solved_by: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_by: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    explanations: str = Field(default="{}", sa_type=Text)
    status: str = Field(default="", max_length=limits.SHORT_NOTE)
    version: int = 1


class RosterCell(SQLModel, table=True):
    """One operator's day in a roster: a shift or off; a pinned cell the solver keeps."""

    __tablename__ = "roster_cell"
    __table_args__ = (UniqueConstraint("roster_id", "operator_id", "day", name="uq_roster_cell"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    roster_id: uuid.UUID = Field(foreign_key="roster.id")
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    day: date = Field(sa_type=Date)
    shift: str = Field(default="", sa_type=String(8))  # empty: off
    pinned: bool = False
    version: int = 1
