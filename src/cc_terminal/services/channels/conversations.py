"""The operator's side of chats: the queue, taking the next (up to one's limit), one's
open chats, a conversation's lines, answering, notes, handing a chat to a colleague or a
department, closing it with an outcome, and the team lead's limits.

Closing writes the chat's ``Call`` (channel "chat", the conversation's id), so the
customer's ledger and the tally count it like a call; the messages it pays are counted
then and stored on that call (``Call.messages``: one per customer turn, reading.py).

Every write reads the clock inside its transaction: on SQLite the write lock is taken when
it begins, so the moments of lines and marks follow the order their writes are seen in,
and the gateway's look back (visitors.py) needs to cover only one transaction's length,
not the wait for the lock (which on a loaded floor is seconds)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    AssignmentReason,
    Author,
    Conversation,
    ConversationAssignment,
    ConversationMessage,
    ConversationState,
    Customer,
    ListKind,
    Operator,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.channels import (
    assignment,
    closing,
    holding,
    lines,
    mail_offers,
    reading,
)
from cc_terminal.services.channels.mail_offers import OfferStanding
from cc_terminal.services.channels.prechat import words_for
from cc_terminal.services.channels.views import (
    ChatDetail,
    ChatLine,
    Colleague,
    OpenChat,
    QueuedChat,
    TakenElsewhere,
    WaitingSummary,
)
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database, retried_when_busy

CHAT = "chat"
HANDED_OVER = N_("You are being handed to a colleague; please wait a moment.")
MAX_LIMIT = 99


@refusals_audited
class Conversations:
    def __init__(
        self, db: Database, clock: Callable[[], datetime], timezone: str = "Europe/Prague"
    ) -> None:
        self.db = db
        self.clock = clock
        self.zone = ZoneInfo(timezone)

    def queue(self, actor: Actor) -> tuple[QueuedChat, ...]:
        """Waiting chats: a lead sees every one, an operator those they may take."""
        with self.db.read() as session:
            return reading.queue(session, None if actor.is_lead else actor.department)

    def waiting_summary(self) -> WaitingSummary:
        with self.db.read() as session:
            return reading.waiting_summary(session, self.clock())

    def mine(self, actor: Actor) -> tuple[OpenChat, ...]:
        with self.db.read() as session:
            return reading.mine(session, actor.operator_id, self.clock())

    def went_elsewhere(
        self, actor: Actor, conversation_ids: Collection[uuid.UUID]
    ) -> tuple[TakenElsewhere, ...]:
        """Of the chats one held a moment ago, those a colleague took first elsewhere."""
        if not conversation_ids:
            return ()
        with self.db.read() as session:
            return reading.went_elsewhere(session, actor.operator_id, conversation_ids)

    def colleagues(self, actor: Actor) -> tuple[Colleague, ...]:
        """Who a chat can be handed to now (not oneself), by name."""
        with self.db.read() as session:
            return assignment.colleagues(session, actor.operator_id)

    @retried_when_busy
    def take_next(self, actor: Actor) -> uuid.UUID | None:
        """Take the oldest waiting chat one may take; None when none waits. Refused at
        one's limit. Two terminals never take the same chat (SKIP LOCKED)."""
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            operator = assignment.lock_operator(session, actor.operator_id)
            if operator is None:
                raise NotFound(_("No such operator."))
            held = assignment.held_by(session, operator.id)
            if held >= operator.chat_limit:
                raise ConflictError(
                    _("You have {held} open chats, your limit is {limit}.").format(
                        held=held, limit=operator.chat_limit
                    )
                )
            found = assignment.waiting(session, operator.department, limit=1)
            if not found:
                return None
            assignment.give(
                session, found[0], operator, AssignmentReason.TAKEN, actor.operator_id, now
            )
            return found[0].id

    def offer_standing(self, actor: Actor, conversation_id: uuid.UUID) -> OfferStanding:
        """Whether the chat's or letter's contact may be offered a product, and why
        (services/channels/mail_offers.py: consent, an existing customer, no refusal)."""
        with self.db.read() as session:
            conversation = _get(session, conversation_id)
            holding.check_reader(actor, conversation)
            return mail_offers.standing(session, conversation)

    def record_consent(
        self, actor: Actor, conversation_id: uuid.UUID, typed: tuple[str, date, str]
    ) -> None:
        """The contact's e-mail address consented to offers: ``typed`` is where it came
        from, the day and a note; ValidationFailed(field -> words) for what is wrong. (A
        phone number's consent is outbound's ConsentService's.)"""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            conversation = _get(session, conversation_id)
            holding.check_holder(actor, conversation)
            today = now.astimezone(self.zone).date()
            mail_offers.consent(session, actor, conversation, typed, now, today)

    @retried_when_busy
    def assign_round_robin(self, actor: Actor) -> int:
        """Give waiting chats to present operators with a free place; how many."""
        with self.db.write(actor.operator_id) as session:
            return assignment.round_robin(session, actor.operator_id, self.clock())

    @retried_when_busy
    def present_again(self, actor: Actor) -> int:
        """``actor`` signed in or ended a pause: the waiting chats (not letters, which
        wait to be taken) go round-robin to whoever has a place now; how many."""
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            return assignment.round_robin(session, actor.operator_id, now, channel=CHAT)

    def detail(self, actor: Actor, conversation_id: uuid.UUID) -> ChatDetail:
        """A conversation's lines, notes included. The owner reading it marks the
        visitor's lines read."""
        now = self.clock()
        with self.db.read() as session:
            conversation = _get(session, conversation_id)
            holding.check_reader(actor, conversation)
            shown = reading.detail(session, conversation, now)
        unread = [
            line.seq
            for line in shown.lines
            if line.author == Author.VISITOR.value and not line.read
        ]
        if unread and shown.owner_id == actor.operator_id:
            self._read(actor, conversation_id, max(unread))
        return shown

    def _read(self, actor: Actor, conversation_id: uuid.UUID, seq: int) -> None:
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            which = select(col(ConversationMessage.id)).where(
                col(ConversationMessage.conversation_id) == conversation_id,
                col(ConversationMessage.author) == Author.VISITOR.value,
                col(ConversationMessage.seq) <= seq,
                col(ConversationMessage.read_at).is_(None),
            )
            lines.mark(session, actor.operator_id, which, "read_at", now)

    def send(self, actor: Actor, conversation_id: uuid.UUID, client_id: str, text: str) -> ChatLine:
        """Answer the visitor (stored once by ``client_id``); the first answer is the
        chat's first response."""
        client_id = lines.checked_client_id(client_id, _)  # before the write's turn
        text = lines.checked_text(text, _)
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            # the chat's row changed before the line is added: one flush writes both
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
            return _chat_line(line, actor.full_name)

    def note(self, actor: Actor, conversation_id: uuid.UUID, text: str) -> ChatLine:
        """A note only colleagues see."""
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            text = lines.checked_text(text, _)
            line = lines.append(
                session, conversation, Author.NOTE, text, now, operator_id=actor.operator_id
            )
            return _chat_line(line, actor.full_name)

    def typing(self, actor: Actor, conversation_id: uuid.UUID) -> None:
        with self.db.write(actor.operator_id) as session:
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            conversation.operator_typing_at = self.clock()

    def link_customer(
        self, actor: Actor, conversation_id: uuid.UUID, customer_id: uuid.UUID
    ) -> None:
        """The customer the operator picked for a chat whose contact named nobody."""
        with self.db.write(actor.operator_id) as session:
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            if session.get(Customer, customer_id) is None:
                raise NotFound(_("No such customer."))
            conversation.customer_id = customer_id
            conversation.version += 1

    @retried_when_busy
    def transfer(
        self,
        actor: Actor,
        conversation_id: uuid.UUID,
        *,
        to_operator: uuid.UUID | None = None,
        to_department: str = "",
    ) -> None:
        """Hand the chat to a colleague with a free place, or back to the queue of a
        department (its operators then take it)."""
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            if to_operator is not None:
                _to_colleague(session, actor, conversation, to_operator, now)
            else:
                _to_department(session, actor, conversation, to_department, now)
            assignment.round_robin(session, actor.operator_id, now)

    @retried_when_busy
    def close(self, actor: Actor, conversation_id: uuid.UUID, outcome: str) -> None:
        """Close with an outcome (a call outcome's code): the chat's call is written."""
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            conversation = lines.locked(session, conversation_id, _)
            holding.check_holder(actor, conversation)
            closing.close(session, actor, conversation, outcome, now)
            assignment.round_robin(session, actor.operator_id, now)

    @retried_when_busy
    def set_limit(self, actor: Actor, operator_id: uuid.UUID, limit: int) -> None:
        """How many chats an operator holds at once (0: none); a team lead's to set."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets how many chats an operator takes."))
        if not 0 <= limit <= MAX_LIMIT:
            raise ValidationFailed(
                {
                    "chat_limit": _("A whole number from {low} to {high}.").format(
                        low=0, high=MAX_LIMIT
                    )
                }
            )
        with self.db.write(actor.operator_id) as session:
            now = self.clock()
            operator = session.get(Operator, operator_id)
            if operator is None:
                raise NotFound(_("No such operator."))
            operator.chat_limit = limit
            kind, limit_said = AuditKind.ACCOUNT_CHAT_LIMIT, str(limit)
            add_event(session, actor.operator_id, kind, operator.username, limit_said, at=now)
            session.flush()
            assignment.round_robin(session, actor.operator_id, now)


def _get(session: Session, conversation_id: uuid.UUID) -> Conversation:
    found = session.get(Conversation, conversation_id)
    if found is None:
        raise NotFound(_("No such chat."))
    return found


def _to_colleague(
    session: Session,
    actor: Actor,
    conversation: Conversation,
    operator_id: uuid.UUID,
    now: datetime,
) -> None:
    if operator_id == conversation.owner_id:
        raise ValidationFailed({"to": _("The chat is already theirs.")})
    colleague = session.get(Operator, operator_id)
    if colleague is None or not colleague.active or colleague.role not in assignment.CHAT_ROLES:
        raise ValidationFailed({"to": _("No such colleague.")})
    if not assignment.has_place(session, operator_id):
        raise ValidationFailed(
            {"to": _("{name} has no free place for a chat.").format(name=colleague.full_name)}
        )
    assignment.give(
        session, conversation, colleague, AssignmentReason.TRANSFER, actor.operator_id, now
    )


def _to_department(
    session: Session, actor: Actor, conversation: Conversation, department: str, now: datetime
) -> None:
    if not lists_in(session).is_active(ListKind.DEPARTMENT, department):
        raise ValidationFailed({"to": _("Choose a department or a colleague.")})
    conversation.owner_id = None
    conversation.owner_epoch += 1
    conversation.department = department
    conversation.state = ConversationState.WAITING.value
    conversation.version += 1
    session.add(
        ConversationAssignment(
            conversation_id=conversation.id,
            department=department,
            reason=AssignmentReason.TRANSFER.value,
            by_id=actor.operator_id,
            at=now,
        )
    )
    words = words_for(conversation.language)
    lines.append(session, conversation, Author.SYSTEM, words(HANDED_OVER), now)


def _chat_line(line: ConversationMessage, name: str) -> ChatLine:
    return ChatLine(
        line.seq,
        line.author,
        line.text,
        line.at,
        name,
        line.delivered_at is not None,
        line.read_at is not None,
    )
