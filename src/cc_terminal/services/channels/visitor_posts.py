"""Visitors' lines stored many at once: the gateway hands over every line that arrived while
its last write ran (channels/chat/posting.py), and they are stored in one write
transaction: their chats read and locked with one query, the client ids already stored
with one more, the chats' last line numbers with one more, then the new lines inserted
with one statement and their chats' rows updated with one more, each row with its change
op beside it (store/outbox.py ``CoreOps``: one clock read, one signed run and one insert
of ops for the lot; a new line has no field versions to read).

Each line is checked as ``VisitorChats.post`` always checked it, in the same order: a
wrong token, a bad client id, a client id already stored (that line is returned,
whatever text came), a chat that ended, the text. A line refused is that line's answer
only; the others are stored. The same client id twice in one batch is stored once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import Author, Conversation, ConversationMessage, ConversationState
from cc_terminal.models.base import new_id
from cc_terminal.services.channels import lines, prechat
from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.common.errors import NotFound, ServiceError, ValidationFailed
from cc_terminal.store.change_notice import CHAT_LINES, Touch, notices
from cc_terminal.store.notify import notify
from cc_terminal.store.outbox import CoreOps

Key = tuple[uuid.UUID, str]  # a line's chat and its client id
MESSAGES = ConversationMessage.__table__  # type: ignore[attr-defined]
CONVERSATIONS = Conversation.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Post:
    """One line as the visitor's frame brought it (untrusted)."""

    token: str
    client_id: str
    text: str


def store_posts(
    session: Session, posts: Sequence[Post], now: datetime, actor: uuid.UUID | None
) -> list[VisitorLine | ServiceError]:
    """Each post's stored line, or why it was refused (in the visitor's language)."""
    chats = _chats_locked(session, {post.token for post in posts})
    placed = [_placed(chats, post) for post in posts]
    keys = {key for key in placed if isinstance(key, tuple)}
    stored = _stored(session, keys)
    next_seq = _last_seqs(session, {chat for chat, _ in keys - stored.keys()})
    new_rows: list[dict[str, Any]] = []
    answers: list[VisitorLine | ServiceError] = []
    for post, key in zip(posts, placed, strict=True):
        try:
            if isinstance(key, ServiceError):
                raise key
            if key not in stored:
                conversation = chats[post.token]
                words = prechat.words_for(conversation.language)
                if conversation.state == ConversationState.CLOSED.value:
                    raise ValidationFailed({"text": words(lines.ENDED)})
                text = lines.checked_text(post.text, words)
                next_seq[conversation.id] = seq = next_seq.get(conversation.id, 0) + 1
                row = _row(conversation.id, seq, key[1], text, now)
                new_rows.append(row)
                stored[key] = _line_of(row)
            answers.append(stored[key])
        except ServiceError as refused:
            answers.append(refused)
    if new_rows:
        _write(session, new_rows, now, actor)
    return answers


def _write(
    session: Session, new_rows: list[dict[str, Any]], now: datetime, actor: uuid.UUID | None
) -> None:
    """The lines in one statement, their chats' rows in one more, their ops in one."""
    connection = session.connection()
    changed = list({row["conversation_id"]: True for row in new_rows})
    values = {"last_message_at": now, "visitor_typing_at": None}
    ops = CoreOps(connection, actor).insert(MESSAGES, new_rows)
    ops.update(CONVERSATIONS, changed, values).write()
    if connection.dialect.name == "postgresql":  # only these chats' lines changed
        notify(connection, notices(Touch(CHAT_LINES, chat) for chat in changed))


def _placed(chats: dict[str, Conversation], post: Post) -> Key | ServiceError:
    """The post's chat and its checked client id, or why not: a token that opens nothing
    (in the widget's first language), a client id that cannot be one."""
    conversation = chats.get(post.token)
    if conversation is None:
        return NotFound(prechat.words_for("")(lines.NO_CHAT))
    words = prechat.words_for(conversation.language)
    try:
        return conversation.id, lines.checked_client_id(post.client_id, words)
    except ValidationFailed as refused:
        return refused


def _chats_locked(session: Session, tokens: set[str]) -> dict[str, Conversation]:
    """The chats these tokens open, by token, their rows locked (in the order of their
    ids, so two gateways locking the same chats wait, never deadlock)."""
    by_hash = {lines.token_hash(token): token for token in tokens if token and len(token) <= 200}
    if not by_hash:
        return {}
    query = (
        select(Conversation)
        .where(
            col(Conversation.token_hash).in_(list(by_hash)),
            col(Conversation.channel) == "chat",
        )
        .order_by(col(Conversation.id))
        .with_for_update()
    )
    return {by_hash[found.token_hash]: found for found in session.scalars(query)}


def _stored(session: Session, keys: set[Key]) -> dict[Key, VisitorLine]:
    """The lines already stored under these chats' client ids (a resend), by key."""
    if not keys:
        return {}
    query = select(ConversationMessage).where(
        col(ConversationMessage.conversation_id).in_({chat for chat, _ in keys}),
        col(ConversationMessage.client_id).in_({client_id for _, client_id in keys}),
    )
    return {
        (line.conversation_id, line.client_id): _line_of(line.model_dump())
        for line in session.scalars(query)
        if (line.conversation_id, line.client_id) in keys
    }


def _last_seqs(session: Session, chats: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Each chat's last line number (read after its row was locked), one query for all;
    a chat with no line yet is not in it."""
    if not chats:
        return {}
    query = (
        select(col(ConversationMessage.conversation_id), func.max(ConversationMessage.seq))
        .where(col(ConversationMessage.conversation_id).in_(chats))
        .group_by(col(ConversationMessage.conversation_id))
    )
    return {chat: int(seq) for chat, seq in session.execute(query)}


def _row(
    conversation_id: uuid.UUID, seq: int, client_id: str, text: str, now: datetime
) -> dict[str, Any]:
    """Every column, as the model would fill it: a visitor's line reached the floor as
    it is stored (delivered), nobody has read it yet."""
    return {
        "id": new_id(),
        "conversation_id": conversation_id,
        "seq": seq,
        "client_id": client_id,
        "author": Author.VISITOR.value,
        "operator_id": None,
        "text": text,
        "at": now,
        "delivered_at": now,
        "read_at": None,
    }


def _line_of(row: dict[str, Any]) -> VisitorLine:
    """A line as its visitor sees it in the answer to a post: no operator's name on it
    (a visitor's client id that names a floor's line gets that line, unsigned)."""
    return VisitorLine(
        seq=row["seq"],
        client_id=row["client_id"],
        author=row["author"],
        text=row["text"],
        at=row["at"],
        operator_label="",
        delivered=row["delivered_at"] is not None,
        read=row["read_at"] is not None,
    )
