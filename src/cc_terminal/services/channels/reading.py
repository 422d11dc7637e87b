"""What the operator's side reads of conversations: the queue with masked contacts, one's
own open chats with unread counts, a conversation's lines (notes included), the badge."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, String, bindparam, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import col

from cc_terminal.models import (
    Author,
    Conversation,
    ConversationAssignment,
    ConversationMessage,
    ConversationState,
    Customer,
    MailLetter,
    Operator,
)
from cc_terminal.models.floor import CHAT_FIRST_RESPONSE, CHAT_FIRST_RESPONSE_DEFAULT, FloorSetting
from cc_terminal.services.channels.assignment import HELD
from cc_terminal.services.channels.views import (
    ChatDetail,
    ChatLine,
    OpenChat,
    QueuedChat,
    TakenElsewhere,
    WaitingSummary,
)
from cc_terminal.services.common import phones
from cc_terminal.services.privacy.masks import mask_email, mask_phone
from cc_terminal.store.built import built_once

TYPING_SHOWN = timedelta(seconds=5)
UNCLOSED = tuple(state.value for state in ConversationState if state != ConversationState.CLOSED)
QUEUE_SHOWN = 200


def masked_contact(contact: str) -> str:
    if contact.startswith("+"):
        return mask_phone(phones.display(contact))
    return mask_email(contact)


def _subject() -> ScalarSelect[str]:
    """A letter's conversation's subject (its first letter's); None for a chat."""
    return (
        select(col(MailLetter.subject))
        .where(
            col(MailLetter.conversation_id) == col(Conversation.id),
            col(MailLetter.direction) == "in",
        )
        .order_by(col(MailLetter.sent_at), col(MailLetter.id))
        .limit(1)
        .scalar_subquery()
    )


def queue(session: Session, department: str | None) -> tuple[QueuedChat, ...]:
    """Waiting chats oldest first; ``department`` None: every one, else those without a
    department and that department's."""
    params = {"department": department}  # unused by the query of every department
    return tuple(
        QueuedChat(
            id=c.id,
            created_at=c.created_at,
            topic=c.topic if subject is None else subject,
            department=c.department,
            visitor_name=c.visitor_name,
            contact_masked=masked_contact(c.visitor_contact),
            customer_id=c.customer_id,
            customer_name=name or "",
            channel=c.channel,
        )
        for c, name, subject in session.execute(_queue_query(department is not None), params)
    )


# The operator's side reads these on every notice of its chats: each statement is built
# once (its cache key too), with the values bound at each run.
@built_once
def _queue_query(of_department: bool) -> Select[Conversation, str, str]:
    query = (
        select(Conversation, col(Customer.full_name), _subject())
        .outerjoin(Customer, col(Customer.id) == col(Conversation.customer_id))
        .where(col(Conversation.state) == ConversationState.WAITING.value)
        .order_by(col(Conversation.created_at), col(Conversation.id))
        .limit(QUEUE_SHOWN)
    )
    if of_department:
        department = bindparam("department", type_=String)
        query = query.where(col(Conversation.department).in_((literal(""), department)))
    return query


def mine(session: Session, operator_id: uuid.UUID, now: datetime) -> tuple[OpenChat, ...]:
    return tuple(
        OpenChat(
            id=c.id,
            visitor_name=c.visitor_name,
            topic=c.topic if subject is None else subject,
            state=c.state,
            unread=count,
            last_message_at=c.last_message_at,
            customer_id=c.customer_id,
            visitor_typing=typing_now(c.visitor_typing_at, now),
            channel=c.channel,
        )
        for c, count, subject in session.execute(_mine_query(), {"operator_id": operator_id})
    )


@built_once
def _mine_query() -> Select[Conversation, int, str]:
    unread = (
        select(func.count())
        .where(
            col(ConversationMessage.conversation_id) == col(Conversation.id),
            col(ConversationMessage.author) == Author.VISITOR.value,
            col(ConversationMessage.read_at).is_(None),
        )
        .scalar_subquery()
    )
    return (
        select(Conversation, unread, _subject())
        .where(
            col(Conversation.owner_id) == bindparam("operator_id"),
            col(Conversation.state).in_(HELD),
        )
        .order_by(col(Conversation.created_at), col(Conversation.id))
    )


def went_elsewhere(
    session: Session, operator_id: uuid.UUID, conversation_ids: Collection[uuid.UUID]
) -> tuple[TakenElsewhere, ...]:
    """Of these chats (the operator held them a moment ago), those a colleague holds now
    though the operator did not hand them over: on a folder floor, a colleague's take made
    apart and earlier kept them (sync/merge_rules.py owner_rule)."""
    handed = select(col(ConversationAssignment.id)).where(
        col(ConversationAssignment.conversation_id) == col(Conversation.id),
        col(ConversationAssignment.by_id) == operator_id,
        col(ConversationAssignment.operator_id) == col(Conversation.owner_id),
    )
    query = (
        select(col(Conversation.visitor_name), col(Operator.full_name))
        .join(Operator, col(Operator.id) == col(Conversation.owner_id))
        .where(
            col(Conversation.id).in_(conversation_ids),
            col(Conversation.owner_id) != operator_id,
            col(Conversation.state).in_(HELD),
            ~handed.exists(),
        )
        .order_by(col(Conversation.created_at))
    )
    return tuple(TakenElsewhere(*row) for row in session.execute(query))


def typing_now(at: datetime | None, now: datetime) -> bool:
    return at is not None and now - at < TYPING_SHOWN


def detail(session: Session, conversation: Conversation, now: datetime) -> ChatDetail:
    query, params = _lines_query(), {"conversation_id": conversation.id}
    shown = tuple(
        ChatLine(
            line.seq,
            line.author,
            line.text,
            line.at,
            name or "",
            line.delivered_at is not None,
            line.read_at is not None,
        )
        for line, name in session.execute(query, params)
    )
    c = conversation
    return ChatDetail(
        id=c.id,
        channel=c.channel,
        state=c.state,
        visitor_name=c.visitor_name,
        visitor_contact=c.visitor_contact,
        topic=c.topic,
        department=c.department,
        language=c.language,
        customer_id=c.customer_id,
        owner_id=c.owner_id,
        created_at=c.created_at,
        first_response_at=c.first_response_at,
        closed_at=c.closed_at,
        outcome=c.outcome,
        consent=c.consent,
        visitor_typing=typing_now(c.visitor_typing_at, now),
        version=c.version,
        lines=shown,
    )


@built_once
def _lines_query() -> Select[ConversationMessage, str]:
    return (
        select(ConversationMessage, col(Operator.full_name))
        .outerjoin(Operator, col(Operator.id) == col(ConversationMessage.operator_id))
        .where(col(ConversationMessage.conversation_id) == bindparam("conversation_id"))
        .order_by(col(ConversationMessage.seq))
    )


def waiting_summary(session: Session, now: datetime) -> WaitingSummary:
    """The chats waiting, and how long the oldest chat not yet answered (waiting or given)
    has waited when that is past the floor's first-response limit (letters wait in F8's
    queue, not in the header's badge: the alert is a chat's minute, not a letter's hours)."""
    count, oldest, unanswered = session.execute(_waiting_query()).one()
    stored = session.get(FloorSetting, CHAT_FIRST_RESPONSE)
    limit = CHAT_FIRST_RESPONSE_DEFAULT if stored is None else stored.value
    late = _seconds_since(unanswered, now)
    return WaitingSummary(
        int(count or 0), _seconds_since(oldest, now), late if late >= limit else 0
    )


def _seconds_since(at: datetime | None, now: datetime) -> int:
    return 0 if at is None else max(0, int((now - at).total_seconds()))


@built_once
def _waiting_query() -> Select[int, datetime | None, datetime | None]:
    waiting = col(Conversation.state) == ConversationState.WAITING.value
    created = col(Conversation.created_at)
    unanswered = col(Conversation.first_response_at).is_(None)
    return select(
        func.sum(case((waiting, 1), else_=0)),
        func.min(case((waiting, created))),
        func.min(case((unanswered, created))),
    ).where(
        col(Conversation.state).in_(UNCLOSED),
        col(Conversation.channel) == "chat",
    )


def paid_turns(
    session: Session, conversation_id: uuid.UUID, *, after: datetime | None = None
) -> int:
    """The operator's messages that count for pay: one per customer turn. A run of the
    operator's lines with no visitor line between them is one answer, however split;
    notes and system lines do not count. ``after``: only lines since then (a letter's
    conversation closed before)."""
    query = (
        select(col(ConversationMessage.author))
        .where(
            col(ConversationMessage.conversation_id) == conversation_id,
            col(ConversationMessage.author).in_((Author.VISITOR.value, Author.OPERATOR.value)),
        )
        .order_by(col(ConversationMessage.seq))
    )
    if after is not None:
        query = query.where(col(ConversationMessage.at) > after)
    turns, previous = 0, Author.VISITOR.value
    for author in session.scalars(query):
        if author == Author.OPERATOR.value and previous == Author.VISITOR.value:
            turns += 1
        previous = author
    return turns
