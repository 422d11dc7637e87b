"""E-mail: the company's mailboxes, the letters read from them and sent from the floor (each
one line of a conversation, models/conversation.py), their attachments, and the outbox of
letters the mail loop sends. Passwords are stored sealed (services/channels/mail_secrets.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cc_terminal import limits
from cc_terminal.models.base import UTCDateTime, new_id

HOST = 253
MESSAGE_ID = 998  # RFC 5322's longest line


class Security(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


class AutoKind(StrEnum):
    """Why a letter must never get an automatic answer (RFC 3834); "" for a person's."""

    PERSON = ""
    AUTO_SUBMITTED = "auto-submitted"
    BOUNCE = "bounce"
    LIST = "list"
    OWN = "own"
    OUT_OF_OFFICE = "out-of-office"


class OutgoingKind(StrEnum):
    REPLY = "reply"
    ACKNOWLEDGEMENT = "acknowledgement"
    TRANSCRIPT = "transcript"
    OFFER = "offer"  # a commercial offer: it carries a way to refuse further ones


class SendState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Mailbox(SQLModel, table=True):
    """A mailbox of the company, read into conversations and answered through its SMTP."""

    __tablename__ = "mailbox"
    __table_args__ = (UniqueConstraint("name", name="uq_mailbox_name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=limits.CODE)
    department: str = Field(default="", max_length=limits.CODE)
    imap_host: str = Field(default="", max_length=HOST)
    imap_port: int = 993
    imap_security: str = Field(default=Security.SSL.value, sa_type=String(8))
    imap_user: str = Field(default="", max_length=limits.EMAIL)
    imap_password_sealed: str = Field(default="", sa_type=Text)
    imap_folder: str = Field(default="INBOX", max_length=limits.LABEL)
    smtp_host: str = Field(default="", max_length=HOST)
    smtp_port: int = 465
    smtp_security: str = Field(default=Security.SSL.value, sa_type=String(8))
    smtp_user: str = Field(default="", max_length=limits.EMAIL)
    smtp_password_sealed: str = Field(default="", sa_type=Text)
    from_address: str = Field(default="", max_length=limits.EMAIL)
    from_name: str = Field(default="", max_length=limits.FULL_NAME)
    acknowledge: bool = False
    auto_replies_per_day: int = 3
    active: bool = True
    uidvalidity: int = Field(default=0, sa_type=BigInteger)
    last_uid: int = Field(default=0, sa_type=BigInteger)
    last_fetch_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", sa_type=Text)  # plain words, never a secret
    version: int = 1


class MailKey(SQLModel, table=True):
    """The public half of the mail loop's sealing key: a terminal seals a mailbox's password
    to it, and only the loop's key file opens it."""

    __tablename__ = "mail_key"

    id: int = Field(default=1, primary_key=True)
    public_key: str = Field(sa_type=String(64))  # X25519, hex
    created_at: datetime = Field(sa_type=UTCDateTime)


class MailLetter(SQLModel, table=True):
    """A letter, in or out: one ``conversation_message`` whose text is its plain text."""

    __tablename__ = "mail_letter"
    __table_args__ = (
        UniqueConstraint("mailbox_id", "message_id", name="uq_mail_letter_message_id"),
        Index("ix_mail_letter_conversation", "conversation_id"),
        Index("ix_mail_letter_uid", "mailbox_id", "uidvalidity", "uid"),
        Index("ix_mail_letter_from_sent", "mailbox_id", "from_address", "sent_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id")
    message_row_id: uuid.UUID = Field(foreign_key="conversation_message.id")
    mailbox_id: uuid.UUID = Field(foreign_key="mailbox.id")
    direction: str = Field(sa_type=String(3))  # "in" | "out"
    message_id: str = Field(max_length=MESSAGE_ID)
    in_reply_to: str = Field(default="", sa_type=Text)
    references: str = Field(default="", sa_type=Text)
    subject: str = Field(default="", sa_type=Text)
    from_address: str = Field(default="", max_length=limits.EMAIL)
    from_name: str = Field(default="", sa_type=Text)
    to_addresses: str = Field(default="", sa_type=Text)
    cc_addresses: str = Field(default="", sa_type=Text)
    sent_at: datetime = Field(sa_type=UTCDateTime)
    uid: int = Field(default=0, sa_type=BigInteger)
    uidvalidity: int = Field(default=0, sa_type=BigInteger)
    auto_kind: str = Field(default="", sa_type=String(16))
    raw_size: int = 0


class MailAttachment(SQLModel, table=True):
    """A file that came with a letter: kept to be saved on request, never opened."""

    __tablename__ = "mail_attachment"
    __table_args__ = (Index("ix_mail_attachment_letter", "letter_id"),)
    # the op carries the content's SHA-256 in its place (store/outbox.py): a customer's file
    # is not copied into the signed log, which holds what each change was, not its bytes
    __sync_secret__ = ("content",)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    letter_id: uuid.UUID = Field(foreign_key="mail_letter.id")
    filename: str = Field(max_length=limits.LABEL)
    content_type: str = Field(default="application/octet-stream", max_length=limits.LABEL)
    size: int = 0
    content: bytes = Field(default=b"", sa_type=LargeBinary)


class MailOutgoing(SQLModel, table=True):
    """A letter the mail loop sends: queued until the SMTP server took it."""

    __tablename__ = "mail_outgoing"
    __table_args__ = (
        Index("ix_mail_outgoing_state_next", "state", "next_attempt_at"),
        Index("ix_mail_outgoing_to_created", "to_address", "kind", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id")
    letter_id: uuid.UUID = Field(foreign_key="mail_letter.id")
    mailbox_id: uuid.UUID = Field(foreign_key="mailbox.id")
    kind: str = Field(sa_type=String(16))
    to_address: str = Field(max_length=limits.EMAIL)
    state: str = Field(default=SendState.QUEUED.value, sa_type=String(8))
    attempts: int = 0
    last_error: str = Field(default="", sa_type=Text)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
