"""A fetched letter into the store: found again by its Message-ID (stored once), threaded
into its conversation, or a new conversation in the queue; acknowledged when the mailbox
wants it, within RFC 3834's guards.

Threading, first match wins: In-Reply-To, then References (newest first), then the same
sender in the same mailbox with the same subject (without "Re:", "Odp:", "Fwd:") within
``THREAD_DAYS``. A conversation closed within ``THREAD_DAYS`` reopens to the queue (keeping
its last closing time, so its next closing is a new call paid from there: closing.py);
an older one is left closed and the letter starts a new conversation. An automatic letter
(a bounce, an out-of-office, a list's) is stored only into a conversation it answers."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    AssignmentReason,
    Author,
    Conversation,
    ConversationAssignment,
    ConversationState,
    MailAttachment,
    Mailbox,
    MailLetter,
    MailOutgoing,
)
from cc_terminal.models.mail import AutoKind, OutgoingKind
from cc_terminal.services.channels import lines, mail_offers
from cc_terminal.services.channels.contacts import known_customer
from cc_terminal.services.channels.mail_parse import ParsedLetter, normalised_subject
from cc_terminal.services.channels.mail_send import queue_letter, reply_subject

THREAD_DAYS = 14
AUTO_WITHOUT_THREAD = N_("an automatic letter ({kind}) that answers none of ours")
OWN_LETTER = N_("our own letter")
ACKNOWLEDGEMENT = N_(
    "Thank you for your letter. We have received it under the reference {reference} "
    "and will answer as soon as we can.\n\nThis is an automatic reply."
)


@dataclass(frozen=True)
class Stored:
    """What became of one letter: stored (its conversation), a duplicate, or refused."""

    conversation_id: uuid.UUID | None = None
    duplicate: bool = False
    refused: str = ""  # the reason, N_ words
    acknowledged: bool = False


@dataclass(frozen=True)
class Fetched:
    """One letter as the server gave it."""

    uid: int
    uidvalidity: int
    parsed: ParsedLetter


def reference(conversation_id: uuid.UUID) -> str:
    """The ticket reference a customer is told: the conversation id's last (random) digits."""
    return conversation_id.hex[-8:].upper()


def synthetic_id(box: Mailbox, uid: int, uidvalidity: int) -> str:
    return f"<{uid}.{uidvalidity}@{box.id.hex}.mailbox>"


def is_known(session: Session, box: Mailbox, message_id: str, uid: int, validity: int) -> bool:
    """Stored already, by Message-ID or by UID (two queries: each uses its own index, where
    one query with OR reads the mailbox's letters on SQLite)."""
    by_id = select(col(MailLetter.id)).where(
        col(MailLetter.mailbox_id) == box.id, col(MailLetter.message_id) == message_id
    )
    if session.scalars(by_id.limit(1)).first() is not None:
        return True
    by_uid = select(col(MailLetter.id)).where(
        col(MailLetter.mailbox_id) == box.id,
        col(MailLetter.uidvalidity) == validity,
        col(MailLetter.uid) == uid,
    )
    return uid > 0 and session.scalars(by_uid.limit(1)).first() is not None


def store(
    session: Session, box: Mailbox, letter: Fetched, now: datetime, actor_id: uuid.UUID
) -> Stored:
    """Store one letter in the caller's transaction (which also moves the mailbox's last
    UID: a letter is stored and counted fetched together, or neither)."""
    parsed = letter.parsed
    message_id = parsed.message_id or synthetic_id(box, letter.uid, letter.uidvalidity)
    if is_known(session, box, message_id, letter.uid, letter.uidvalidity):
        return Stored(duplicate=True)
    if parsed.auto_kind == AutoKind.OWN.value:
        return Stored(refused=OWN_LETTER)
    conversation = _thread(session, box, parsed, now)
    if conversation is None and parsed.auto_kind:
        return Stored(refused=AUTO_WITHOUT_THREAD.format(kind=parsed.auto_kind))
    is_new = conversation is None
    if conversation is None:
        conversation = _new_conversation(session, box, parsed, now)
    elif conversation.state == ConversationState.CLOSED.value:
        _reopen(session, conversation, actor_id, now)
    _add_letter(session, box, conversation, letter, message_id, now)
    mail_offers.refusal(session, conversation, parsed.subject, actor_id, now)
    acknowledged = is_new and _acknowledge(session, box, conversation, parsed, message_id, now)
    return Stored(conversation_id=conversation.id, acknowledged=acknowledged)


def _thread(
    session: Session, box: Mailbox, parsed: ParsedLetter, now: datetime
) -> Conversation | None:
    for message_id in (parsed.in_reply_to, *reversed(parsed.references)):
        if not message_id:
            continue
        query = select(col(MailLetter.conversation_id)).where(
            col(MailLetter.mailbox_id) == box.id, col(MailLetter.message_id) == message_id
        )
        found = session.scalars(query).first()
        if found is not None:
            return _open_or_recent(session, found, now)
    return _by_subject(session, box, parsed, now)


