"""F8 for letters from the keyboard, against the real servers (Dovecot in, aiosmtpd out):
a letter fetched by the mail loop waits in F8's queue with ✉ and its subject; N takes it,
the thread reads as plain text, the reply is written over several lines (Enter a new line)
and queued with Ctrl+S, the loop sends it threaded (In-Reply-To); a failed send is shown in
words and Ctrl+R queues it again; an attachment is saved 0600 (never over a file); a
hostile letter is drawn as data; the letter closes with an outcome into a call "email"."""

from __future__ import annotations

import stat
from email.message import EmailMessage
from pathlib import Path

import pytest

from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.screens.pickers import CustomerPicker
from cc_terminal.services.channels.mail import MailService
from tests.channels.conftest import form, gateway_of
from tests.channels.mail.conftest import box_form, loop_of
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.channels.mail.test_loop import CORPUS, letter
from tests.conftest import login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/Downloads: the data folder's
    return make_app(sqlite_url, tmp_path, clock)


def with_attachment(number: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Eva Malá <eva@example.cz>"
    message["To"] = "podpora@firma.example"
    message["Subject"] = "Faktura v příloze"
    message["Message-ID"] = f"<a{number}@example.cz>"
    message["Date"] = "Fri, 04 Dec 2026 10:00:00 +0100"
    message.set_content("Posílám fakturu.")
    message.add_attachment(
        b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="faktura.pdf"
    )
    return message.as_bytes()


async def letters_waiting(pilot, folder: Path, dovecot: Dovecot, smtpd: Smtpd, *letters: bytes):
    """The lead sets up a mailbox, the loop fetches ``letters``; Jana signs in, opens F8."""
    await settle(pilot)
    ws = pilot.app.require_services()
    lead = login(ws, "lead")
    loop = loop_of(ws, lead, folder)
    user = dovecot.new_user()
    mailbox = ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, user))
    dovecot.append(user, *letters)
    assert loop.fetch(mailbox).stored == len(letters)
    await sign_in(pilot, "jana")
    await pilot.press("f8")
    await settle(pilot)
    return loop


def chat_screen(pilot) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def take_the_letter(pilot) -> ChatScreen:
    screen = chat_screen(pilot)
    await wait_until(pilot, lambda: len(screen.seen.queue) == 1)
    await pilot.press("n")
    await wait_until(pilot, lambda: screen.seen.thread is not None)
    await settle(pilot)
    return screen


def our_replies(screen: ChatScreen):
    thread = screen.seen.thread
    return [] if thread is None else [item for item in thread.letters if item.direction == "out"]


async def test_take_read_answer_and_close_a_letter(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        loop: MailService = await letters_waiting(pilot, tmp_path, dovecot, smtpd, letter(1))
        screen = chat_screen(pilot)
        await wait_until(pilot, lambda: len(screen.seen.queue) == 1)
        (queued,) = screen.seen.queue
        assert (queued.channel, queued.topic) == ("email", "Faktura")
        screen = await take_the_letter(pilot)
        assert "Dopis 1" in str(screen.shown_lines)
        assert "Faktura" in str(screen.query_one("#chat-title").text)
        await type_text(pilot, "Dobrý den,")
        await pilot.press("enter")  # in a letter: a new line, not sent
        await type_text(pilot, "posíláme.")
        box = screen.query_one("#chat-box")
        assert box.text == "Dobrý den,\nposíláme."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: box.text == "" and len(our_replies(screen)) == 1)
        assert our_replies(screen)[0].sending == "queued"
        assert loop.send_queued(app.clock()).sent == 1
        (arrived,) = smtpd.keeper.to("eva@example.cz")
        assert arrived["In-Reply-To"] == "<m1@example.cz>"
        assert arrived["Subject"] == "Re: Faktura"
        assert arrived.get_content().replace("\r\n", "\n").strip() == "Dobrý den,\nposíláme."
        await wait_until(pilot, lambda: our_replies(screen)[0].sending == "sent")
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.seen.mine == ())
        ((channel, outcome),) = rows(app.services, "SELECT channel, outcome FROM call")
        assert (channel, outcome) == ("email", "resolved")


