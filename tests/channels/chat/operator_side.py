"""The operator's side of a chat, for the gateway's tests: the store as the operators'
terminals see it (the one conversation a test made, its lines in order) and an answer
written as the operator on the real clock, which the gateway process runs on."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlmodel import col

from cc_terminal.models import Author, Conversation, ConversationMessage
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels import lines
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation


def the_conversation(ws: Workstation) -> uuid.UUID:
    with ws.db.read() as session:
        (found,) = session.scalars(select(Conversation.id)).all()
    return found


def stored_lines(ws: Workstation, conversation_id: uuid.UUID) -> list[tuple[str, str]]:
    """(author, text) of every line, in order."""
    query = (
        select(ConversationMessage.author, ConversationMessage.text)
        .where(col(ConversationMessage.conversation_id) == conversation_id)
        .order_by(col(ConversationMessage.seq))
    )
    with ws.db.read() as session:
        return [(author, text) for author, text in session.execute(query)]


def operator_says(ws: Workstation, operator: Actor, conversation_id: uuid.UUID, text: str) -> None:
    with ws.db.write(operator.operator_id) as session:
        conversation = lines.locked(session, conversation_id, str)
        lines.append(
            session,
            conversation,
            Author.OPERATOR,
            text,
            utcnow(),
            client_id=f"op-{uuid.uuid4().hex}",
            operator_id=operator.operator_id,
        )


def operator_types(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> None:
    with ws.db.write(operator.operator_id) as session:
        lines.locked(session, conversation_id, str).operator_typing_at = utcnow()


def operator_reads(ws: Workstation, operator: Actor, conversation_id: uuid.UUID) -> None:
    """The operator has read the visitor's lines (the chat area marks them when shown)."""
    with ws.db.write(operator.operator_id) as session:
        session.execute(
            update(ConversationMessage)
            .where(
                col(ConversationMessage.conversation_id) == conversation_id,
                col(ConversationMessage.author) == Author.VISITOR.value,
                col(ConversationMessage.read_at).is_(None),
            )
            .values(read_at=utcnow())
        )


def read_by_visitor(ws: Workstation, conversation_id: uuid.UUID) -> list[int]:
    """The numbers of the floor's lines the visitor has read."""
    query = select(ConversationMessage.seq).where(
        col(ConversationMessage.conversation_id) == conversation_id,
        col(ConversationMessage.author) == Author.OPERATOR.value,
        col(ConversationMessage.read_at).is_not(None),
    )
    with ws.db.read() as session:
        return sorted(session.scalars(query))
