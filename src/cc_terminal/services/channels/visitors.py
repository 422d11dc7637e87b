"""The chat gateway's side: a visitor known only by the token ``start`` gave them. The
gateway holds one ``VisitorChats`` and acts as its service account; every write goes
through ``db.write(gateway)`` like any other. A visitor never sees a note, nor an
operator's full name unless the floor allows it; what they are told is in their language.

``changed_since`` lets one gateway watch every chat with one query, and ``news`` brings
the chats it holds sockets for up to date with one more (and one write of the delivered
marks), whatever the number of sockets. Its cursor is a time
in microseconds: the newest line or operator typing seen, or the gateway's clock less
``LOOK_BACK`` when that is later. Each call looks back ``LOOK_BACK`` before the cursor,
because a transaction that read its clock earlier may commit later: a chat may be named
twice, and ``lines_after`` then returns only what is new. Writers read the clock inside
their transactions (conversations.py says why), so a line's moment is late by at most its
own transaction's length, not its wait for the store. The writers' clocks must agree to
well within ``LOOK_BACK`` (one host, or machines kept in time by NTP). A line whose
transaction outlasted ``LOOK_BACK`` is still found by ``newest_lines``, which the gateway
asks now and then for every chat it holds (channels/chat/hub.py).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    AssignmentReason,
    Author,
    Conversation,
    ConversationMessage,
    ConversationState,
)
from cc_terminal.services.channels import assignment, lines, offline, prechat, transcripts
from cc_terminal.services.channels.contacts import known_customer
from cc_terminal.services.channels.reading import typing_now
from cc_terminal.services.channels.views import PreChat, StartedChat, VisitorLine
from cc_terminal.services.channels.visitor_posts import Post, store_posts
from cc_terminal.services.channels.visitor_reads import (
    VISIBLE,
    StoredLine,
    lines_after_query,
    news_query,
    operator_names,
    typing_query,
)
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.views import Actor
from cc_terminal.services.common.working_hours import overdue_cutoff
from cc_terminal.store.database import Database, retried_when_busy

LOOK_BACK = timedelta(seconds=2)
VISITOR_LEFT = N_("The visitor ended the chat.")
FROM_FLOOR = (Author.OPERATOR.value, Author.SYSTEM.value)
# A token that opens nothing: who asked is unknown, so the widget's first language.
ANYONE = prechat.words_for("")


@dataclass(frozen=True)
class ChatNews:
    """For each chat asked about: its lines written, delivered or read lately (in order)
    and whether its operator is typing."""

    lines: dict[uuid.UUID, list[VisitorLine]]
    typing: dict[uuid.UUID, bool]


class VisitorChats:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        gateway: Actor,
        *,
        region: str = "CZ",
        zone: str = "Europe/Prague",
        full_names: bool = False,
    ) -> None:
        self.db, self.clock, self.gateway = db, clock, gateway
        self.region, self.place = region, (zone, region)
        self.full_names = full_names  # the floor lets visitors see operators' full names
        # The gateway's: the floor's lines handed over are marked delivered with its next
        # write of lines (channels/chat/posting.py); None: in a write of their own, at once.
        self.deliver_later: Callable[[list[uuid.UUID]], None] | None = None

    @retried_when_busy
    def start(self, form: PreChat) -> StartedChat:
        """A new chat, given at once to the operator round-robin chooses when none waits
        before it (stored already given: the waiting queue never changed, so no terminal
        reads it again, store/change_notice.py); else in the queue, round-robin as ever."""
        token = secrets.token_urlsafe(32)
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            checked = prechat.checked(session, form, self.region)
            conversation = Conversation(
                channel="chat",
                customer_id=known_customer(session, checked.contact, checked.is_phone),
                visitor_name=checked.name,
                visitor_contact=checked.contact,
                topic=checked.topic,
                language=checked.language,
                token_hash=lines.token_hash(token),
                created_at=now,
                last_message_at=now,
                consent=True,
            )
            by_id = self.gateway.operator_id
            before = bool(assignment.waiting(session, limit=1))
            operator = None
            if not before:
                operator = assignment.first_with_place(session, conversation.department)
            session.add(conversation)
            if operator is not None:
                given = AssignmentReason.ASSIGNED
                assignment.give(session, conversation, operator, given, by_id, now)
            elif before:
                session.flush()
                assignment.round_robin(session, by_id, now)
            return StartedChat(token, conversation.id)

    @retried_when_busy
    def present_again(self) -> int:
        """On a folder floor, a sync round brought an operator's sign-in or a pause's end:
        the waiting chats go round-robin to whoever has a place now; how many."""
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            return assignment.round_robin(session, self.gateway.operator_id, now, channel="chat")

    def post(self, token: str, client_id: str, text: str) -> VisitorLine:
        """Store the visitor's line once: the same client id again returns the stored
        line with its number, whatever text came with it."""
        answer = self.post_many([Post(token, client_id, text)])[0]
        if isinstance(answer, ServiceError):
            raise answer
        return answer

    def post_many(
        self, posts: Sequence[Post], delivered: Sequence[uuid.UUID] = ()
    ) -> list[VisitorLine | ServiceError]:
        """Many visitors' lines in one write transaction (services/channels/visitor_posts.py):
        each one's stored line, or why it was refused; in the same write, the floor's lines
        ``delivered`` marked so (those not marked yet)."""
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            answers = store_posts(session, posts, now, self.gateway.operator_id) if posts else []
            if delivered:
                self._mark_delivered(session, delivered, now)
            return answers

    def lines_after(self, token: str, seq: int) -> list[VisitorLine]:
        """The lines the visitor may see after ``seq``. The floor's lines among them are
        marked delivered: the gateway asks in order to send them."""
        with self.db.read() as session:
            conversation = lines.by_token(session, token, ANYONE)
            params = {"conversation_id": conversation.id, "seq": seq}
            found = list(session.execute(lines_after_query(), params))
            names = operator_names(session, found)
        return self._handed_over(found, names)

    def _handed_over(
        self, found: list[StoredLine], names: dict[uuid.UUID, str]
    ) -> list[VisitorLine]:
        """The lines as the gateway sends them: the floor's marked delivered (stored so
        once, in one write), since the gateway asks in order to send them."""
        fresh = [line.id for line in found if line.author in FROM_FLOOR and not line.delivered_at]
        if fresh and self.deliver_later is not None:
            self.deliver_later(fresh)
        elif fresh:
            self._delivered(fresh)
        return [
            replace(self._line(line, names), delivered=True)
            if line.author in FROM_FLOOR
            else self._line(line, names)
            for line in found
        ]

    def _delivered(self, line_ids: list[uuid.UUID]) -> None:
        with self.db.write(self.gateway.operator_id) as session:
            self._mark_delivered(session, line_ids, self.clock())

    def _mark_delivered(
        self, session: Session, line_ids: Sequence[uuid.UUID], now: datetime
    ) -> None:
        which = select(col(ConversationMessage.id)).where(
            col(ConversationMessage.id).in_(line_ids),
            col(ConversationMessage.delivered_at).is_(None),
        )
        lines.mark(session, self.gateway.operator_id, which, "delivered_at", now)

    def changed_since(self, cursor: int) -> tuple[int, list[uuid.UUID]]:
        """The chats with new lines (a state change writes one) or an operator typing
        since the cursor, and the next cursor. A cursor of 0 or less starts from now."""
        if cursor <= 0:
            return _micros(self.clock()), []
        since = _from_micros(cursor) - LOOK_BACK
        query = select(
            col(Conversation.id),
            col(Conversation.last_message_at),
            col(Conversation.operator_typing_at),
        ).where(
            col(Conversation.channel) == "chat",
            or_(
                col(Conversation.last_message_at) > since,
                col(Conversation.operator_typing_at) > since,
            ),
        )
        with self.db.read() as session:
            rows = session.execute(query).all()
        moments = [_micros(at) for row in rows for at in row[1:] if at is not None]
        settled = _micros(self.clock() - LOOK_BACK)
        return max([cursor, settled, *moments]), [row[0] for row in rows]

    def newest_lines(self, conversation_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        """The number of the last line a visitor may see in each of these chats (one
        query, whatever the moments the lines were written at)."""
        if not conversation_ids:
            return {}
        query = (
            select(col(ConversationMessage.conversation_id), func.max(ConversationMessage.seq))
            .where(
                col(ConversationMessage.conversation_id).in_(list(conversation_ids)),
                col(ConversationMessage.author).in_(VISIBLE),
            )
            .group_by(col(ConversationMessage.conversation_id))
        )
        with self.db.read() as session:
            return {conversation: seq for conversation, seq in session.execute(query)}

    def news(self, conversation_ids: Collection[uuid.UUID], cursor: int) -> ChatNews:
        """The visible lines of these chats written, delivered or read since ``cursor``
        (less ``LOOK_BACK``), and their operators' typing; the floor's lines among them
        marked delivered: the gateway asks in order to send them."""
        if not conversation_ids:
            return ChatNews({}, {})
        since, now = _from_micros(cursor) - LOOK_BACK, self.clock()
        params = {"ids": list(conversation_ids), "since": since}
        with self.db.read() as session:
            found = list(session.execute(news_query(), params))
            names = operator_names(session, found)
            typing = {
                row[0]: typing_now(row[1], now) for row in session.execute(typing_query(), params)
            }
        news: dict[uuid.UUID, list[VisitorLine]] = {}
        for stored, shown in zip(found, self._handed_over(found, names), strict=True):
            news.setdefault(stored.conversation_id, []).append(shown)
        return ChatNews(news, typing)

    def typing(self, token: str) -> None:
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            conversation = lines.by_token(session, token, ANYONE)
            conversation.visitor_typing_at = now

    def operator_typing(self, token: str) -> bool:
        with self.db.read() as session:
            conversation = lines.by_token(session, token, ANYONE)
            at = conversation.operator_typing_at
        return typing_now(at, self.clock())

    def mark_read(self, token: str, seq: int) -> None:
        """The visitor has read the operator's lines up to ``seq``."""
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            conversation = lines.by_token(session, token, ANYONE)
            which = select(col(ConversationMessage.id)).where(
                col(ConversationMessage.conversation_id) == conversation.id,
                col(ConversationMessage.seq) <= seq,
                col(ConversationMessage.author).in_(FROM_FLOOR),
                col(ConversationMessage.read_at).is_(None),
            )
            lines.mark(session, self.gateway.operator_id, which, "read_at", now)

    def someone_available(self, topic: str) -> bool:
        """An operator who takes chats is signed in and not paused, and it is working
        time in the topic's department (no topic: the contact centre's hours)."""
        now = self.clock()
        with self.db.read() as session:
            if not assignment.present(session):
                return False
            lists = lists_in(session)
        department = offline.department_of(lists, topic or offline.NO_TOPIC)
        return overdue_cutoff(now, offline.hours_of(lists, department, self.place)) == now

    def leave_message(self, form: PreChat, text: str) -> uuid.UUID:
        """The offline form: a request to the topic's department; returns its id."""
        now = self.clock()
        words = prechat.words_for(form.language)
        with self.db.write(self.gateway.operator_id) as session:
            errors: dict[str, str] = {}
            try:
                checked = prechat.checked(session, form, self.region)
            except ValidationFailed as failed:
                errors.update(failed.errors)
            try:
                text = offline.checked_message(lines.checked_text(text, words), words)
            except ValidationFailed as failed:
                errors.update(failed.errors)
            if errors:
                raise ValidationFailed(errors)
            return offline.leave(
                session, checked, text, self.gateway.operator_id, now, self.place, words
            )

    def close_by_visitor(self, token: str) -> None:
        """The visitor left: the chat is closed (an operator holding it still closes it
        with an outcome for the ledger; a waiting one just leaves the queue)."""
        with self.db.write(self.gateway.operator_id) as session:
            now = self.clock()
            conversation = lines.by_token(session, token, ANYONE, lock=True)
            if conversation.state == ConversationState.CLOSED.value:
                return
            words = prechat.words_for(conversation.language)
            lines.append(session, conversation, Author.SYSTEM, words(VISITOR_LEFT), now)
            if conversation.owner_id is None:
                conversation.state = ConversationState.CLOSED.value
                conversation.closed_at = now
                conversation.version += 1

    def request_transcript(self, token: str) -> str:
        """The visitor asked for the chat's transcript (during the chat or after it):
        queued to their pre-chat form's e-mail address, which is returned; refused by
        ValidationFailed({"transcript" or "address": ...}) in their words
        (services/channels/transcripts.py says to whom and how often)."""
        with self.db.write(self.gateway.operator_id) as session:
            conversation = lines.by_token(session, token, ANYONE, lock=True)
            words = prechat.words_for(conversation.language)
            address = transcripts.for_the_visitor(session, conversation, words)
            transcripts.queue(session, conversation, address, self.clock(), words, _)
        return address

    def _line(self, line: StoredLine, names: dict[uuid.UUID, str]) -> VisitorLine:
        full = names.get(line.operator_id, "") if line.operator_id else ""
        label = full if self.full_names else assignment.first_name(full)
        return VisitorLine(
            seq=line.seq,
            client_id=line.client_id,
            author=line.author,
            text=line.text,
            at=line.at,
            operator_label=label,
            delivered=line.delivered_at is not None,
            read=line.read_at is not None,
        )


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _from_micros(cursor: int) -> datetime:
    return datetime.fromtimestamp(cursor / 1_000_000, UTC)
