"""Plain, frozen values of e-mail (no ORM): what F8 draws of a letter thread, what the
mailboxes form edits, and what the mail loop reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AttachmentView:
    """A file that came with a letter: listed, saved on request, never opened."""

    id: uuid.UUID
    filename: str  # made safe when stored; still drawn as plain text
    content_type: str
    size: int  # bytes


@dataclass(frozen=True)
class LetterView:
    """One letter of a thread, in ("in") or out ("out"). Every text is untrusted."""

    seq: int  # its conversation line's number
    direction: str  # "in" | "out"
    message_id: str
    subject: str
    from_name: str
    from_address: str
    to: str
    at: datetime
    text: str  # plain text; an HTML-only letter converted
    attachments: tuple[AttachmentView, ...]
    auto_kind: str  # "" | "auto-submitted" | "bounce" | "list" | "own" | "out-of-office"
    sending: str  # out letters: "queued" | "sent" | "failed"; "" for a letter in
    attempts: int
    last_error: str  # plain words, never a secret


@dataclass(frozen=True)
class LetterThread:
    conversation_id: uuid.UUID
    subject: str
    address: str  # the customer's address the replies go to
    mailbox: str  # the mailbox's name
    letters: tuple[LetterView, ...]


@dataclass(frozen=True)
class MailboxView:
    """A mailbox as the team lead sees it; the passwords only as whether one is stored."""

    id: uuid.UUID
    name: str
    department: str
    imap_host: str
    imap_port: int
    imap_security: str  # "ssl" | "starttls" | "none"
    imap_user: str
    imap_folder: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    from_address: str
    from_name: str
    acknowledge: bool
    auto_replies_per_day: int
    active: bool
    has_imap_password: bool
    has_smtp_password: bool
    last_fetch_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class MailboxForm:
    """The mailboxes form as typed; a password left "" keeps the stored one."""

    name: str
    department: str = ""
    imap_host: str = ""
    imap_port: str = "993"
    imap_security: str = "ssl"
    imap_user: str = ""
    imap_folder: str = "INBOX"
    smtp_host: str = ""
    smtp_port: str = "465"
    smtp_security: str = "ssl"
    smtp_user: str = ""
    from_address: str = ""
    from_name: str = ""
    acknowledge: bool = False
    auto_replies_per_day: str = "3"
    active: bool = True
    imap_password: str = ""
    smtp_password: str = ""
    id: uuid.UUID | None = None  # None: a new mailbox


@dataclass(frozen=True)
class FetchReport:
    """One fetch of one mailbox: what came, what was stored, what was refused and why."""

    mailbox: str
    fetched: int
    stored: int
    duplicates: int
    refused: tuple[str, ...]  # one line each: the letter and the reason, in words
    auto_acknowledged: int


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int  # attempts that failed this time (each will be retried)
    waiting: int  # still queued after this round
