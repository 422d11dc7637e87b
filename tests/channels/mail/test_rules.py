"""The mail rules on both databases with the real servers: the corpus read through IMAP,
automatic letters never answered, at most N acknowledgements a day, a failed send kept and
retried, attachments saved safely, the mailboxes form, passwords never in the clear."""

from __future__ import annotations

import stat
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.mail.conftest import box_form
from tests.channels.mail.servers import PASSWORD, Dovecot, Smtpd
from tests.channels.mail.test_loop import letter
from tests.helpers import rows

CORPUS = Path(__file__).parent.parent / "mail_corpus"


def test_the_corpus_is_read_or_refused_with_reasons(
    ws: Workstation, jana: Actor, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    names = sorted(CORPUS.glob("*.eml"))
    dovecot.append(imap_user, *(path.read_bytes() for path in names))
    report = loop.fetch(mailbox)
    assert report.fetched == len(names)
    reasons = " | ".join(report.refused)
    assert "no sender's address" in reasons
    assert reasons.count("an automatic letter") == 3  # the bounce, the out-of-office, the list
    assert report.stored == len(names) - 4
    subjects = {item.topic for item in ws.chats.queue(jana)}
    assert "Reklamace žluťoučkého koně" in subjects
    assert any("\x1b]0;owned" in subject for subject in subjects)  # data, drawn as pictures


def test_automatic_letters_answering_ours_are_kept_in_their_thread(
    ws: Workstation, lead: Actor, loop: MailService, mailbox, dovecot: Dovecot, imap_user: str
):
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    sent = ws.mail.reply(lead, conversation.id, "c-1", "Odpověď")
    bounce = letter(2, subject="Undelivered", sender="MAILER-DAEMON@example.cz")
    bounce = bounce.replace(
        b"Content-Type", b"In-Reply-To: " + sent.message_id.encode() + b"\r\nContent-Type", 1
    )
    dovecot.append(imap_user, bounce)
    assert loop.fetch(mailbox).stored == 1
    kinds = [item.auto_kind for item in ws.mail.thread(lead, conversation.id).letters]
    assert kinds == ["", "", "bounce"]


def test_acknowledgement_guards(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    form = box_form(dovecot, smtpd, imap_user, acknowledge=True, auto_replies_per_day="2")
    mailbox = ws.mail.save_mailbox(lead, form)
    ooo = letter(9, subject="Mimo kancelář", Auto_Submitted="auto-replied")
    own = letter(8, sender="podpora@firma.example")
    dovecot.append(imap_user, letter(1, "A"), letter(2, "B"), letter(3, "C"), ooo, own)
    report = loop.fetch(mailbox)
    assert report.auto_acknowledged == 2  # at most two a day to one address
    assert loop.send_queued(ws.chats.clock()).sent == 2
    arrived = smtpd.keeper.to("eva@example.cz")
    assert [message["Auto-Submitted"] for message in arrived] == ["auto-replied"] * 2
    assert all(message["Subject"].startswith("[") for message in arrived)
    assert smtpd.keeper.to("podpora@firma.example") == []
    ws.chats.clock.advance(timedelta(days=1, seconds=1).total_seconds())
    dovecot.append(imap_user, letter(4, "D"))
    assert loop.fetch(mailbox).auto_acknowledged == 1  # a new day


def test_a_failed_send_is_kept_retried_and_shown(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    ws.mail.reply(lead, conversation.id, "c-1", "Odpověď")
    smtpd.keeper.fail_data = 1
    now = ws.chats.clock()
    assert loop.send_queued(now).failed == 1
    assert ws.mail.outgoing_failed() == 1
    (shown,) = [
        item for item in ws.mail.thread(lead, conversation.id).letters if item.direction == "out"
    ]
    assert (shown.sending, shown.attempts) == ("failed", 1)
    assert shown.last_error.startswith("451") and PASSWORD not in shown.last_error
    assert loop.send_queued(now).sent == 0  # backoff: not yet
    assert loop.send_queued(now + timedelta(minutes=2)).sent == 1
    assert len(smtpd.keeper.to("eva@example.cz")) == 1
    assert ws.mail.outgoing_failed() == 0


def test_a_refused_address_waits_for_an_operators_retry(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    ws.mail.reply(lead, conversation.id, "c-1", "Odpověď")
    smtpd.keeper.refuse.add("eva@example.cz")
    now = ws.chats.clock()
    assert loop.send_queued(now).failed == 1
    assert loop.send_queued(now + timedelta(days=2)).sent == 0  # permanent: no retry alone
    smtpd.keeper.refuse.clear()
    assert ws.mail.retry(lead, conversation.id) == 1
    assert loop.send_queued(now).sent == 1


def test_attachments_are_saved_0600_never_over_a_file_and_audited(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
    tmp_path: Path,
):
    dovecot.append(imap_user, (CORPUS / "forwarded.eml").read_bytes())
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    (first,) = ws.mail.thread(lead, conversation.id).letters
    pdf = first.attachments[1]
    assert (pdf.filename, pdf.content_type) == ("faktura.pdf", "application/pdf")
    folder = tmp_path / "saved"
    folder.mkdir()
    one = loop.save_attachment(lead, pdf.id, folder)
    two = loop.save_attachment(lead, pdf.id, folder)
    assert (one.name, two.name) == ("faktura.pdf", "faktura (2).pdf")
    assert stat.S_IMODE(one.stat().st_mode) == 0o600
    assert one.read_bytes().startswith(b"%PDF")
    with pytest.raises(ValidationFailed) as refused:
        loop.save_attachment(lead, pdf.id, Path("/etc"))
    assert "folder" in refused.value.errors
    kinds = rows(ws, "SELECT kind FROM audit_event WHERE kind = 'customer.attachment_saved'")
    assert len(kinds) == 2


def test_the_mailboxes_form(
    ws: Workstation, lead: Actor, jana: Actor, loop, dovecot: Dovecot, smtpd: Smtpd
):
    form = box_form(dovecot, smtpd, "box-x")
    with pytest.raises(PermissionDenied):
        ws.mail.save_mailbox(jana, form)
    bad = replace(form, imap_port="x", from_address="nobody", imap_security="tls", name="")
    with pytest.raises(ValidationFailed) as refused:
        ws.mail.save_mailbox(lead, bad)
    assert set(refused.value.errors) == {"imap_port", "from_address", "imap_security", "name"}
    mailbox = ws.mail.save_mailbox(lead, form)
    with pytest.raises(ValidationFailed):
        ws.mail.save_mailbox(lead, replace(form, imap_user="other"))  # the same name
    ws.mail.save_mailbox(lead, replace(form, id=mailbox, imap_password="", from_name="Nová"))
    (shown,) = ws.mail.mailboxes(lead)
    assert (shown.from_name, shown.has_imap_password, shown.has_smtp_password) == (
        "Nová",
        True,
        False,
    )
    ws.mail.set_mailbox_active(lead, mailbox, False)
    assert not ws.mail.mailboxes(lead)[0].active


def test_passwords_are_never_in_the_clear(
    ws: Workstation, lead: Actor, loop, dovecot: Dovecot, smtpd: Smtpd
):
    ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, "box-y", smtp_password="smtp-secret-9"))
    (sealed,) = rows(ws, "SELECT imap_password_sealed, smtp_password_sealed FROM mailbox")
    assert sealed[0].startswith("x25519:") and PASSWORD not in sealed[0]
    ops = " ".join(str(row[0]) for row in rows(ws, "SELECT changes FROM outbox_op"))
    assert PASSWORD not in ops and "smtp-secret-9" not in ops


def test_a_password_needs_the_loop_key_first(
    ws: Workstation, lead: Actor, dovecot: Dovecot, smtpd: Smtpd
):
    with pytest.raises(ValidationFailed) as refused:
        ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, "box-z"))
    assert "mail serve" in refused.value.errors["imap_password"]


