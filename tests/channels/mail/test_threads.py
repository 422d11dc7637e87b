"""Threading and closing letters on both databases with the real servers: References and
the subject find the conversation, a closed one reopens and its next closing is a new
call (channel email) paid from there, a transcript goes out through the same SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.common.errors import ConflictError, PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.channels.mail.test_loop import letter
from tests.conftest import login
from tests.helpers import rows

OUTCOME = "resolved"


def test_references_then_subject_find_the_conversation(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    later = letter(2, subject="Něco", References="<unknown@x.cz> <m1@example.cz>")
    by_subject = letter(3, subject="RE: Odp: Faktura")
    other_sender = letter(4, subject="Re: Faktura", sender="karel@example.cz")
    dovecot.append(imap_user, later, by_subject, other_sender)
    assert loop.fetch(mailbox).stored == 3
    conversations = rows(ws, "SELECT count(*) FROM conversation WHERE channel = 'email'")
    assert conversations[0][0] == 2  # Karel's "Re: Faktura" is a new one


def test_a_closed_conversation_reopens_and_closes_again_as_a_new_call(
    ws: Workstation,
    lead: Actor,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
):
    ws.work_clock.begin(jana)
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    conversation_id = ws.chats.take_next(jana)
    assert conversation_id is not None
    sent = ws.mail.reply(jana, conversation_id, "c-1", "Odpověď")
    ws.chats.close(jana, conversation_id, OUTCOME)
    assert rows(ws, "SELECT channel, messages FROM call WHERE channel = 'email'") == [("email", 1)]
    ws.chats.clock.advance(timedelta(days=3).total_seconds())
    dovecot.append(imap_user, letter(2, subject="Re: Faktura", In_Reply_To=sent.message_id))
    assert loop.fetch(mailbox).stored == 1
    assert [item.id for item in ws.chats.queue(jana)] == [conversation_id]
    assert ws.chats.take_next(jana) == conversation_id
    ws.mail.reply(jana, conversation_id, "c-2", "Druhá odpověď")
    ws.chats.close(jana, conversation_id, OUTCOME)
    assert rows(
        ws, "SELECT channel, messages FROM call WHERE channel = 'email' ORDER BY ended_at"
    ) == [
        ("email", 1),
        ("email", 1),
    ]


def test_an_old_closed_conversation_stays_closed(
    ws: Workstation, jana: Actor, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    ws.work_clock.begin(jana)
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    conversation_id = ws.chats.take_next(jana)
    assert conversation_id is not None
    sent = ws.mail.reply(jana, conversation_id, "c-1", "Odpověď")
    ws.chats.close(jana, conversation_id, OUTCOME)
    ws.chats.clock.advance(timedelta(days=15).total_seconds())
    dovecot.append(imap_user, letter(2, subject="Re: Faktura", In_Reply_To=sent.message_id))
    loop.fetch(mailbox)
    (queued,) = ws.chats.queue(jana)
    assert queued.id != conversation_id


def test_reading_a_thread_marks_it_read_for_its_holder(
    ws: Workstation, jana: Actor, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    ws.work_clock.begin(jana)
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    conversation_id = ws.chats.take_next(jana)
    assert conversation_id is not None
    assert [item.unread for item in ws.chats.mine(jana)] == [1]
    ws.mail.thread(jana, conversation_id)
    assert [item.unread for item in ws.chats.mine(jana)] == [0]
    assert [item.channel for item in ws.chats.mine(jana)] == ["email"]
    petr = login(ws, "petr")  # a colleague's letter is said to be a letter, not a chat
    with pytest.raises(PermissionDenied, match="This letter is a colleague's"):
        ws.mail.thread(petr, conversation_id)
    with pytest.raises(PermissionDenied, match="This letter is a colleague's"):
        ws.mail.reply(petr, conversation_id, "p-1", "Hi")
    ws.chats.close(jana, conversation_id, OUTCOME)
    with pytest.raises(ConflictError, match="This letter's conversation is closed"):
        ws.mail.reply(jana, conversation_id, "c-9", "Late")


def test_a_chat_transcript_goes_out_through_the_mailbox(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, smtpd: Smtpd
):
    from tests.channels.conftest import form, gateway_of

    chats = gateway_of(ws, lead, ws.settings.data_dir)
    started = chats.start(form())
    chats.post(started.token, "v-1", "Dobrý den, jak zaplatím?")
    assert chats.request_transcript(started.token) == "eva.mala@example.cz"  # the visitor's
    assert loop.send_queued(ws.chats.clock()).sent == 1
    (arrived,) = smtpd.keeper.to("eva.mala@example.cz")
    assert arrived["Auto-Submitted"] == "auto-generated"
    assert "Dobrý den, jak zaplatím?" in arrived.get_content()
    assert [item.topic for item in ws.chats.queue(lead)] != ["Transcript"]  # a chat stays a chat