def _by_subject(
    session: Session, box: Mailbox, parsed: ParsedLetter, now: datetime
) -> Conversation | None:
    subject = normalised_subject(parsed.subject)
    if not subject:
        return None
    query = (
        select(col(MailLetter.conversation_id), col(MailLetter.subject))
        .where(
            col(MailLetter.mailbox_id) == box.id,
            col(MailLetter.from_address) == parsed.from_address,
            col(MailLetter.direction) == "in",
            col(MailLetter.sent_at) >= now - timedelta(days=THREAD_DAYS),
        )
        .order_by(col(MailLetter.sent_at).desc())
        .limit(50)
    )
    for conversation_id, earlier in session.execute(query):
        if normalised_subject(earlier) == subject:
            return _open_or_recent(session, conversation_id, now)
    return None


def _open_or_recent(
    session: Session, conversation_id: uuid.UUID, now: datetime
) -> Conversation | None:
    conversation = lines.locked(session, conversation_id, _)
    if conversation.state != ConversationState.CLOSED.value:
        return conversation
    closed = conversation.closed_at
    return conversation if closed and now - closed <= timedelta(days=THREAD_DAYS) else None


def _new_conversation(
    session: Session, box: Mailbox, parsed: ParsedLetter, now: datetime
) -> Conversation:
    conversation = Conversation(
        channel="email",
        customer_id=known_customer(session, parsed.from_address, False),
        visitor_name=(parsed.from_name or parsed.from_address)[:120],
        visitor_contact=parsed.from_address,
        department=box.department,
        created_at=now,
        last_message_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation


def _reopen(
    session: Session, conversation: Conversation, actor_id: uuid.UUID, now: datetime
) -> None:
    """Back to the queue; ``closed_at`` stays (see the module's words)."""
    conversation.state = ConversationState.WAITING.value
    conversation.owner_id = None
    conversation.owner_epoch += 1
    conversation.outcome = ""
    conversation.version += 1
    session.add(
        ConversationAssignment(
            conversation_id=conversation.id,
            operator_id=None,
            department=conversation.department,
            reason=AssignmentReason.RELEASED.value,
            by_id=actor_id,
            at=now,
        )
    )


def _add_letter(
    session: Session,
    box: Mailbox,
    conversation: Conversation,
    letter: Fetched,
    message_id: str,
    now: datetime,
) -> None:
    parsed = letter.parsed
    client_id = "mail-" + hashlib.sha256(message_id.encode()).hexdigest()[:40]
    line = lines.append(
        session, conversation, Author.VISITOR, parsed.text, now, client_id=client_id
    )
    row = _letter_row(parsed, letter, message_id, now, (conversation.id, line.id, box.id))
    session.add(row)
    session.flush()
    for attachment in parsed.attachments:
        session.add(
            MailAttachment(
                letter_id=row.id,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=len(attachment.content),
                content=attachment.content,
            )
        )


def _letter_row(
    parsed: ParsedLetter,
    letter: Fetched,
    message_id: str,
    now: datetime,
    owners: tuple[uuid.UUID, uuid.UUID, uuid.UUID],
) -> MailLetter:
    """The letter's row; ``owners``: its conversation, its line and its mailbox."""
    conversation_id, line_id, mailbox_id = owners
    return MailLetter(
        conversation_id=conversation_id,
        message_row_id=line_id,
        mailbox_id=mailbox_id,
        direction="in",
        message_id=message_id,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references),
        subject=parsed.subject,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        to_addresses=parsed.to,
        cc_addresses=parsed.cc,
        sent_at=parsed.sent_at or now,
        uid=letter.uid,
        uidvalidity=letter.uidvalidity,
        auto_kind=parsed.auto_kind,
        raw_size=parsed.raw_size,
    )


def auto_replies_today(session: Session, address: str, now: datetime) -> int:
    """Automatic letters (acknowledgements) to ``address`` in the last 24 hours."""
    query = select(func.count()).where(
        col(MailOutgoing.to_address) == address,
        col(MailOutgoing.kind) == OutgoingKind.ACKNOWLEDGEMENT.value,
        col(MailOutgoing.created_at) > now - timedelta(days=1),
    )
    return int(session.scalar(query) or 0)


def _acknowledge(
    session: Session,
    box: Mailbox,
    conversation: Conversation,
    parsed: ParsedLetter,
    message_id: str,
    now: datetime,
) -> bool:
    """RFC 3834: never to an automatic letter (parse.auto_kind), at most the mailbox's
    number a day to one address; ours say Auto-Submitted: auto-replied (mail_send.py)."""
    if not box.acknowledge or parsed.auto_kind:
        return False
    if auto_replies_today(session, parsed.from_address, now) >= box.auto_replies_per_day:
        return False
    text = _(ACKNOWLEDGEMENT).format(reference=reference(conversation.id))
    line = lines.append(session, conversation, Author.SYSTEM, text, now)
    queue_letter(
        session,
        box,
        conversation,
        line,
        kind=OutgoingKind.ACKNOWLEDGEMENT,
        to=parsed.from_address,
        subject=f"[{reference(conversation.id)}] " + reply_subject(parsed.subject),
        answering=(message_id, (*parsed.references, message_id)),
        now=now,
    )
    return True
