from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id, utcnow


class Role(StrEnum):
    OPERATOR = "operator"
    LEAD = "lead"


class Operator(SQLModel, table=True):
    """A person who logs in: an operator or a team lead."""

    __tablename__ = "operator"
    # never in an op in the clear; sealed with the floor key when published (sync/secrets.py)
    __sync_secret__ = ("password_hash", "signing_key")

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    username: str = Field(max_length=limits.USERNAME, unique=True, index=True)
    full_name: str = Field(max_length=limits.FULL_NAME)
    role: str = Field(sa_type=String(16), default=Role.OPERATOR.value)
    department: str = Field(default="", max_length=limits.CODE)
    password_hash: str = Field(max_length=255)
    # The account's Ed25519 key: the private half sealed by its password (store/keyring.py),
    # the public half in hex; what the floor trusts it with is in its certificates.
    signing_key: str = Field(default="", sa_type=Text)
    public_key: str = Field(default="", max_length=64)
    language: str = Field(default="", max_length=8)  # "" follows the terminal's
    must_change_password: bool = False  # a team lead set it: the first sign-in changes it
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The lead whose team this operator is in (empty: every lead's); the plan they are paid on.
    team_lead_id: uuid.UUID | None = Field(default=None, foreign_key="operator.id")
    pay_plan_id: uuid.UUID | None = Field(default=None, foreign_key="pay_plan.id")
    chat_limit: int = 3  # open chats at once; the lead sets it, 0 takes none
    # The phone extension this person's calls ring on, set by the team lead ("": the
    # terminal's own extension); the phone service attributes a ring on it to them and
    # lets only them (and the leads and services) apply its events.
    phone_extension: str = Field(default="", max_length=16)
