"""A chat answered as soon as its new lines are read, by a program that answers at once
(the operator side's client of bench/chat_operators.py): ``look`` reads the chat's lines
after those it already holds without marking anything, then ``answer`` marks the
visitor's lines it saw read and stores the answer in ONE write transaction, where
``Conversations.detail`` (its mark is a write) and ``send`` take two turns of the one
writer. The TUI still marks lines read when it shows them: its operator may answer
minutes later, and the visitor sees "read" meanwhile.

``answer`` stores the line as ``Conversations.send`` does (the same checks, the same
state change, stored once by its client id)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Author, Conversation, ConversationMessage, ConversationState
from cc_terminal.services.channels import holding, lines, reading
from cc_terminal.services.channels.views import ChatDetail, ChatLine
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import NotFound
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


@refusals_audited
class Answers:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def look(self, actor: Actor, conversation_id: uuid.UUID, after: int = 0) -> ChatDetail:
        """The chat with its lines after line ``after`` (those already held are not read
        again), notes included; nothing is marked."""
        now = self.clock()
        with self.db.read() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound(_("No such chat."))
            holding.check_reader(actor, conversation)
            return reading.detail(session, conversation, now, after=after)

    def answer(
        self,
        actor: Actor,
        conversation_id: uuid.UUID,
        client_id: str,
        text: str,
        read_through: int,
    ) -> ChatLine:
        """The visitor's lines up to ``read_through`` marked read (by the chat's owner) and
        the answer stored, in one write transaction."""
        client_id = lines.checked_client_id(client_id, _)  # before the write's turn
        text = lines.checked_text(text, _)
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            if conversation.owner_id == actor.operator_id:
                _mark_read(session, actor, conversation_id, read_through, now)
            conversation.operator_typing_at = None
            if conversation.first_response_at is None:
                conversation.first_response_at = now
            if conversation.state == ConversationState.ASSIGNED.value:
                conversation.state = ConversationState.OPEN.value
                conversation.version += 1
            line = lines.append(
                session,
                conversation,
                Author.OPERATOR,
                text,
                now,
                client_id=client_id,
                operator_id=actor.operator_id,
            )
            delivered, read = line.delivered_at is not None, line.read_at is not None
            return ChatLine(
                line.seq, line.author, line.text, line.at, actor.full_name, delivered, read
            )


def _mark_read(
    session: Session, actor: Actor, conversation_id: uuid.UUID, seq: int, now: datetime
) -> None:
    which = select(col(ConversationMessage.id)).where(
        col(ConversationMessage.conversation_id) == conversation_id,
        col(ConversationMessage.author) == Author.VISITOR.value,
        col(ConversationMessage.seq) <= seq,
        col(ConversationMessage.read_at).is_(None),
    )
    lines.mark(session, actor.operator_id, which, "read_at", now)
