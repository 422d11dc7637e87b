"""How F8 looks with letters, and F10's mailboxes, at 80x24 and 120x40 (each also in
Czech): a letter waiting beside a chat (✉, its subject), a letter open with its thread and
a reply the server refused (the error in words, Ctrl+R), one with an attachment to save
(Enter on the attachments' list), a chat's outcome picker offering
its transcript to the visitor's address, the Mailboxes tab, and the mailbox form refused
next to its fields."""

from __future__ import annotations

import pytest

from cc_terminal.screens.channels.letter_offers import MailConsentForm, ProductPicker
from tests.channels.conftest import form, gateway_of
from tests.channels.mail.conftest import box_form, loop_of
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.channels.mail.test_letters_flow import with_attachment
from tests.channels.mail.test_loop import letter
from tests.conftest import login
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import make_app, settle, sign_in, still, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def waiting(
    dovecot: Dovecot, smtpd: Smtpd, *, chat_contact: str = "", take: int = 0, attach: bool = False
):
    """A letter fetched (and a chat started when ``chat_contact``) before Jana signs in;
    signing in gives her the chat (she has places; letters wait to be taken), she opens F8
    and takes ``take`` letters with N."""

    async def set_up(pilot):
        await settle(pilot)
        app = pilot.app
        ws = app.require_services()
        lead = login(ws, "lead")
        folder = app.settings.data_dir  # the Czech twin runs these steps on its own copy
        loop = loop_of(ws, lead, folder)
        user = dovecot.new_user()
        mailbox = ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, user))
        sent = with_attachment(1) if attach else letter(1, subject="Faktura za listopad [b]2x[/b]")
        dovecot.append(user, sent)
        loop.fetch(mailbox)
        app.clock.advance(95)
        if chat_contact:
            gateway = gateway_of(ws, lead, folder)
            chat = gateway.start(form(name="Adam Velký", contact=chat_contact))
            gateway.post(chat.token, "v1", "Dobrý den, mám dotaz.")
            app.clock.advance(40)
        await sign_in(pilot, "jana")
        await pilot.press("f8")
        screen = app.screen
        given = int(bool(chat_contact))
        await wait_until(
            pilot, lambda: (len(screen.seen.queue), len(screen.seen.mine)) == (1, given)
        )
        for _ in range(take):
            await pilot.press("escape", "n")
            await settle(pilot)
        await wait_until(pilot, lambda: len(screen.seen.queue) == 1 - take)
        # the header's badge counts the chats waiting, not the letters
        chats = sum(1 for waiting in screen.seen.queue if waiting.channel == "chat")
        await wait_until(pilot, lambda: app.chats_waiting[0] == chats)
        # what was opened is read: the list's unread counts settle at the next read
        await wait_until(pilot, lambda: all(c.unread == 0 for c in app.screen.seen.mine))
        app.clear_notifications()
        await settle(pilot)

    return set_up


def refused_reply(dovecot: Dovecot, smtpd: Smtpd):
    """The letter taken, answered, and the answer refused by the server."""

    async def answer(pilot):
        app = pilot.app
        screen = app.screen
        await wait_until(pilot, lambda: screen.seen.thread is not None)
        await typed("Dobrý den,")(pilot)
        await pilot.press("enter")
        await typed("pošleme opravenou fakturu.")(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(screen.seen.thread.letters) == 2)
        ws = app.require_services()
        smtpd.keeper.refuse.add("eva@example.cz")
        loop = loop_of(ws, login(ws, "lead"), app.settings.data_dir, name="mail-loop-2")
        loop.send_queued(app.clock())
        smtpd.keeper.refuse.clear()
        await wait_until(pilot, lambda: screen.seen.thread.letters[-1].sending == "failed")
        await settle(pilot)

    return answer


def snap(snap_compare, app, size, *actions):
    return snap_compare(app, terminal_size=size, run_before=steps(*actions, still))