def test_erasure_takes_the_letters_and_their_attachments(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    dovecot.append(imap_user, (CORPUS / "forwarded.eml").read_bytes())
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    ((found,),) = rows(ws, "SELECT id FROM customer ORDER BY full_name LIMIT 1")
    customer_id = uuid.UUID(str(found))
    ws.chats.take_next(lead)
    ws.mail.add_sender_to_customer(lead, conversation.id, customer_id)
    ws.mail.reply(lead, conversation.id, "c-1", "Odpověď")
    ws.data_requests.erase(lead, customer_id, "request DR-1 by the customer")
    assert rows(ws, "SELECT count(*) FROM mail_attachment")[0][0] == 0
    letters = rows(ws, "SELECT subject, from_address, to_addresses FROM mail_letter")
    assert all(row == ("", "", "") for row in letters)
    assert rows(ws, "SELECT state, to_address FROM mail_outgoing") == [("failed", "")]
    assert ws.mail.retry(lead, conversation.id) == 0
    assert loop.send_queued(ws.chats.clock()).sent == 0


def test_a_20_mb_attachment_goes_through_the_loop_and_is_saved_whole(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
    tmp_path: Path,
):
    import base64

    content = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    raw = (
        b"From: big@example.cz\r\nSubject: scan\r\nMessage-ID: <big@example.cz>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nThe scan.\r\n--B\r\n"
        b"Content-Type: image/tiff\r\nContent-Disposition: attachment; filename=scan.tif\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(content) + b"--B--\r\n"
    )
    dovecot.append(imap_user, raw)
    assert loop.fetch(mailbox).stored == 1
    (conversation,) = ws.chats.queue(lead)
    (only,) = ws.mail.thread(lead, conversation.id).letters
    (scan,) = only.attachments
    assert (scan.filename, scan.size) == ("scan.tif", len(content))
    folder = tmp_path / "out"
    folder.mkdir()
    assert loop.save_attachment(lead, scan.id, folder).read_bytes() == content


def test_a_reply_after_a_bounce_answers_the_customers_letter(
    ws: Workstation,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    dovecot.append(imap_user, letter(1))
    loop.fetch(mailbox)
    (conversation,) = ws.chats.queue(lead)
    sent = ws.mail.reply(lead, conversation.id, "c-1", "Odpověď")
    bounce = letter(
        2, subject="Undelivered", sender="MAILER-DAEMON@example.cz", In_Reply_To=sent.message_id
    )
    dovecot.append(imap_user, bounce)
    loop.fetch(mailbox)
    again = ws.mail.reply(lead, conversation.id, "c-2", "Zkusíme znovu")
    assert again.subject == "Re: Faktura"
