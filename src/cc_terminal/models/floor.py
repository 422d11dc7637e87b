"""The live floor's own records: the limits a team lead sets for the floor board, and the
calls typed on F2 without a phone link, so every terminal sees their operator on a call.
services/phone's floor board reads both."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime

# The floor's first-response limit for chats: one unanswered longer alerts the team lead.
# Its name and default live here because two domains read it (the floor board's limits
# form sets it, the chats' badge reads it) and neither may import the other.
CHAT_FIRST_RESPONSE = "chat_first_response_seconds"
CHAT_FIRST_RESPONSE_DEFAULT = 60


class FloorSetting(SQLModel, table=True):
    """One of the floor's limits (service level's seconds, a pause's minutes, a wrap-up's
    seconds, a chat's first response), set by a team lead and shared by every terminal of
    the floor; a limit without a row keeps the shipped default (services/phone/
    floor_limits.py)."""

    __tablename__ = "floor_setting"

    name: str = Field(primary_key=True, max_length=limits.CODE)
    value: int
    set_by: uuid.UUID = Field(foreign_key="operator.id")
    set_at: datetime = Field(sa_type=UTCDateTime)


class CallPresence(SQLModel, table=True):
    """A call an operator typed on F2 with no phone link, from its start until it was
    saved or discarded (``ended_at``): the floor board shows them "on a call" meanwhile.
    Keyed by the open call's id, which the saved call takes too."""

    __tablename__ = "call_presence"
    __table_args__ = (Index("ix_call_presence_open", "ended_at", "operator_id"),)

    call_id: uuid.UUID = Field(primary_key=True)
    operator_id: uuid.UUID = Field(foreign_key="operator.id")
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