@pytest.mark.parametrize("size", SIZES)
def test_letter_waiting_beside_a_chat(snap_compare, app, size, dovecot, smtpd):
    assert snap(snap_compare, app, size, waiting(dovecot, smtpd, chat_contact="+420777123456"))


@pytest.mark.parametrize("size", SIZES)
def test_letter_open_with_a_refused_reply(snap_compare, app, size, dovecot, smtpd):
    actions = (waiting(dovecot, smtpd, take=1), refused_reply(dovecot, smtpd))
    assert snap(snap_compare, app, size, *actions)


@pytest.mark.parametrize("size", SIZES)
def test_letter_attachments_to_save(snap_compare, app, size, dovecot, smtpd):
    set_up = waiting(dovecot, smtpd, take=1, attach=True)
    assert snap(snap_compare, app, size, set_up, keys("escape", "a"))


@pytest.mark.parametrize("size", SIZES)
def test_chat_closing_offers_its_transcript(snap_compare, app, size, dovecot, smtpd):
    set_up = waiting(dovecot, smtpd, chat_contact="adam@example.cz", take=1)
    assert snap(snap_compare, app, size, set_up, open_the_chat, keys("ctrl+e"))


async def open_the_chat(pilot):
    """Its digit in one's list (the chat given at sign-in, beside the letter taken)."""
    mine = pilot.app.screen.seen.mine
    digit = next(n for n, held in enumerate(mine, 1) if held.channel == "chat")
    await pilot.press("escape", str(digit))
    await settle(pilot)


def mailbox_set_up(dovecot: Dovecot, smtpd: Smtpd):
    async def set_up(pilot):
        await settle(pilot)
        ws = pilot.app.require_services()
        lead = login(ws, "lead")
        loop_of(ws, lead, pilot.app.settings.data_dir)
        fixed = {"imap_host": "imap.firma.example", "imap_port": "993", "imap_security": "ssl"}
        ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, "podpora", **fixed))
        await sign_in(pilot, "lead")
        await pilot.press("f10", "m")
        await settle(pilot)

    return set_up


@pytest.mark.parametrize("size", SIZES)
def test_setup_mailboxes(snap_compare, app, size, dovecot, smtpd):
    assert snap(snap_compare, app, size, mailbox_set_up(dovecot, smtpd))


@pytest.mark.parametrize("size", SIZES)
def test_setup_mailbox_form_refused(snap_compare, app, size, dovecot, smtpd):
    actions = (mailbox_set_up(dovecot, smtpd), keys("n"), typed("Obchod"), keys("ctrl+s"))
    assert snap(snap_compare, app, size, *actions)


def offer_asked(consented: bool):
    """O on the open letter: the consent form, or (consent recorded) the product picker
    filtered by "mob"."""

    async def ask(pilot):
        app = pilot.app
        screen = app.screen
        if consented:
            ws = app.require_services()
            jana = login(ws, "jana")
            typed_consent = ("web_form", app.clock().date(), "")
            ws.chats.record_consent(jana, screen.current, typed_consent)
        await pilot.press("escape", "o")
        wanted = ProductPicker if consented else MailConsentForm
        await wait_until(pilot, lambda: isinstance(app.screen, wanted))
        if consented:
            await typed("mob")(pilot)
        await settle(pilot)

    return ask


@pytest.mark.parametrize("size", SIZES)
def test_letter_offer_asks_for_the_consent_first(snap_compare, app, size, dovecot, smtpd):
    actions = (waiting(dovecot, smtpd, take=1), offer_asked(consented=False))
    assert snap(snap_compare, app, size, *actions)


@pytest.mark.parametrize("size", SIZES)
def test_letter_offer_picks_the_product(snap_compare, app, size, dovecot, smtpd):
    actions = (waiting(dovecot, smtpd, take=1), offer_asked(consented=True))
    assert snap(snap_compare, app, size, *actions)
