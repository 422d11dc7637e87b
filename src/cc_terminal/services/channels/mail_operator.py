"""What the operator does with letters (F8): read a thread, answer it (a conversation line
and a queued letter in one write), send failed letters again, save an attachment, put the
sender's address on a customer's card. The rules on who may (the holder, a team lead, or
anyone reading a waiting one) are the chat's."""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Author,
    Conversation,
    ConversationMessage,
    ConversationState,
    MailAttachment,
    Mailbox,
    MailLetter,
    MailOutgoing,
)
from cc_terminal.models.mail import OutgoingKind
from cc_terminal.services.channels import lines, mail_offers
from cc_terminal.services.channels.mail_parse import safe_filename
from cc_terminal.services.channels.mail_send import queue_letter, reply_subject
from cc_terminal.services.channels.mail_views import AttachmentView, LetterThread, LetterView
from cc_terminal.services.common.errors import (
    NotFound,
    ValidationFailed,
)
from cc_terminal.services.common.views import Actor


def letter_conversation(
    session: Session, conversation_id: uuid.UUID, *, lock: bool = False
) -> Conversation:
    found = (
        lines.locked(session, conversation_id, _)
        if lock
        else session.get(Conversation, conversation_id)
    )
    if found is None or found.channel != "email":
        raise NotFound(_("No such letter."))
    return found


def thread(session: Session, conversation: Conversation) -> LetterThread:
    query = (
        select(MailLetter, ConversationMessage, MailOutgoing)
        .join(ConversationMessage, col(ConversationMessage.id) == col(MailLetter.message_row_id))
        .outerjoin(MailOutgoing, col(MailOutgoing.letter_id) == col(MailLetter.id))
        .where(col(MailLetter.conversation_id) == conversation.id)
        .order_by(col(ConversationMessage.seq))
    )
    found = list(session.execute(query))
    files = _attachments(session, [letter.id for letter, _line, _out in found])
    letters = tuple(
        letter_view(letter, line, out, files.get(letter.id, ())) for letter, line, out in found
    )
    first_in = next((item for item in letters if item.direction == "in"), None)
    box = session.get(Mailbox, found[0][0].mailbox_id) if found else None
    return LetterThread(
        conversation_id=conversation.id,
        subject=first_in.subject if first_in else (letters[0].subject if letters else ""),
        address=conversation.visitor_contact,
        mailbox=box.name if box else "",
        letters=letters,
    )


def _attachments(
    session: Session, letter_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[AttachmentView, ...]]:
    if not letter_ids:
        return {}
    query = (
        select(
            col(MailAttachment.id),
            col(MailAttachment.letter_id),
            col(MailAttachment.filename),
            col(MailAttachment.content_type),
            col(MailAttachment.size),
        )
        .where(col(MailAttachment.letter_id).in_(letter_ids))
        .order_by(col(MailAttachment.letter_id))
    )
    found: dict[uuid.UUID, list[AttachmentView]] = {}
    for row_id, letter_id, filename, content_type, size in session.execute(query):
        found.setdefault(letter_id, []).append(AttachmentView(row_id, filename, content_type, size))
    return {key: tuple(value) for key, value in found.items()}


def letter_view(
    letter: MailLetter,
    line: ConversationMessage,
    outgoing: MailOutgoing | None,
    files: tuple[AttachmentView, ...] = (),
) -> LetterView:
    return LetterView(
        seq=line.seq,
        direction=letter.direction,
        message_id=letter.message_id,
        subject=letter.subject,
        from_name=letter.from_name,
        from_address=letter.from_address,
        to=letter.to_addresses,
        at=letter.sent_at if letter.direction == "in" else line.at,
        text=line.text,
        attachments=files,
        auto_kind=letter.auto_kind,
        sending="" if outgoing is None else outgoing.state,
        attempts=0 if outgoing is None else outgoing.attempts,
        last_error="" if outgoing is None else outgoing.last_error,
    )


def reply(
    session: Session,
    actor: Actor,
    conversation: Conversation,
    client_id: str,
    text: str,
    now: datetime,
    offer_code: str = "",
) -> LetterView:
    """``offer_code``: the letter offers that product (mail_offers.py decides whether it
    may, and adds the way to refuse further offers)."""
    client_id = lines.checked_client_id(client_id, _)
    found = lines.existing(session, conversation.id, client_id)
    if found is not None:
        return _stored_reply(session, found)
    text = lines.checked_text(text, _)
    token = mail_offers.new_token() if offer_code else ""
    if offer_code:
        text = _offering(session, conversation, offer_code, text, token, now)
    line = lines.append(
        session,
        conversation,
        Author.OPERATOR,
        text,
        now,
        client_id=client_id,
        operator_id=actor.operator_id,
    )
    answered(conversation, now)
    kind = OutgoingKind.OFFER if offer_code else OutgoingKind.REPLY
    letter = _queue_reply(session, conversation, line, kind, now)
    if offer_code:
        offer = (offer_code, token)
        mail_offers.record_offer(session, actor, letter.id, conversation, offer, now)
    session.flush()
    return _stored_reply(session, line, letter)