async def test_a_failed_reply_is_shown_and_sent_again(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        loop = await letters_waiting(pilot, tmp_path, dovecot, smtpd, letter(2))
        screen = await take_the_letter(pilot)
        await type_text(pilot, "Odpověď")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(our_replies(screen)) == 1)
        smtpd.keeper.refuse.add("eva@example.cz")
        assert loop.send_queued(app.clock()).failed == 1
        await wait_until(pilot, lambda: our_replies(screen)[0].sending == "failed")
        assert "Ctrl+R" in str(screen.shown_lines)
        smtpd.keeper.refuse.clear()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: our_replies(screen)[0].sending == "queued")
        assert loop.send_queued(app.clock()).sent == 1
        assert len(smtpd.keeper.to("eva@example.cz")) == 1
        await wait_until(pilot, lambda: our_replies(screen)[0].sending == "sent")


async def test_an_attachment_is_saved_0600_and_never_over_a_file(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        await letters_waiting(pilot, tmp_path, dovecot, smtpd, with_attachment(1))
        screen = await take_the_letter(pilot)
        assert "faktura.pdf" in str(screen.shown_lines)
        await pilot.press("escape", "a")
        await settle(pilot)
        assert screen.focused is screen.query_one("#letter-attachments")
        await pilot.press("enter")  # the folder, asked once: the data folder's attachments/
        await settle(pilot)
        await pilot.press("enter")
        saved = tmp_path / "attachments" / "faktura.pdf"
        await wait_until(pilot, saved.exists)
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert saved.read_bytes() == b"%PDF-1.4 fake"
        await pilot.press("enter")  # not asked again; a second copy beside the first
        again = tmp_path / "attachments" / "faktura (2).pdf"
        await wait_until(pilot, again.exists)
        assert stat.S_IMODE(again.stat().st_mode) == 0o600


async def test_a_hostile_letter_is_drawn_as_data(app, tmp_path, dovecot, smtpd):
    hostile = (CORPUS / "terminal_escapes.eml").read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await letters_waiting(pilot, tmp_path, dovecot, smtpd, hostile)
        screen = await take_the_letter(pilot)
        drawn = str(screen.shown_lines) + str(screen.query_one("#chat-title").text)
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert "blink" in drawn and "red" in drawn


async def test_the_customer_is_found_and_the_senders_address_goes_on_the_card(
    app, tmp_path, dovecot, smtpd
):
    async with app.run_test(size=SIZE) as pilot:
        await letters_waiting(pilot, tmp_path, dovecot, smtpd, letter(3))
        screen = await take_the_letter(pilot)
        assert screen.seen.card is None  # eva@example.cz names nobody
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "Nováková")  # replaces the proposed address
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker))
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.seen.card is not None)
        assert screen.seen.card.full_name == "Marie Nováková"
        ((email,),) = rows(
            app.services, "SELECT email FROM customer WHERE full_name = 'Marie Nováková'"
        )
        assert email == "eva@example.cz"


async def test_a_chats_transcript_goes_to_the_visitors_address_as_it_closes(
    app, tmp_path, dovecot, smtpd
):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = app.require_services()
        lead = login(ws, "lead")
        loop = loop_of(ws, lead, tmp_path)
        ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, dovecot.new_user()))
        gateway = gateway_of(ws, lead, tmp_path)
        chat = gateway.start(form(name="Adam Velký", contact="adam@example.cz"))
        gateway.post(chat.token, "v1", "Kolik stojí Mobil M?")
        await sign_in(pilot, "jana")  # the chat is hers as she signs in
        await pilot.press("f8")
        await settle(pilot)
        screen = chat_screen(pilot)
        await wait_until(pilot, lambda: len(screen.seen.mine) == 1)
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.seen.detail is not None)
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("t", "1")
        await wait_until(pilot, lambda: screen.seen.mine == ())
        assert loop.send_queued(app.clock()).sent == 1
        (arrived,) = smtpd.keeper.to("adam@example.cz")
        assert "Kolik stojí Mobil M?" in arrived.get_content()
