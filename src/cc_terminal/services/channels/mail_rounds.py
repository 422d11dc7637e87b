"""The mail loop's two rounds, as its service account: fetch one mailbox (each letter and
the mailbox's last UID in one transaction, so a kill between fetching and storing loses
nothing and stores nothing twice), and send what is due (mail_send.py says how a letter is
never lost and at worst sent twice, with the same Message-ID)."""

from __future__ import annotations

import imaplib
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import ConversationMessage, Mailbox, MailLetter, MailOutgoing
from cc_terminal.models.mail import SendState
from cc_terminal.services.channels import mail_fetch, mail_send, mail_store
from cc_terminal.services.channels.mail_admin import context, get
from cc_terminal.services.channels.mail_parse import Refused, parse
from cc_terminal.services.channels.mail_secrets import SealError, open_sealed
from cc_terminal.services.channels.mail_views import FetchReport, SendReport
from cc_terminal.store.database import Database
from cc_terminal.store.errors import StoreError

FETCH_NOTED = timedelta(minutes=1)


@dataclass(frozen=True)
class Loop:
    db: Database
    clock: Callable[[], datetime]
    actor_id: uuid.UUID
    sealing_key: bytes


@dataclass
class _Tally:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    acknowledged: int = 0


def _opened(loop: Loop, box: Mailbox, field: str) -> str:
    sealed = getattr(box, f"{field}_sealed")
    if not sealed:
        return ""
    try:
        return open_sealed(loop.sealing_key, context(box.id, field), sealed)
    except SealError:
        raise mail_fetch.MailboxUnreachable(
            _("The password does not open with this mail loop's key: type it again.")
        ) from None


def imap_of(loop: Loop, mailbox_id: uuid.UUID) -> tuple[mail_fetch.Imap, Mailbox]:
    with loop.db.read() as session:
        box = get(session, mailbox_id)
        session.expunge(box)
    server = mail_fetch.Imap(
        box.imap_host,
        box.imap_port,
        box.imap_security,
        box.imap_user,
        _opened(loop, box, "imap_password"),
        box.imap_folder,
    )
    return server, box


def fetch(loop: Loop, mailbox_id: uuid.UUID) -> FetchReport:
    try:
        server, box = imap_of(loop, mailbox_id)
        client = mail_fetch.open_imap(server)
    except mail_fetch.MailboxUnreachable as error:
        _note_error(loop, mailbox_id, str(error))
        raise
    tally, refused = _Tally(), []
    try:
        validity = mail_fetch.select(client, server.folder)
        last = box.last_uid if validity == box.uidvalidity else 0
        own = frozenset(a for a in (box.from_address, box.imap_user.lower()) if "@" in a)
        for uid, raw in mail_fetch.letters(client, mail_fetch.new_uids(client, last)):
            tally.fetched += 1
            reason = _store_one(loop, mailbox_id, validity, uid, raw, own, tally)
            if reason:
                refused.append(_("UID {uid}: {reason}").format(uid=uid, reason=_(reason)))
    except (OSError, imaplib.IMAP4.error) as error:  # gone mid-fetch: what was stored stays
        _note_error(loop, mailbox_id, mail_fetch.words(error))
        raise mail_fetch.MailboxUnreachable(mail_fetch.words(error)) from None
    finally:
        mail_fetch.close(client)
    _note_error(loop, mailbox_id, "")
    return FetchReport(
        box.name, tally.fetched, tally.stored, tally.duplicates, tuple(refused), tally.acknowledged
    )


def _store_one(
    loop: Loop,
    mailbox_id: uuid.UUID,
    validity: int,
    uid: int,
    raw: bytes,
    own: frozenset[str],
    tally: _Tally,
) -> str:
    """Store one letter; the reason it was refused, or ""."""
    try:
        letter: mail_store.Fetched | None = mail_store.Fetched(uid, validity, parse(raw, own))
        reason = ""
    except Refused as refusal:
        letter, reason = None, refusal.reason
    try:
        return _write_one(loop, mailbox_id, (validity, uid), letter, reason, tally)
    except (OperationalError, InterfaceError, StoreError):
        raise  # the store is away: the letter is read again next round
    except (SQLAlchemyError, ValueError) as error:
        # a letter the store will not take (a value too long, say): said, then passed, so
        # one letter cannot stop its mailbox; it stays on the server
        unstorable = _("could not be stored ({error})").format(error=type(error).__name__)
        return _write_one(loop, mailbox_id, (validity, uid), None, unstorable, tally)


