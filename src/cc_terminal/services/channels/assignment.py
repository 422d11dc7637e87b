"""Who takes which chat. An operator takes chats while signed in (an open work session),
not on a pause, and below their limit (``operator.chat_limit``, set by the team lead; 0:
none). A chat without a department goes to anyone; one handed to a department, to that
department's operators.

Round-robin: each waiting chat, oldest first, goes to the present operator with a free
place who was given a chat longest ago (never: first), then to the one with fewer open.
It runs when a chat starts, whenever an operator frees a place, and when an operator
becomes present (signs in or ends a pause: chats only, letters wait to be taken). On PostgreSQL the
waiting chats are read ``FOR UPDATE SKIP LOCKED`` and the chosen operator's row is locked
and their open chats counted again before the chat is given, so two gateways or terminals
never give one operator more than their limit nor one chat twice; on SQLite the write
transaction holds the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_
from cc_terminal.models import (
    AssignmentReason,
    Author,
    Conversation,
    ConversationAssignment,
    ConversationState,
    Operator,
    WorkPause,
    WorkSession,
)
from cc_terminal.models.conversation import GIVING
from cc_terminal.services.channels import lines
from cc_terminal.services.channels.prechat import words_for
from cc_terminal.services.channels.views import Colleague

HELD = (ConversationState.ASSIGNED.value, ConversationState.OPEN.value)
CHAT_ROLES = ("operator", "lead")
JOINED = N_("{name} joined the chat.")
BATCH = 50
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Present:
    """An operator who may be given chats now."""

    id: uuid.UUID
    username: str
    department: str
    limit: int


def first_name(full_name: str) -> str:
    """What a visitor sees of an operator unless the floor allows more."""
    parts = full_name.split()
    return parts[0] if parts else ""


def present(session: Session) -> list[Present]:
    """Operators signed in, not paused, who take chats."""
    signed_in = exists().where(
        col(WorkSession.operator_id) == col(Operator.id), col(WorkSession.ended_at).is_(None)
    )
    paused = exists().where(
        col(WorkPause.operator_id) == col(Operator.id), col(WorkPause.ended_at).is_(None)
    )
    query = select(
        col(Operator.id), col(Operator.username), col(Operator.department), col(Operator.chat_limit)
    ).where(
        col(Operator.active),
        col(Operator.role).in_(CHAT_ROLES),
        col(Operator.chat_limit) > 0,
        signed_in,
        ~paused,
    )
    return [Present(*row) for row in session.execute(query)]


def colleagues(session: Session, but: uuid.UUID) -> tuple[Colleague, ...]:
    """The present operators other than ``but``, by name, with their open chats."""
    people = [p for p in present(session) if p.id != but]
    counts = open_counts(session, [p.id for p in people])
    query = select(col(Operator.id), col(Operator.full_name)).where(
        col(Operator.id).in_([p.id for p in people])
    )
    names = {row[0]: row[1] for row in session.execute(query)}
    found = [
        Colleague(p.id, names[p.id], p.department, counts.get(p.id, 0), p.limit) for p in people
    ]
    return tuple(sorted(found, key=lambda c: c.full_name))


def open_counts(session: Session, operator_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    query = (
        select(col(Conversation.owner_id), func.count())
        .where(col(Conversation.owner_id).in_(operator_ids), col(Conversation.state).in_(HELD))
        .group_by(col(Conversation.owner_id))
    )
    return {owner: count for owner, count in session.execute(query) if owner is not None}


def held_by(session: Session, operator_id: uuid.UUID) -> int:
    return open_counts(session, [operator_id]).get(operator_id, 0)


def _last_given(session: Session, operator_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    query = (
        select(col(ConversationAssignment.operator_id), func.max(ConversationAssignment.at))
        .where(
            col(ConversationAssignment.operator_id).in_(operator_ids),
            col(ConversationAssignment.reason).in_(GIVING),
        )
        .group_by(col(ConversationAssignment.operator_id))
    )
    return {who: at for who, at in session.execute(query) if who is not None}


def _candidates(session: Session, department: str) -> list[Present]:
    """Present operators with a free place for a chat of ``department``, in turn order."""
    people = [p for p in present(session) if department in ("", p.department)]
    ids = [p.id for p in people]
    counts, given = open_counts(session, ids), _last_given(session, ids)
    free = [p for p in people if counts.get(p.id, 0) < p.limit]
    return sorted(free, key=lambda p: (given.get(p.id, NEVER), counts.get(p.id, 0), p.username))


def lock_operator(session: Session, operator_id: uuid.UUID) -> Operator | None:
    """The operator's row, locked until the transaction ends: their open chats are
    counted and added to by one transaction at a time."""
    query = select(Operator).where(col(Operator.id) == operator_id).with_for_update()
    return session.scalars(query).first()


def has_place(session: Session, operator_id: uuid.UUID) -> bool:
    """Lock the operator and say whether they are below their limit now."""
    operator = lock_operator(session, operator_id)
    return operator is not None and held_by(session, operator_id) < operator.chat_limit


def give(
    session: Session,
    conversation: Conversation,
    operator: Operator,
    reason: AssignmentReason,
    by_id: uuid.UUID,
    now: datetime,
) -> None:
    """Hand the conversation to the operator, with its history row and the line that
    tells the visitor who joined (in the visitor's language)."""
    conversation.owner_id = operator.id
    conversation.owner_epoch += 1
    conversation.state = ConversationState.ASSIGNED.value
    conversation.version += 1
    session.add(
        ConversationAssignment(
            conversation_id=conversation.id,
            operator_id=operator.id,
            department=conversation.department,
            reason=reason.value,
            by_id=by_id,
            at=now,
        )
    )
    words = words_for(conversation.language)
    text = words(JOINED).format(name=first_name(operator.full_name))
    lines.append(session, conversation, Author.SYSTEM, text, now)


def waiting(
    session: Session, department: str | None = None, limit: int = BATCH, channel: str = ""
) -> list[Conversation]:
    """Waiting chats (of ``channel``, or every one), oldest first, each locked for this
    transaction; those another transaction holds are skipped (PostgreSQL)."""
    query = (
        select(Conversation)
        .where(col(Conversation.state) == ConversationState.WAITING.value)
        .order_by(col(Conversation.created_at), col(Conversation.id))
        .limit(limit)
    )
    if channel:
        query = query.where(col(Conversation.channel) == channel)
    if department is not None:
        query = query.where(
            or_(col(Conversation.department) == "", col(Conversation.department) == department)
        )
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def first_with_place(session: Session, department: str) -> Operator | None:
    """The operator round-robin gives a chat of ``department`` to now (their row locked),
    or None when nobody present has a place."""
    for candidate in _candidates(session, department):
        if has_place(session, candidate.id):
            return session.get(Operator, candidate.id)
    return None


def round_robin(session: Session, by_id: uuid.UUID, now: datetime, channel: str = "") -> int:
    """Give waiting chats (of ``channel``, or every one) to present operators in turn;
    how many were given."""
    given = 0
    for conversation in waiting(session, channel=channel):
        operator = first_with_place(session, conversation.department)
        if operator is not None:
            give(session, conversation, operator, AssignmentReason.ASSIGNED, by_id, now)
            given += 1
        elif conversation.department == "":
            break  # nobody has a place for any chat: the rest wait too
    return given
