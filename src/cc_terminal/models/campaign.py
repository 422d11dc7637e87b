"""Outbound campaigns: what is called for, how, when, and what an attempt can end with."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.disposition_flags import FLAGS, DispositionFlags
from cc_terminal.models.base import UTCDateTime, new_id


class CampaignKind(StrEnum):
    SALES = "sales"
    SURVEY = "survey"
    INFORMATIONAL = "informational"
    ORDER_CONFIRMATION = "order_confirmation"


class Campaign(SQLModel, table=True):
    """A campaign a team lead sets up: its script, calling window, attempt rules and the
    product it offers (sales). Windows are "HH:MM-HH:MM" in the called person's local time;
    an empty window means no calls that day."""

    __tablename__ = "campaign"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=limits.CODE, unique=True)
    name: str = Field(max_length=limits.LABEL)
    kind: str = Field(sa_type=String(20))
    script: str = Field(default="", sa_type=Text)
    product_code: str = Field(default="", max_length=32)
    weekday_window: str = Field(default="09:00-20:00", max_length=11)
    saturday_window: str = Field(default="10:00-18:00", max_length=11)
    max_attempts: int = 6
    retry_minutes: int = 120
    callback_release_minutes: int = 60
    order_success: bool = True  # an order taken on its lead counts as the operator's success
    progressive: bool = False  # F3 dials the next lead itself after a wrap-up and a countdown
    countdown_seconds: int = 5  # progressive mode's pause before the next lead is dialled
    ring_seconds: int = 30  # a dialled lead not answered by then is hung up: no answer
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


def _flag_columns() -> type[SQLModel]:
    """A boolean column per flag of disposition_flags.py, false unless set."""
    namespace: dict[str, Any] = {"__annotations__": dict.fromkeys(FLAGS, bool)}
    namespace |= {"__module__": __name__, **dict.fromkeys(FLAGS, False)}
    return type("DispositionFlagColumns", (SQLModel,), namespace)


if TYPE_CHECKING:
    # What mypy is told of the generated columns: the flags' own names and types (nothing
    # is mixed in at run time).
    class _FlagColumns(SQLModel, DispositionFlags): ...

else:
    _FlagColumns = _flag_columns()


class Disposition(_FlagColumns, table=True):
    """How an attempt ended, with the flags that give it meaning (as dialers' statuses):
    success, contact, refusal (needs a reason), dnc (the number is never called again),
    callback (needs a time), unworkable (the number is no good), final (the lead is done)."""

    __tablename__ = "disposition"
    __table_args__ = (UniqueConstraint("campaign_id", "code", name="uq_disposition_code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    code: str = Field(max_length=limits.CODE)
    label: str = Field(max_length=limits.LABEL)
    key: str = Field(max_length=1)
    position: int = 0
    active: bool = True


class QuestionKind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    YES_NO = "yes_no"


class SurveyQuestion(SQLModel, table=True):
    """One question of a campaign's questionnaire. ``choices`` is a JSON list (choice);
    ``skip_to`` a JSON map from an answer to the code of the question to go to next."""

    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("campaign_id", "code", name="uq_survey_question_code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id")
    code: str = Field(max_length=limits.CODE)
    text: str = Field(max_length=limits.SHORT_NOTE)
    kind: str = Field(sa_type=String(10))
    required: bool = False
    choices: str = Field(default="[]", sa_type=Text)
    low: int | None = None
    high: int | None = None
    skip_to: str = Field(default="{}", sa_type=Text)
    position: int = 0
    active: bool = True
