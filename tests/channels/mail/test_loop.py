"""The mail loop against real servers (Dovecot, aiosmtpd), on both databases: letters in
through IMAP APPEND, threaded, acknowledged within the guards, answered and sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


def test_a_new_uidvalidity_reads_the_folder_again_without_doubles(
    ws: Workstation, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    dovecot.append(imap_user, letter(1), letter(2))
    assert loop.fetch(mailbox).stored == 2
    with ws.db.engine.begin() as connection:  # as if the server rebuilt the folder
        from sqlalchemy import text

        connection.execute(text("UPDATE mailbox SET uidvalidity = 7, last_uid = 0"))
    again = loop.fetch(mailbox)
    assert (again.fetched, again.stored, again.duplicates) == (2, 0, 2)
    assert rows(ws, "SELECT count(*) FROM mail_letter")[0][0] == 2


def test_an_unreachable_server_is_said_in_words_and_kept_on_the_mailbox(
    ws: Workstation, lead: Actor, loop: MailService, dovecot: Dovecot, smtpd: Smtpd
):
    import pytest

    from cc_terminal.services.channels.mail_fetch import MailboxUnreachable
    from tests.channels.mail.conftest import box_form
    from tests.channels.mail.servers import PASSWORD, free_port

    closed = box_form(dovecot, smtpd, "box-gone", imap_port=str(free_port()))
    mailbox = ws.mail.save_mailbox(lead, closed)
    with pytest.raises(MailboxUnreachable) as error:
        loop.fetch(mailbox)
    assert "Connection refused" in str(error.value) or "Errno" in str(error.value)
    (shown,) = ws.mail.mailboxes(lead)
    assert shown.last_error == str(error.value) and PASSWORD not in shown.last_error
    wrong = box_form(dovecot, smtpd, dovecot.new_user(), name="wrong", imap_password="nope-nope")
    with pytest.raises(MailboxUnreachable) as refused:
        loop.fetch(ws.mail.save_mailbox(lead, wrong))
    assert "nope-nope" not in str(refused.value)


def _rounds_logged(caplog) -> int:
    return sum("status:" in record.getMessage() for record in caplog.records)


@contextmanager
def _serving(loop: MailService) -> Iterator[None]:
    """``mail serve`` with a 60 s poll in a thread, stopped cleanly at the end."""
    import threading

    from cc_terminal.channels.mail.loop import serve

    stop = threading.Event()
    runner = threading.Thread(target=serve, args=(loop, 60.0, stop), daemon=True)
    runner.start()
    try:
        yield
    finally:
        stop.set()
        runner.join(10)
    assert not runner.is_alive()


def test_idle_wakes_the_loop_long_before_its_poll(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
    caplog,
):
    import logging
    import time

    from tests.channels.mail.servers import wait_for

    caplog.set_level(logging.INFO, logger="cc_terminal.mail")
    with _serving(loop):
        # the watcher wakes one round as its IDLE begins: from then on the IDLE is in place
        wait_for(lambda: _rounds_logged(caplog) == 2, 20)
        started = time.monotonic()
        dovecot.append(imap_user, letter(1))
        wait_for(lambda: len(ws.chats.queue(lead)) == 1, 20)
        assert time.monotonic() - started < 10  # the poll is 60 s


def test_a_letter_before_the_idle_began_does_not_wait_for_the_poll(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
    monkeypatch,
):
    import time

    from tests.channels.mail.servers import wait_for

    real_fetch = loop.fetch
    fetches: list[object] = []

    def fetch_then_a_letter_arrives(mailbox_id):
        report = real_fetch(mailbox_id)
        fetches.append(report)
        if len(fetches) == 1:  # after the first round's fetch, before the IDLE
            dovecot.append(imap_user, letter(1))
        return report

    monkeypatch.setattr(loop, "fetch", fetch_then_a_letter_arrives)
    started = time.monotonic()
    with _serving(loop):
        wait_for(lambda: len(ws.chats.queue(lead)) == 1, 20)
        assert time.monotonic() - started < 10  # the poll is 60 s


def test_a_letter_the_store_refuses_is_reported_and_passed(
    ws: Workstation, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str, monkeypatch
):
    from cc_terminal.services.channels import mail_store

    real = mail_store.store

    def picky(session, box, fetched, now, actor_id):
        if fetched.uid == 2:
            raise ValueError("a value the store refuses")
        return real(session, box, fetched, now, actor_id)

    monkeypatch.setattr(mail_store, "store", picky)
    dovecot.append(imap_user, letter(1), letter(2), letter(3))
    report = loop.fetch(mailbox)
    assert (report.stored, report.refused) == (2, ("UID 2: could not be stored (ValueError)",))
    assert loop.fetch(mailbox).fetched == 0  # passed, not read again and again
