"""A chat's transcript asked for by the visitor (through the gateway's service account), on
both stores: it goes to the pre-chat form's address only, in the visitor's language, with a
note for the floor, at most three times a chat, during the chat or after it ended; a chat
started with a phone number has nowhere to send it; without a mailbox nothing is queued.
The mail loop sends it through a real SMTP server."""

from __future__ import annotations

import pytest

from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.conftest import form, gateway_of
from tests.channels.mail.servers import Smtpd
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
