"""E-mail on the written channels: the team lead's mailboxes, the operator's letters (F8,
on conversations with channel "email"), and the mail loop's fetching and sending.

Everything else about a letter's conversation (the queue, taking, limits, transfer, notes,
closing with an outcome, linking a customer) is ``Conversations``'s and works unchanged.
The loop's methods (``fetch``, ``send_queued``) need the loop's identity (``MailLoop``):
its service account writes, and only its key opens the mailboxes' sealed passwords."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cc_terminal.services.channels.mail_views import (
    FetchReport,
    LetterThread,
    LetterView,
    MailboxForm,
    MailboxView,
    SendReport,
)
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


@dataclass(frozen=True)
class MailLoop:
    """Who the mail loop is: its service account (every write is signed as it) and the
    private half of the key the mailboxes' passwords are sealed to (raw X25519 bytes)."""

    actor: Actor
    sealing_key: bytes


@refusals_audited
class MailService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        *,
        region: str = "CZ",
        loop: MailLoop | None = None,
    ) -> None:
        self.db, self.clock, self.region, self.loop = db, clock, region, loop

    # -- the team lead (F10 and the command line) ---------------------------------------

    def mailboxes(self, actor: Actor) -> tuple[MailboxView, ...]:
        """Every mailbox by name. PermissionDenied for an operator."""
        raise NotImplementedError

    def save_mailbox(self, actor: Actor, form: MailboxForm) -> uuid.UUID:
        """A new mailbox (``form.id`` None) or the changed one; its id. A password typed is
        sealed to the mail loop's key, "" keeps the stored one. PermissionDenied for an
        operator; ValidationFailed(field -> words) for what is wrong, nothing saved."""
        raise NotImplementedError

    def set_mailbox_active(self, actor: Actor, mailbox_id: uuid.UUID, active: bool) -> None:
        """Switch the mailbox's fetching and sending on or off (a lead's)."""
        raise NotImplementedError

    # -- the operator (F8) ----------------------------------------------------------------

    def thread(self, actor: Actor, conversation_id: uuid.UUID) -> LetterThread:
        """The conversation's letters, oldest first; marks the customer's lines read like
        ``Conversations.detail`` does (for the one who holds it)."""
        raise NotImplementedError

    def reply(
        self, actor: Actor, conversation_id: uuid.UUID, client_id: str, text: str
    ) -> LetterView:
        """Append the operator's answer to the conversation AND queue it as a letter
        (Subject "Re: ...", In-Reply-To and References of the last letter in, From the
        mailbox). Idempotent by ``client_id`` like ``Conversations.send``: the same id again
        returns the stored letter. ValidationFailed({"text": ...}) for an empty or too long
        text, or a conversation that is not e-mail."""
        raise NotImplementedError

    def retry(self, actor: Actor, conversation_id: uuid.UUID) -> int:
        """Queue the conversation's failed letters again, to be sent now; how many."""
        raise NotImplementedError

    def save_attachment(self, actor: Actor, attachment_id: uuid.UUID, folder: Path) -> Path:
        """Write the attachment into ``folder`` (mode 0600, its name made safe, never over a
        file: "name (2).pdf"), audited; the path written. ValidationFailed({"folder": ...})
        for a folder that is not the operator's to write (not a directory, not writable,
        not under the home folder or the data folder)."""
        raise NotImplementedError

    def add_sender_to_customer(
        self, actor: Actor, conversation_id: uuid.UUID, customer_id: uuid.UUID
    ) -> None:
        """Put the letter's sender's address on the customer's card (when the card has
        none) and link the conversation to the customer."""
        raise NotImplementedError

    def send_transcript(
        self, actor: Actor | None, conversation_id: uuid.UUID, address: str
    ) -> None:
        """Queue a chat's transcript (what the visitor saw) to ``address`` through the
        mailbox of the chat's department (or the first active one). ``actor`` None: the
        visitor asked through the gateway. ValidationFailed({"address": ...})."""
        raise NotImplementedError

    # -- the mail loop (cc-terminal mail fetch / mail serve) ------------------------------

    def fetch(self, mailbox_id: uuid.UUID) -> FetchReport:
        """Read the mailbox's new letters into conversations, each in its own transaction;
        idempotent by Message-ID and by (UIDVALIDITY, UID). Acknowledges when the mailbox
        wants it, within the RFC 3834 guards. Needs the loop's identity."""
        raise NotImplementedError

    def send_queued(self, now: datetime) -> SendReport:
        """Send every letter due by ``now`` through its mailbox's SMTP; a failure is kept in
        words and retried with backoff; a letter is never lost nor marked sent unsent."""
        raise NotImplementedError

    def outgoing_failed(self) -> int:
        """How many letters failed their last attempt (the header and F8 show it)."""
        raise NotImplementedError
