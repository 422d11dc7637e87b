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
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Author,
    ConversationMessage,
    Customer,
    Mailbox,
    MailKey,
    MailOutgoing,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.mail import SendState
from cc_terminal.services.channels import (
    holding,
    lines,
    mail_admin,
    mail_fetch,
    mail_offers,
    mail_operator,
    mail_rounds,
    mail_secrets,
    mail_send,
    prechat,
    transcripts,
)
from cc_terminal.services.channels.mail_views import (
    FetchReport,
    LetterThread,
    LetterView,
    MailboxForm,
    MailboxView,
    SendReport,
)
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
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
        timezone: str = "Europe/Prague",
        loop: MailLoop | None = None,
        save_roots: tuple[Path, ...] = (),
    ) -> None:
        self.db, self.clock, self.region, self.loop = db, clock, region, loop
        self.zone = ZoneInfo(timezone)
        # where an operator may save an attachment: the home folder unless told otherwise
        self.save_roots = save_roots or (Path.home(),)

    # -- the team lead (F10 and the command line) ---------------------------------------

    def mailboxes(self, actor: Actor) -> tuple[MailboxView, ...]:
        """Every mailbox by name. PermissionDenied for an operator."""
        _lead(actor)
        with self.db.read() as session:
            return mail_admin.listed(session)

    def save_mailbox(self, actor: Actor, form: MailboxForm) -> uuid.UUID:
        """A new mailbox (``form.id`` None) or the changed one; its id. A password typed is
        sealed to the mail loop's key, "" keeps the stored one. PermissionDenied for an
        operator; ValidationFailed(field -> words) for what is wrong, nothing saved."""
        _lead(actor)
        with self.db.write(actor.operator_id) as session:
            mailbox_id = mail_admin.save(session, form)
            add_event(session, actor.operator_id, AuditKind.CONFIG_MAILBOXES, form.name.strip())
            return mailbox_id

    def set_mailbox_active(self, actor: Actor, mailbox_id: uuid.UUID, active: bool) -> None:
        """Switch the mailbox's fetching and sending on or off (a lead's)."""
        _lead(actor)
        with self.db.write(actor.operator_id) as session:
            box = mail_admin.get(session, mailbox_id)
            if box.active != active:
                box.active, box.version = active, box.version + 1
                add_event(session, actor.operator_id, AuditKind.CONFIG_MAILBOXES, box.name)

    # -- the operator (F8) ----------------------------------------------------------------

    def thread(self, actor: Actor, conversation_id: uuid.UUID) -> LetterThread:
        """The conversation's letters, oldest first; marks the customer's lines read like
        ``Conversations.detail`` does (for the one who holds it)."""
        now = self.clock()
        with self.db.read() as session:
            conversation = mail_operator.letter_conversation(session, conversation_id)
            holding.check_reader(actor, conversation)
            shown = mail_operator.thread(session, conversation)
            owner = conversation.owner_id
        if owner == actor.operator_id:
            with self.db.write(actor.operator_id) as session:
                which = select(col(ConversationMessage.id)).where(
                    col(ConversationMessage.conversation_id) == conversation_id,
                    col(ConversationMessage.author) == Author.VISITOR.value,
                    col(ConversationMessage.read_at).is_(None),
                )
                lines.mark(session, actor.operator_id, which, "read_at", now)
        return shown

    def reply(
        self,
        actor: Actor,
        conversation_id: uuid.UUID,
        client_id: str,
        text: str,
        offer_code: str = "",
    ) -> LetterView:
        """Append the operator's answer to the conversation AND queue it as a letter
        (Subject "Re: ...", In-Reply-To and References of the last letter in, From the
        mailbox). Idempotent by ``client_id`` like ``Conversations.send``: the same id again
        returns the stored letter. ValidationFailed({"text": ...}) for an empty or too long
        text, or a conversation that is not e-mail. With ``offer_code`` the letter is a
        commercial offer of that product: refused in words when the address may not be sent
        one (``offer_standing``), else sent with the way to refuse further offers."""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            conversation = mail_operator.letter_conversation(session, conversation_id, lock=True)
            holding.check_holder(actor, conversation)
            return mail_operator.reply(
                session, actor, conversation, client_id, text, now, offer_code
            )

    def offer_paragraph(self, actor: Actor, conversation_id: uuid.UUID, code: str) -> str:
        """The product's lines for the operator's letter; ValidationFailed({"offer": why})
        when the address may not be sent an offer or the product is not on offer today."""
        with self.db.read() as session:
            conversation = mail_operator.letter_conversation(session, conversation_id)
            holding.check_holder(actor, conversation)
            allowed = mail_offers.standing(session, conversation)
            if not allowed.allowed:
                raise ValidationFailed({"offer": allowed.why})
            today = self.clock().astimezone(self.zone).date()
            return mail_offers.paragraph(mail_offers.offered_product(session, code, today))

    def retry(self, actor: Actor, conversation_id: uuid.UUID) -> int:
        """Queue the conversation's failed letters again, to be sent now; how many."""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            conversation = mail_operator.letter_conversation(session, conversation_id)
            holding.check_reader(actor, conversation)
            result = session.execute(
                update(MailOutgoing)
                .where(
                    col(MailOutgoing.conversation_id) == conversation_id,
                    col(MailOutgoing.state) == SendState.FAILED.value,
                    col(MailOutgoing.to_address) != "",  # erased: nobody to send it to
                )
                .values(state=SendState.QUEUED.value, next_attempt_at=now)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def save_attachment(self, actor: Actor, attachment_id: uuid.UUID, folder: Path) -> Path:
        """Write the attachment into ``folder`` (mode 0600, its name made safe, never over a
        file: "name (2).pdf"), audited; the path written. ValidationFailed({"folder": ...})
        for a folder that is not the operator's to write (not a directory, not writable,
        not under the home folder or the data folder)."""
        with self.db.write(actor.operator_id) as session:
            attachment, conversation = mail_operator.attachment_of(session, attachment_id)
            holding.check_reader(actor, conversation)
            path = mail_operator.save_attachment(session, attachment, folder, self.save_roots)
            subject = str(conversation.customer_id or conversation.id)
            detail = f"{attachment.filename} ({attachment.size} B)"
            add_event(session, actor.operator_id, AuditKind.MAIL_ATTACHMENT_SAVED, subject, detail)
            return path

    def add_sender_to_customer(
        self, actor: Actor, conversation_id: uuid.UUID, customer_id: uuid.UUID
    ) -> None:
        """Put the letter's sender's address on the customer's card (when the card has
        none) and link the conversation to the customer."""
        with self.db.write(actor.operator_id) as session:
            conversation = mail_operator.letter_conversation(session, conversation_id, lock=True)
            holding.check_holder(actor, conversation)
            customer = session.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise NotFound(_("No such customer."))
            if not getattr(customer, "email", ""):
                customer.email = conversation.visitor_contact
                customer.version += 1
            conversation.customer_id = customer_id
            conversation.version += 1

    def send_transcript(self, actor: Actor, conversation_id: uuid.UUID, address: str) -> None:
        """Queue a chat's transcript (what the visitor saw) to ``address``, in the
        visitor's language (services/channels/transcripts.py; the visitor asks through
        the gateway: VisitorChats.request_transcript). ValidationFailed({"address": ...})."""
        address = transcripts.checked_address(address, _)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            conversation = lines.locked(session, conversation_id, _)
            holding.check_reader(actor, conversation)
            words = prechat.words_for(conversation.language)
            transcripts.queue(session, conversation, address, now, words, _)

    # -- the mail loop (cc-terminal mail fetch / mail serve) ------------------------------

    def fetch(self, mailbox_id: uuid.UUID) -> FetchReport:
        """Read the mailbox's new letters into conversations, each in its own transaction;
        idempotent by Message-ID and by (UIDVALIDITY, UID). Acknowledges when the mailbox
        wants it, within the RFC 3834 guards. Needs the loop's identity."""
        return mail_rounds.fetch(self._loop(), mailbox_id)

    def send_queued(self, now: datetime) -> SendReport:
        """Send every letter due by ``now`` through its mailbox's SMTP; a failure is kept in
        words and retried with backoff; a letter is never lost nor marked sent unsent."""
        return mail_rounds.send_due(self._loop(), now, mail_send.connect)

    def outgoing_failed(self) -> int:
        """How many letters failed their last attempt (the header and F8 show it)."""
        with self.db.read() as session:
            query = select(func.count()).where(col(MailOutgoing.state) == SendState.FAILED.value)
            return int(session.scalar(query) or 0)

    # -- the loop's identity --------------------------------------------------------------

    def active_mailboxes(self) -> tuple[uuid.UUID, ...]:
        """The mailboxes the loop reads, by name."""
        with self.db.read() as session:
            query = select(col(Mailbox.id)).where(col(Mailbox.active).is_(True))
            return tuple(session.scalars(query.order_by(col(Mailbox.name))))

    def loop_mailboxes(self) -> tuple[MailboxView, ...]:
        """The active mailboxes, as the loop sees them (its identity, not a lead's)."""
        self._loop()
        with self.db.read() as session:
            return tuple(box for box in mail_admin.listed(session) if box.active)

    def imap_server(self, mailbox_id: uuid.UUID) -> mail_fetch.Imap:
        """The mailbox's IMAP server with its password opened (the loop's IDLE watcher)."""
        return mail_rounds.imap_of(self._loop(), mailbox_id)[0]

    def register_loop_key(self) -> bool:
        """Put the loop's public key where terminals seal passwords to it; True when it
        changed (passwords sealed to the old key must be typed again)."""
        loop = self._loop()
        public = mail_secrets.public_hex(loop.sealing_key)
        with self.db.write(loop.actor_id) as session:
            found = session.get(MailKey, 1)
            if found is not None and found.public_key == public:
                return False
            if found is None:
                session.add(MailKey(id=1, public_key=public, created_at=self.clock()))
            else:
                found.public_key, found.created_at = public, self.clock()
            return True

    def _loop(self) -> mail_rounds.Loop:
        if self.loop is None:
            raise PermissionDenied(_("Only the mail loop (cc-terminal mail) fetches and sends."))
        return mail_rounds.Loop(
            self.db, self.clock, self.loop.actor.operator_id, self.loop.sealing_key
        )


def _lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead sets up mailboxes."))
