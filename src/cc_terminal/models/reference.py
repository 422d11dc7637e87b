from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import new_id


class ListKind(StrEnum):
    """The configurable closed lists; a lead edits them, the package ships their defaults."""

    CALL_REASON = "call_reason"
    CALL_OUTCOME = "call_outcome"
    REFUSAL_REASON = "refusal_reason"
    REQUEST_CATEGORY = "request_category"
    DEPARTMENT = "department"


class ReferenceItem(SQLModel, table=True):
    """One entry of a closed list. ``key`` is an outcome's digit; ``sla_minutes`` and
    ``department`` belong to request categories. Entries are retired, never deleted,
    because stored calls and requests keep pointing at their codes."""

    __tablename__ = "reference_item"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_reference_item_kind_code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(sa_type=String(20))
    code: str = Field(max_length=limits.CODE)
    label: str = Field(max_length=limits.LABEL)
    key: str = Field(default="", max_length=1)
    sla_minutes: int | None = None
    department: str = Field(default="", max_length=limits.CODE)
    # a department's week (services/common/working_hours.py); empty: the default hours
    working_hours: str = Field(default="", max_length=limits.WORKING_HOURS)
    position: int = 0
    active: bool = True
