"""The mail loop against real servers (Dovecot, aiosmtpd), on both databases: letters in
through IMAP APPEND, threaded, acknowledged within the guards, answered and sent."""

from __future__ import annotations

from pathlib import Path

from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.helpers import rows

CORPUS = Path(__file__).parent.parent / "mail_corpus"


def letter(
    number: int, subject: str = "Faktura", sender: str = "eva@example.cz", **headers: str
) -> bytes:
    extra = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return (
        f"From: Eva Malá <{sender}>\r\nTo: podpora@firma.example\r\nSubject: {subject}\r\n"
        f"Message-ID: <m{number}@example.cz>\r\nDate: Fri, 04 Dec 2026 10:00:00 +0100\r\n"
        f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\nDopis {number}\r\n"
    ).encode()


def test_fetch_stores_each_letter_once_into_the_queue(
    ws: Workstation,
    lead: Actor,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
):
    dovecot.append(imap_user, letter(1), letter(2, subject="Jiná věc"))
    report = loop.fetch(mailbox)
    assert (report.fetched, report.stored, report.duplicates, report.refused) == (2, 2, 0, ())
    queued = ws.chats.queue(jana)
    assert {(item.channel, item.topic, item.visitor_name) for item in queued} == {
        ("email", "Faktura", "Eva Malá"),
        ("email", "Jiná věc", "Eva Malá"),
    }
    again = loop.fetch(mailbox)
    assert (again.fetched, again.stored) == (0, 0)
    assert rows(ws, "SELECT count(*) FROM mail_letter")[0][0] == 2


def test_a_reply_threads_and_the_answer_arrives_threaded(
    ws: Workstation,
    lead: Actor,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    ws.work_clock.begin(jana)
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    conversation_id = ws.chats.take_next(jana)
    assert conversation_id is not None
    thread = ws.mail.thread(jana, conversation_id)
    assert [item.text.strip() for item in thread.letters] == ["Dopis 1"]
    sent = ws.mail.reply(jana, conversation_id, "c-1", "Dobrý den, posíláme.")
    assert ws.mail.reply(jana, conversation_id, "c-1", "again") == sent  # stored once
    assert sent.sending == "queued"
    report = loop.send_queued(ws.chats.clock())
    assert (report.sent, report.failed, report.waiting) == (1, 0, 0)
    (arrived,) = smtpd.keeper.to("eva@example.cz")
    assert arrived["Subject"] == "Re: Faktura"
    assert arrived["In-Reply-To"] == "<m1@example.cz>"
    assert arrived["References"] == "<m1@example.cz>"
    assert arrived["From"] == "Podpora Firma <podpora@firma.example>"
    assert arrived["Message-ID"] == sent.message_id and sent.message_id.endswith("@firma.example>")
    assert arrived.get_content().strip() == "Dobrý den, posíláme."
    assert "Auto-Submitted" not in arrived
    # the customer answers the reply: into the same conversation
    dovecot.append(imap_user, letter(2, subject="Re: Faktura", In_Reply_To=sent.message_id))
    assert loop.fetch(mailbox).stored == 1
    thread = ws.mail.thread(jana, conversation_id)
    assert [item.direction for item in thread.letters] == ["in", "out", "in"]
    assert thread.letters[1].sending == "sent"
