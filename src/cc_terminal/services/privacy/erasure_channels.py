"""Erasure's part in the written channels: the customer's chats and letters (found by the
card, by their numbers and by their e-mail address, linked or not) keep their times and
outcome; the visitor's name and contact, every line's text, who wrote to whom, the subject
and every attachment go. A consent to offers by e-mail goes with the person; a refusal of
offers stays (no offer may ever reach the address again), as "do not call" does."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import (
    ERASED_NAME,
    Conversation,
    ConversationMessage,
    MailAttachment,
    MailConsent,
    MailLetter,
    MailOffer,
    MailOutgoing,
)


def wipe_conversations(
    session: Session, customer_id: uuid.UUID, numbers: list[str], address: str
) -> None:
    folded = address.casefold()
    contact = func.lower(col(Conversation.visitor_contact))
    held = [
        col(Conversation.customer_id) == customer_id,
        col(Conversation.visitor_contact).in_(numbers),
    ]
    found = or_(*held, contact == folded) if folded else or_(*held)
    chats = list(session.scalars(select(Conversation).where(found)))
    for chat in chats:
        chat.visitor_name, chat.visitor_contact = ERASED_NAME, ""
    ids = [chat.id for chat in chats]
    lines = select(ConversationMessage).where(col(ConversationMessage.conversation_id).in_(ids))
    for line in session.scalars(lines) if ids else ():
        if line.text:
            line.text = ""
    if ids:
        _wipe_letters(session, ids)
    if folded:
        _wipe_address(session, folded)


def _wipe_letters(session: Session, conversation_ids: list[uuid.UUID]) -> None:
    """A letter keeps its Message-ID (threading, duplicates) and times."""
    letters = list(
        session.scalars(
            select(MailLetter).where(col(MailLetter.conversation_id).in_(conversation_ids))
        )
    )
    for letter in letters:
        letter.subject, letter.from_name, letter.from_address = "", ERASED_NAME, ""
        letter.to_addresses = letter.cc_addresses = ""
    letter_ids = [letter.id for letter in letters]
    for attachment in session.scalars(
        select(MailAttachment).where(col(MailAttachment.letter_id).in_(letter_ids))
    ):
        session.delete(attachment)
    for outgoing in session.scalars(
        select(MailOutgoing).where(col(MailOutgoing.conversation_id).in_(conversation_ids))
    ):
        outgoing.to_address = ""
        if outgoing.state != "sent":  # never sent now: there is nobody to send it to
            outgoing.state, outgoing.attempts, outgoing.last_error = "failed", 99, "erased"


def _wipe_address(session: Session, address: str) -> None:
    for consent in session.scalars(select(MailConsent).where(col(MailConsent.address) == address)):
        session.delete(consent)
    session.execute(update(MailOffer).where(col(MailOffer.address) == address).values(address=""))