def _write_one(
    loop: Loop,
    mailbox_id: uuid.UUID,
    place: tuple[int, int],
    letter: mail_store.Fetched | None,
    reason: str,
    tally: _Tally,
) -> str:
    validity, uid = place
    now = loop.clock()
    with loop.db.write(loop.actor_id) as session:
        box = session.scalars(
            select(Mailbox).where(col(Mailbox.id) == mailbox_id).with_for_update()
        ).one()
        if box.uidvalidity == validity and box.last_uid >= uid:
            tally.duplicates += 1  # another loop stored it first
            return ""
        box.uidvalidity, box.last_uid = validity, uid
        if letter is None:
            return reason
        stored = mail_store.store(session, box, letter, now, loop.actor_id)
    tally.duplicates += stored.duplicate
    tally.stored += stored.conversation_id is not None
    tally.acknowledged += stored.acknowledged
    return stored.refused


def _note_error(loop: Loop, mailbox_id: uuid.UUID, words: str) -> None:
    """The mailbox's last error (or none) and, once a minute at most, when it was read: a
    loop polling every few seconds does not write an op each time."""
    now = loop.clock()
    with loop.db.read() as session:
        box = get(session, mailbox_id)
        stale = box.last_fetch_at is None or now - box.last_fetch_at >= FETCH_NOTED
        if box.last_error == words and not (words == "" and stale):
            return
    with loop.db.write(loop.actor_id) as session:
        box = get(session, mailbox_id)
        box.last_error = words
        if words == "":
            box.last_fetch_at = now


def send_due(loop: Loop, now: datetime, connect: mail_send.Connect) -> SendReport:
    sent = failed = 0
    with loop.db.write(loop.actor_id) as session:
        claimed = []
        for outgoing in mail_send.due(session, now):
            outgoing.next_attempt_at = now + mail_send.LEASE
            claimed.append((outgoing.id, outgoing.mailbox_id, mail_send.compose(session, outgoing)))
    clients: dict[uuid.UUID, smtplib.SMTP | BaseException] = {}
    try:
        for outgoing_id, mailbox_id, message in claimed:
            error = _send(loop, clients, mailbox_id, message)
            _record(loop, outgoing_id, error, loop.clock())
            sent, failed = sent + (error is None), failed + (error is not None)
    finally:
        for client in clients.values():
            if isinstance(client, smtplib.SMTP):
                _quit(client)
    return SendReport(sent, failed, waiting(loop.db))


def _send(
    loop: Loop,
    clients: dict[uuid.UUID, smtplib.SMTP | BaseException],
    mailbox_id: uuid.UUID,
    message: EmailMessage,
) -> BaseException | None:
    if mailbox_id not in clients:
        try:
            clients[mailbox_id] = mail_send.connect(_smtp_of(loop, mailbox_id))
        except (OSError, smtplib.SMTPException, mail_fetch.MailboxUnreachable) as error:
            clients[mailbox_id] = error
    client = clients[mailbox_id]
    if isinstance(client, BaseException):
        return client
    try:
        client.send_message(message)
    except (OSError, ValueError, smtplib.SMTPException) as error:
        if not isinstance(error, smtplib.SMTPRecipientsRefused):
            clients[mailbox_id] = error  # the connection is not to be trusted any more
        return error
    return None


def _smtp_of(loop: Loop, mailbox_id: uuid.UUID) -> mail_send.Smtp:
    with loop.db.read() as session:
        box = get(session, mailbox_id)
        password = _opened(loop, box, "smtp_password")
        return mail_send.Smtp(
            box.smtp_host, box.smtp_port, box.smtp_security, box.smtp_user, password
        )


def _record(loop: Loop, outgoing_id: uuid.UUID, error: BaseException | None, now: datetime) -> None:
    """The send's result, in one transaction with the letter's state."""
    with loop.db.write(loop.actor_id) as session:
        outgoing = session.get(MailOutgoing, outgoing_id)
        assert outgoing is not None
        outgoing.attempts += 1
        if error is None:
            outgoing.state, outgoing.sent_at, outgoing.last_error = SendState.SENT.value, now, ""
            letter = session.get(MailLetter, outgoing.letter_id)
            line = session.get(ConversationMessage, letter.message_row_id) if letter else None
            if line is not None and line.delivered_at is None:
                line.delivered_at = now
            return
        words, again = mail_send.error_words(error)
        outgoing.state, outgoing.last_error = SendState.FAILED.value, words
        if not again:
            outgoing.attempts = max(outgoing.attempts, mail_send.MAX_ATTEMPTS)
        outgoing.next_attempt_at = mail_send.next_attempt(outgoing.attempts, now)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def waiting(db: Database) -> int:
    with db.read() as session:
        query = select(col(MailOutgoing.id)).where(
            col(MailOutgoing.state) == SendState.QUEUED.value
        )
        return len(list(session.scalars(query)))
