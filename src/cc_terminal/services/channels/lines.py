"""A conversation's lines, shared by both sides: finding a conversation by its visitor's
token, checking a line's text, and appending a line once (by the sender's client id) with
the next number of its conversation, the conversation's row locked meanwhile."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_
from cc_terminal.models import Author, Conversation, ConversationMessage
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.common.validation import control_character
from cc_terminal.store.built import built_once
from cc_terminal.store.outbox import update_rows

Words = Callable[[str], str]  # a message marked with N_, in the reader's language

EMPTY = N_("Write a message first.")
TOO_LONG = N_("Too long: {length} characters, at most {limit}.")
CONTROL = N_("A control character ({code}) cannot be sent; remove it.")
UNREADABLE = N_("The message holds a character that cannot be read; remove it.")
BAD_CLIENT_ID = N_("The message has no usable id; send it again.")
NO_CHAT = N_("No such chat.")
ENDED = N_("This chat has ended.")


def token_hash(token: str) -> str:
    """What is stored of a visitor's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def by_token(session: Session, token: str, words: Words, *, lock: bool = False) -> Conversation:
    """The chat the token opens (locked for the transaction when ``lock``); a wrong or
    empty token is NotFound, the same words whatever was wrong with it."""
    if not token or len(token) > 200:
        raise NotFound(words(NO_CHAT))
    found = session.scalars(_by_token(lock), {"token_hash": token_hash(token)}).first()
    if found is None:
        raise NotFound(words(NO_CHAT))
    return found


# Every line, posted or answered, runs these: each statement is built once (its cache key
# too), with the values bound at each run.
@built_once
def _by_token(lock: bool) -> Select[Conversation]:
    query = select(Conversation).where(
        col(Conversation.token_hash) == bindparam("token_hash"),
        col(Conversation.channel) == "chat",
    )
    return query.with_for_update() if lock else query


def locked(session: Session, conversation_id: uuid.UUID, words: Words) -> Conversation:
    """The conversation, its row locked until the transaction ends (PostgreSQL; SQLite's
    write transaction holds the whole database)."""
    found = session.scalars(_locked(), {"conversation_id": conversation_id}).first()
    if found is None:
        raise NotFound(words(NO_CHAT))
    return found


@built_once
def _locked() -> Select[Conversation]:
    query = select(Conversation).where(col(Conversation.id) == bindparam("conversation_id"))
    return query.with_for_update()


def checked_text(text: str, words: Words) -> str:
    """The line as stored (surrounding blanks dropped), or ValidationFailed in words."""
    value = text.strip()
    problem = ""
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        problem = words(UNREADABLE)
    elif (bad := control_character(value)) is not None:
        problem = words(CONTROL).format(code=bad)
    elif not value:
        problem = words(EMPTY)
    elif len(value) > limits.CHAT_MESSAGE:
        problem = words(TOO_LONG).format(length=len(value), limit=limits.CHAT_MESSAGE)
    if problem:
        raise ValidationFailed({"text": problem})
    return value


def checked_client_id(client_id: str, words: Words) -> str:
    if (
        not client_id
        or len(client_id) > limits.CHAT_CLIENT_ID
        or not client_id.isascii()
        or not client_id.isprintable()
    ):
        raise ValidationFailed({"client_id": words(BAD_CLIENT_ID)})
    return client_id


def existing(
    session: Session, conversation_id: uuid.UUID, client_id: str
) -> ConversationMessage | None:
    params = {"conversation_id": conversation_id, "client_id": client_id}
    return session.scalars(_existing(), params).first()


@built_once
def _existing() -> Select[ConversationMessage]:
    return select(ConversationMessage).where(
        col(ConversationMessage.conversation_id) == bindparam("conversation_id"),
        col(ConversationMessage.client_id) == bindparam("client_id"),
    )


@built_once
def _last_seq() -> Select[int]:
    return select(func.coalesce(func.max(ConversationMessage.seq), 0)).where(
        col(ConversationMessage.conversation_id) == bindparam("conversation_id")
    )


def append(
    session: Session,
    conversation: Conversation,
    author: Author,
    text: str,
    now: datetime,
    *,
    client_id: str = "",
    operator_id: uuid.UUID | None = None,
) -> ConversationMessage:
    """Store a line with the conversation's next number (its row is locked by the
    caller). A client id already stored returns that line: a resend is stored once."""
    client_id = client_id or f"{author}-{uuid.uuid4().hex}"
    # the caller's changes to the chat's row wait for the line: one flush, one op for it
    with session.no_autoflush:
        found = existing(session, conversation.id, client_id)
        if found is not None:
            return found
        seq = int(session.scalar(_last_seq(), {"conversation_id": conversation.id}) or 0) + 1
    line = ConversationMessage(
        conversation_id=conversation.id,
        seq=seq,
        client_id=client_id,
        author=author.value,
        operator_id=operator_id,
        text=text,
        at=now,
        # a visitor's line reached the floor as it is stored; an operator's when sent on
        delivered_at=now if author == Author.VISITOR else None,
    )
    session.add(line)
    if author != Author.NOTE:
        conversation.last_message_at = now
    session.flush()
    return line


def mark(
    session: Session, actor_id: uuid.UUID, which: Select[uuid.UUID], mark: str, now: datetime
) -> None:
    """Set a mark (``delivered_at``, ``read_at``) on the lines ``which`` finds (their ids),
    in one statement with one change op each: a folder floor shares marks like any edit."""
    found = list(session.scalars(which))
    table = ConversationMessage.__table__  # type: ignore[attr-defined]
    update_rows(session.connection(), table, found, {mark: now}, actor_id)