def _queue_reply(
    session: Session,
    conversation: Conversation,
    line: ConversationMessage,
    kind: OutgoingKind,
    now: datetime,
) -> MailLetter:
    """The answer's letter, threaded on the customer's newest letter, from its mailbox."""
    last_in = _last_letter_in(session, conversation.id)
    box = session.get(Mailbox, last_in.mailbox_id)
    assert box is not None
    return queue_letter(
        session,
        box,
        conversation,
        line,
        kind=kind,
        to=conversation.visitor_contact,
        subject=reply_subject(last_in.subject),
        answering=(last_in.message_id, (*last_in.references.split(), last_in.message_id)),
        now=now,
    )


def _offering(
    session: Session,
    conversation: Conversation,
    code: str,
    text: str,
    token: str,
    now: datetime,
) -> str:
    """The offer's text with its footer, or ValidationFailed: the address may not be sent
    offers (words why), or no such product today."""
    allowed = mail_offers.standing(session, conversation)
    if not allowed.allowed:
        raise ValidationFailed({"text": allowed.why})
    mail_offers.offered_product(session, code, now.date())
    return lines.checked_text(mail_offers.with_footer(text, conversation, token), _)


def answered(conversation: Conversation, now: datetime) -> None:
    """The first answer is the conversation's first response; it is open from then."""
    if conversation.first_response_at is None:
        conversation.first_response_at = now
    if conversation.state == ConversationState.ASSIGNED.value:
        conversation.state = ConversationState.OPEN.value
        conversation.version += 1


def _last_letter_in(session: Session, conversation_id: uuid.UUID) -> MailLetter:
    """The customer's newest letter (a bounce or an out-of-office only when there is no
    other): the reply answers it, its subject and its references."""
    query = (
        select(MailLetter)
        .where(
            col(MailLetter.conversation_id) == conversation_id, col(MailLetter.direction) == "in"
        )
        .order_by(
            (col(MailLetter.auto_kind) != "").asc(),
            col(MailLetter.sent_at).desc(),
            col(MailLetter.id),
        )
        .limit(1)
    )
    found = session.scalars(query).first()
    if found is None:
        raise NotFound(_("No such letter."))
    return found


def _stored_reply(
    session: Session, line: ConversationMessage, letter: MailLetter | None = None
) -> LetterView:
    if letter is None:
        letter = session.scalars(
            select(MailLetter).where(col(MailLetter.message_row_id) == line.id)
        ).first()
        if letter is None:
            raise ValidationFailed({"text": _("This id was used for a line that is not a letter.")})
    outgoing = session.scalars(
        select(MailOutgoing).where(col(MailOutgoing.letter_id) == letter.id)
    ).first()
    return letter_view(letter, line, outgoing)


def save_attachment(
    session: Session, attachment: MailAttachment, folder: Path, roots: tuple[Path, ...]
) -> Path:
    """Write it under ``folder`` (0600, never over a file); the path written."""
    _check_folder(folder, roots)
    name = safe_filename(attachment.filename, attachment.content_type)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    for number in range(1, 1000):
        candidate = (
            name if number == 1 else f"{stem} ({number})" + (f".{extension}" if extension else "")
        )
        path = folder / candidate
        try:
            handle = os.open(
                path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
            )
        except FileExistsError:
            continue
        with os.fdopen(handle, "wb") as file:
            file.write(attachment.content)
        return path
    raise ValidationFailed({"folder": _("Too many files of this name in the folder.")})


def _check_folder(folder: Path, roots: tuple[Path, ...]) -> None:
    try:
        real = folder.resolve(strict=True)
    except OSError:
        raise ValidationFailed({"folder": _("No such folder.")}) from None
    if not real.is_dir():
        raise ValidationFailed({"folder": _("Not a folder.")})
    inside = any(real == root.resolve() or real.is_relative_to(root.resolve()) for root in roots)
    if not inside or not os.access(real, os.W_OK):
        raise ValidationFailed(
            {"folder": _("Not a folder you may save into: choose one in your home folder.")}
        )


def attachment_of(
    session: Session, attachment_id: uuid.UUID
) -> tuple[MailAttachment, Conversation]:
    attachment = session.get(MailAttachment, attachment_id)
    letter = session.get(MailLetter, attachment.letter_id) if attachment else None
    if attachment is None or letter is None:
        raise NotFound(_("No such attachment."))
    return attachment, letter_conversation(session, letter.conversation_id)
