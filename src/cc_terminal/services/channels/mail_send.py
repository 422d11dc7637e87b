"""Letters out: queued in ``mail_outgoing`` beside their conversation line (one write), then
sent by the mail loop through the mailbox's SMTP with smtplib, retried with backoff.

Each round claims a letter first (its next attempt moved ``LEASE`` ahead, committed), sends
it, then writes the result (sent, or failed with the error in words and the next attempt)
in one transaction. If the process dies between the server's 250 and that commit, the
claim runs out and the letter is sent again: at-least-once. The receiver's client drops
the second copy by its Message-ID, which is the same on every attempt."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import (
    Author,
    Conversation,
    ConversationMessage,
    Mailbox,
    MailLetter,
    MailOutgoing,
)
from cc_terminal.models.mail import OutgoingKind, Security, SendState
from cc_terminal.services.channels import mail_offers
from cc_terminal.services.channels.mail_parse import normalised_subject

MAX_ATTEMPTS = 8  # then it waits, failed, for an operator's retry
LEASE = timedelta(minutes=5)
BACKOFF = (60, 120, 300, 600, 1800, 3600, 7200)  # seconds after the 1st, 2nd, ... failure
TIMEOUT = 30
REFERENCES_KEPT = 20


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    return subject if normalised_subject(subject) != subject.casefold() else f"Re: {subject}"


def new_message_id(box: Mailbox) -> str:
    domain = box.from_address.rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue_letter(
    session: Session,
    box: Mailbox,
    conversation: Conversation,
    line: ConversationMessage,
    *,
    kind: OutgoingKind,
    to: str,
    subject: str,
    answering: tuple[str, tuple[str, ...]],
    now: datetime,
) -> MailLetter:
    """The letter ``line`` becomes, queued to ``to``; ``answering`` is the In-Reply-To and
    the References it carries."""
    in_reply_to, references = answering
    letter = MailLetter(
        conversation_id=conversation.id,
        message_row_id=line.id,
        mailbox_id=box.id,
        direction="out",
        message_id=new_message_id(box),
        in_reply_to=in_reply_to,
        references=" ".join(references[-REFERENCES_KEPT:]),
        subject=subject,
        from_address=box.from_address,
        from_name=box.from_name,
        to_addresses=to,
        sent_at=now,
    )
    session.add(letter)
    session.flush()
    session.add(_outgoing(letter, kind, now))
    return letter


def _outgoing(letter: MailLetter, kind: OutgoingKind, now: datetime) -> MailOutgoing:
    return MailOutgoing(
        conversation_id=letter.conversation_id,
        letter_id=letter.id,
        mailbox_id=letter.mailbox_id,
        kind=kind.value,
        to_address=letter.to_addresses,
        next_attempt_at=now,
        created_at=now,
    )


def due(session: Session, now: datetime, limit: int = 50) -> list[MailOutgoing]:
    """Letters to try now: queued ones, and failed ones with attempts left."""
    query = (
        select(MailOutgoing)
        .join(Mailbox, col(Mailbox.id) == col(MailOutgoing.mailbox_id))
        .where(
            col(Mailbox.active).is_(True),
            col(MailOutgoing.next_attempt_at) <= now,
            or_(
                col(MailOutgoing.state) == SendState.QUEUED.value,
                (col(MailOutgoing.state) == SendState.FAILED.value)
                & (col(MailOutgoing.attempts) < MAX_ATTEMPTS),
            ),
        )
        .order_by(col(MailOutgoing.next_attempt_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def next_attempt(attempts: int, now: datetime) -> datetime:
    return now + timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])


def compose(session: Session, outgoing: MailOutgoing) -> EmailMessage:
    """The letter as it goes out: plain text, UTF-8, threaded."""
    letter = session.get(MailLetter, outgoing.letter_id)
    box = session.get(Mailbox, outgoing.mailbox_id)
    assert letter is not None and box is not None
    message = EmailMessage()
    message["From"] = Address(box.from_name, addr_spec=box.from_address)
    message["To"] = outgoing.to_address
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(letter.sent_at)
    message["Message-ID"] = letter.message_id
    if letter.in_reply_to:
        message["In-Reply-To"] = letter.in_reply_to
    if letter.references:
        message["References"] = letter.references
    if outgoing.kind not in (OutgoingKind.REPLY.value, OutgoingKind.OFFER.value):
        message["Auto-Submitted"] = (
            "auto-replied" if outgoing.kind == "acknowledgement" else "auto-generated"
        )
    if outgoing.kind == OutgoingKind.OFFER.value:
        token = mail_offers.token_of(session, letter.id)
        message["List-Unsubscribe"] = mail_offers.unsubscribe_header(box.from_address, token)
    message.set_content(_body(session, outgoing, letter), charset="utf-8")
    return message


def _body(session: Session, outgoing: MailOutgoing, letter: MailLetter) -> str:
    line = session.get(ConversationMessage, letter.message_row_id)
    assert line is not None
    if outgoing.kind != OutgoingKind.TRANSCRIPT.value:
        return line.text
    query = (
        select(ConversationMessage)
        .where(
            col(ConversationMessage.conversation_id) == outgoing.conversation_id,
            col(ConversationMessage.seq) < line.seq,
            col(ConversationMessage.author) != Author.NOTE.value,
        )
        .order_by(col(ConversationMessage.seq))
    )
    return "\n\n".join(
        f"[{item.at:%Y-%m-%d %H:%M}] {item.author}: {item.text}" for item in session.scalars(query)
    )


@dataclass(frozen=True)
class Smtp:
    """A mailbox's SMTP server as the loop opens it (the password opened from its seal)."""

    host: str
    port: int
    security: str
    user: str
    password: str


Connect = Callable[[Smtp], smtplib.SMTP]


def connect(server: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if server.security == Security.SSL.value:
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        if server.security == Security.STARTTLS.value:
            client.starttls(context=context)
    if server.user:
        client.login(server.user, server.password)
    return client


def error_words(error: BaseException) -> tuple[str, bool]:
    """The error in plain words (never the password: smtplib's errors carry the server's
    answer, not what was sent) and whether trying again may help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        ]
        return "; ".join(answers)[:500], False
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        permanent = isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500
        return f"{error.smtp_code} {text}"[:500], not permanent
    return f"{type(error).__name__}: {error}"[:500], True
