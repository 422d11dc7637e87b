"""A chat's transcript asked for by the visitor (through the gateway's service account), on
both stores: it goes to the pre-chat form's address only, in the visitor's language, with a
note for the floor, at most three times a chat (its own transcripts counted), during the
chat or after it ended, through its department's mailbox or the first general one; a chat
started with a phone number has nowhere to send it; without a mailbox nothing is queued.
An address the operator types is checked. The mail loop sends it through a real SMTP
server."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from cc_terminal import limits
from cc_terminal.models import Author, Conversation, Mailbox
from cc_terminal.models.base import utcnow
from cc_terminal.models.mail import OutgoingKind
from cc_terminal.services.channels import lines, mail_send
from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.channels.mail_store import reference
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.conftest import form, gateway_of
from tests.channels.mail.conftest import box_form
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.helpers import rows

OUTGOING = "SELECT kind, to_address FROM mail_outgoing ORDER BY created_at"


def _chats(ws: Workstation, lead: Actor):
    return gateway_of(ws, lead, ws.settings.data_dir)


def test_the_visitor_gets_it_in_their_language_after_the_chat_ended(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, smtpd: Smtpd
):
    chats = _chats(ws, lead)
    started = chats.start(form(language="cs", contact="Eva.Mala@Example.cz"))
    chats.post(started.token, "v-1", "Dobrý den, jak zaplatím?")
    chats.close_by_visitor(started.token)
    assert chats.request_transcript(started.token) == "eva.mala@example.cz"
    assert rows(ws, OUTGOING) == [("transcript", "eva.mala@example.cz")]
    written_by = (
        "SELECT DISTINCT actor_id FROM outbox_op WHERE entity IN ('mail_letter', 'mail_outgoing')"
    )
    assert [uuid.UUID(str(actor)) for (actor,) in rows(ws, written_by)] == [
        chats.gateway.operator_id
    ]
    notes = rows(ws, "SELECT text FROM conversation_message WHERE author = 'note'")
    assert notes == [("The transcript was queued to eva.mala@example.cz.",)]  # the floor's
    assert loop.send_queued(ws.chats.clock()).sent == 1
    (arrived,) = smtpd.keeper.to("eva.mala@example.cz")
    assert arrived["Subject"].startswith("Přepis Vašeho chatu")
    body = arrived.get_content()
    assert "Dobrý den, jak zaplatím?" in body and "queued" not in body  # no note in it


def test_three_times_a_chat_then_refused_in_the_visitors_words(
    ws: Workstation, lead: Actor, loop: MailService, mailbox
):
    chats = _chats(ws, lead)
    started = chats.start(form())
    for _ in range(3):
        chats.request_transcript(started.token)
    with pytest.raises(ValidationFailed) as refused:
        chats.request_transcript(started.token)
    assert refused.value.errors == {"transcript": "The transcript was sent 3 times already."}
    assert len(rows(ws, OUTGOING)) == 3


def test_a_chat_started_with_a_phone_number_has_no_address(
    ws: Workstation, lead: Actor, loop: MailService, mailbox
):
    chats = _chats(ws, lead)
    started = chats.start(form(contact="+420 601 123 456", language="cs"))
    with pytest.raises(ValidationFailed) as refused:
        chats.request_transcript(started.token)
    assert list(refused.value.errors) == ["transcript"]
    assert "telefonním číslem" in refused.value.errors["transcript"]
    assert rows(ws, OUTGOING) == []


def test_without_a_mailbox_nothing_is_queued_nor_noted(ws: Workstation, lead: Actor):
    chats = _chats(ws, lead)
    started = chats.start(form())
    with pytest.raises(ValidationFailed) as refused:
        chats.request_transcript(started.token)
    assert refused.value.errors == {"address": "No mailbox sends letters yet."}
    assert rows(ws, OUTGOING) == []
    assert rows(ws, "SELECT text FROM conversation_message WHERE author = 'note'") == []


def test_a_forged_token_opens_nothing(ws: Workstation, lead: Actor, loop: MailService, mailbox):
    chats = _chats(ws, lead)
    chats.start(form())
    with pytest.raises(NotFound):
        chats.request_transcript("forged-" + "x" * 40)
    assert rows(ws, OUTGOING) == []


def _boxes(ws: Workstation, lead: Actor, dovecot: Dovecot, smtpd: Smtpd, *made) -> None:
    """Mailboxes (name, department, active), each from its own address."""
    for name, department, active in made:
        typed = box_form(dovecot, smtpd, dovecot.new_user(), name=name, department=department)
        box = ws.mail.save_mailbox(lead, replace(typed, from_address=f"{name}@firma.example"))
        if not active:
            with ws.db.write(lead.operator_id) as session:
                session.get(Mailbox, box).active = False


def test_it_goes_through_the_chats_departments_mailbox_else_the_first_general_active_one(
    ws: Workstation, lead: Actor, loop: MailService, dovecot: Dovecot, smtpd: Smtpd
):
    _boxes(ws, lead, dovecot, smtpd, ("a-off", "sales", False), ("c-gen", "", True),
           ("b-gen", "", True), ("d-other", "support", True))  # fmt: skip
    chats = _chats(ws, lead)
    general, sales = chats.start(form()), chats.start(form(name="Petr Novák"))
    with ws.db.write(lead.operator_id) as session:
        session.get(Conversation, general.conversation_id).department = ""
        session.get(Conversation, sales.conversation_id).department = "sales"
    chats.request_transcript(general.token)
    chats.request_transcript(sales.token)  # its own box is off: the first general one
    _boxes(ws, lead, dovecot, smtpd, ("e-sales", "sales", True))
    chats.request_transcript(sales.token)
    query = (
        "SELECT b.name FROM mail_outgoing o JOIN mailbox b ON b.id = o.mailbox_id"
        " ORDER BY o.created_at, b.name"
    )
    assert [name for (name,) in rows(ws, query)] == ["b-gen", "b-gen", "e-sales"]


def test_only_this_chats_transcripts_count_toward_its_three(
    ws: Workstation, lead: Actor, loop: MailService, mailbox
):
    chats = _chats(ws, lead)
    other, mine = chats.start(form(name="Petr Novák")), chats.start(form())
    for _ in range(3):
        chats.request_transcript(other.token)
    with ws.db.write(lead.operator_id) as session:  # letters of another kind in this chat
        conversation = session.get(Conversation, mine.conversation_id)
        box = session.get(Mailbox, mailbox)
        for index in range(2):
            line = lines.append(session, conversation, Author.OPERATOR, f"Reply {index}", utcnow())
            mail_send.queue_letter(session, box, conversation, line, kind=OutgoingKind.REPLY,
                                   to="eva.mala@example.cz", subject="Re", answering=("", ()),
                                   now=utcnow())  # fmt: skip
    for _ in range(3):
        chats.request_transcript(mine.token)
    assert len(rows(ws, "SELECT id FROM mail_outgoing WHERE kind = 'transcript'")) == 6


def test_the_letter_names_the_chat_and_answers_nothing(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, smtpd: Smtpd
):
    chats = _chats(ws, lead)
    started = chats.start(form())
    chats.request_transcript(started.token)
    assert loop.send_queued(ws.chats.clock()).sent == 1
    (arrived,) = smtpd.keeper.to("eva.mala@example.cz")
    assert arrived["Subject"] == f"Transcript of your chat {reference(started.conversation_id)}"
    assert arrived["In-Reply-To"] is None and arrived["References"] is None


@pytest.mark.parametrize(
    "typed",
    ["", "eva.mala", "Eva <eva.mala>", "e@" + "x" * (limits.EMAIL - 1)],
    ids=["empty", "no-at", "named-no-at", "too-long"],
)
def test_the_operator_types_an_address_and_a_wrong_one_is_said_by_the_field(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, typed
):
    started = _chats(ws, lead).start(form())
    with pytest.raises(ValidationFailed) as refused:
        ws.mail.send_transcript(lead, started.conversation_id, typed)
    assert refused.value.errors == {"address": "Type an e-mail address."}
    assert rows(ws, OUTGOING) == []


def test_the_longest_address_is_taken_and_a_named_one_is_written_bare(
    ws: Workstation, lead: Actor, loop: MailService, mailbox
):
    started = _chats(ws, lead).start(form())
    longest = "e@" + "x" * (limits.EMAIL - 2)
    ws.mail.send_transcript(lead, started.conversation_id, longest)
    ws.mail.send_transcript(lead, started.conversation_id, "Eva Malá <Eva.Mala@Example.cz>")
    assert rows(ws, OUTGOING) == [("transcript", longest), ("transcript", "eva.mala@example.cz")]
