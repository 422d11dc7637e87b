"""Field teams and their visit slots. A slot of a team on a day is booked at most once:
a partial unique index over the live bookings says so on both stores, so two operators
booking the last slot at once cannot both get it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel, col

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id


class FieldTeam(SQLModel, table=True):
    """A team with the area it serves (municipality codes of the register, postal-code
    prefixes), its base (an address point, with the point's coordinates), the weekdays it
    works (ISO numbers, "12345") and its visit slots ("08:00-10:00", one per line)."""

    __tablename__ = "field_team"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=limits.CODE, unique=True)
    name: str = Field(max_length=limits.LABEL)
    municipalities: str = Field(default="", sa_type=Text)  # codes, space-separated
    postal_prefixes: str = Field(default="", max_length=200)  # "170 120", space-separated
    base_address_code: int | None = None
    base_y: float | None = None
    base_x: float | None = None
    working_days: str = Field(default="12345", max_length=7)
    slots: str = Field(default="08:00-10:00\n10:00-12:00\n13:00-15:00\n15:00-17:00", sa_type=Text)
    active: bool = True
    version: int = 1


class VisitBooking(SQLModel, table=True):
    __tablename__ = "visit_booking"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    team_id: uuid.UUID = Field(foreign_key="field_team.id")
    day: date
    slot: str = Field(max_length=11)
    customer_id: uuid.UUID = Field(foreign_key="customer.id")
    address_code: int
    status: str = Field(default="booked", max_length=12)  # booked, cancelled, missed, done
    order_id: uuid.UUID | None = None
    booked_by: uuid.UUID = Field(foreign_key="operator.id")
    booked_at: datetime = Field(sa_type=UTCDateTime)
    note: str = Field(default="", max_length=limits.SHORT_NOTE)


_LIVE = col(VisitBooking.status) == "booked"
Index(
    "uq_visit_booking_slot",
    col(VisitBooking.team_id),
    col(VisitBooking.day),
    col(VisitBooking.slot),
    unique=True,
    sqlite_where=_LIVE,
    postgresql_where=_LIVE,
)
Index("ix_visit_booking_day", col(VisitBooking.day), col(VisitBooking.team_id))
