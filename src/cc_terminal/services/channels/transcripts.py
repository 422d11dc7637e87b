"""A chat's transcript by e-mail: what the visitor saw (notes left out), queued as a letter
through the mailbox of the chat's department (or the first active one) for the mail loop
to send, with a note in the chat saying where it went.

The operator sends it as the chat closes (T in the outcome picker). The visitor asks for
it from the widget, during the chat or after it ended: then it goes only to the e-mail
address of their pre-chat form, never to one typed at that moment (the gateway is a
public endpoint and must not mail strangers), and at most ``PER_CHAT`` times a chat."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_
from cc_terminal.models import Author, Conversation, Mailbox, MailOutgoing
from cc_terminal.models.mail import OutgoingKind
from cc_terminal.services.channels import lines, mail_send
from cc_terminal.services.channels.lines import Words
from cc_terminal.services.channels.mail_store import reference
from cc_terminal.services.common.errors import ValidationFailed

PER_CHAT = 3
NOT_AN_ADDRESS = N_("Type an e-mail address.")
NO_MAILBOX = N_("No mailbox sends letters yet.")
QUEUED = N_("The transcript was queued to {address}.")
SUBJECT = N_("Transcript of your chat {reference}")
NO_ADDRESS = N_("The chat was started with a phone number: there is no address to send it to.")
ENOUGH = N_("The transcript was sent {n} times already.")


def checked_address(typed: str, words: Words) -> str:
    """The address as it will be written, or ValidationFailed({"address": ...})."""
    address = parseaddr(typed.strip())[1].lower()
    if "@" not in address or len(address) > limits.EMAIL:
        raise ValidationFailed({"address": words(NOT_AN_ADDRESS)})
    return address


def for_the_visitor(session: Session, conversation: Conversation, words: Words) -> str:
    """The address the visitor may have their transcript sent to (their pre-chat form's),
    when they have not asked for it ``PER_CHAT`` times; ValidationFailed({"transcript"})."""
    if "@" not in conversation.visitor_contact:
        raise ValidationFailed({"transcript": words(NO_ADDRESS)})
    if _sent(session, conversation) >= PER_CHAT:
        raise ValidationFailed({"transcript": words(ENOUGH).format(n=PER_CHAT)})
    return checked_address(conversation.visitor_contact, words)


def queue(
    session: Session,
    conversation: Conversation,
    address: str,
    now: datetime,
    words: Words,
    floor_words: Words,
) -> None:
    """The transcript's letter to ``address`` in the visitor's ``words``; the note saying
    so in the floor's ``floor_words``."""
    box = _sending_box(session, conversation.department, words)
    note = floor_words(QUEUED).format(address=address)
    line = lines.append(session, conversation, Author.NOTE, note, now)
    mail_send.queue_letter(
        session,
        box,
        conversation,
        line,
        kind=OutgoingKind.TRANSCRIPT,
        to=address,
        subject=words(SUBJECT).format(reference=reference(conversation.id)),
        answering=("", ()),
        now=now,
    )


def _sent(session: Session, conversation: Conversation) -> int:
    query = select(func.count()).where(
        col(MailOutgoing.conversation_id) == conversation.id,
        col(MailOutgoing.kind) == OutgoingKind.TRANSCRIPT.value,
    )
    return int(session.scalar(query) or 0)


def _sending_box(session: Session, department: str, words: Words) -> Mailbox:
    query = (
        select(Mailbox)
        .where(col(Mailbox.active).is_(True), col(Mailbox.department).in_((department, "")))
        .order_by(col(Mailbox.department).desc(), col(Mailbox.name))
    )
    found = session.scalars(query).first()
    if found is None:
        raise ValidationFailed({"address": words(NO_MAILBOX)})
    return found
