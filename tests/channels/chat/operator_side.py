"""The operator's side of a chat for the gateway's tests: the operators' service
(services/channels/conversations.py) on the real clock, which the gateway process runs
on (the store's ``ws`` keeps the tests' fixed clock, whose moments the gateway's look for
changes would never see)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from cc_terminal.models import Conversation
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.conversations import Conversations
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation


def chats(ws: Workstation) -> Conversations:
    return Conversations(ws.db, utcnow)


def the_conversation(ws: Workstation) -> uuid.UUID:
    with ws.db.read() as session:
        (found,) = session.scalars(select(Conversation.id)).all()
    return found


def operator_says(ws: Workstation, operator: Actor, conversation_id: uuid.UUID, text: str) -> None:
    chats(ws).send(operator, conversation_id, f"op-{uuid.uuid4().hex}", text)


def operator_types(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> None:
    chats(ws).typing(operator, conversation_id)


def operator_reads(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> None:
    """The owner opens the chat: the visitor's lines are read."""
    chats(ws).detail(operator, conversation_id)


def seen_by(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> list[tuple[str, str]]:
    """(author, text) of every line, as the operator's chat area shows them."""
    return [(line.author, line.text) for line in chats(ws).detail(operator, conversation_id).lines]


def read_by_visitor(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> list[int]:
    """The numbers of the operator's lines the visitor has read."""
    shown = chats(ws).detail(operator, conversation_id).lines
    return [line.seq for line in shown if line.author == "operator" and line.read]
