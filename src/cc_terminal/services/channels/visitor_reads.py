"""What the chat gateway reads of a chat's lines, many times a second when busy: the
lines as plain rows of the columns it shows (no ORM object each), with statements built
once (their cache keys too) and the values bound at each run."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import Author, Conversation, ConversationMessage, Operator
from cc_terminal.models.base import UTCDateTime
from cc_terminal.store.built import built_once

VISIBLE = (Author.VISITOR.value, Author.OPERATOR.value, Author.SYSTEM.value)

# A line as the gateway reads it: the columns of LINE_COLUMNS in a plain row, not an ORM
# object (the hub reads the last seconds' lines of the busy chats at every look).
StoredLine = Row[Any]
SHOWN = "id conversation_id seq client_id author operator_id text at delivered_at read_at"
LINE_COLUMNS = tuple(getattr(ConversationMessage, name) for name in SHOWN.split())


@built_once
def lines_after_query() -> Select[Any]:
    message = ConversationMessage
    return (
        select(*LINE_COLUMNS)
        .where(
            col(message.conversation_id) == bindparam("conversation_id"),
            col(message.seq) > bindparam("seq"),
            col(message.author).in_(VISIBLE),
        )
        .order_by(col(message.seq))
    )


@built_once
def news_query() -> Select[Any]:
    message, since = ConversationMessage, bindparam("since", type_=UTCDateTime)
    return (
        select(*LINE_COLUMNS)
        .where(
            col(message.conversation_id).in_(bindparam("ids", expanding=True)),
            col(message.author).in_(VISIBLE),
            or_(
                col(message.at) > since,
                col(message.delivered_at) > since,
                col(message.read_at) > since,
            ),
        )
        .order_by(col(message.conversation_id), col(message.seq))
    )


@built_once
def typing_query() -> Select[uuid.UUID, datetime | None]:
    return select(col(Conversation.id), col(Conversation.operator_typing_at)).where(
        col(Conversation.id).in_(bindparam("ids", expanding=True))
    )


def operator_names(session: Session, found: list[StoredLine]) -> dict[uuid.UUID, str]:
    ids = {line.operator_id for line in found if line.operator_id is not None}
    if not ids:
        return {}
    query = select(col(Operator.id), col(Operator.full_name)).where(col(Operator.id).in_(ids))
    return {row[0]: row[1] for row in session.execute(query)}
