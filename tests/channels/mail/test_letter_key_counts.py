"""The keys of the letters' tasks, counted like tests/test_key_counts.py (the README's "Keys
per task"), against the real servers and in both languages: a letter taken, answered and
closed; an offer of a product in the answer to an address with a consent."""

from __future__ import annotations

import pytest

from cc_terminal.models import Call, MailOffer
from tests.channels.mail.conftest import box_form, loop_of
from tests.channels.mail.test_loop import letter
from tests.conftest import login
from tests.test_key_counts import Keys, stored
from tests.tui import SIZE, make_app, settle, sign_in, wait_until

GOALS = {"letter": 4, "offer": 5}


@pytest.fixture(params=["en", "cs"])
def app(request, sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock, language=request.param)


async def a_letter_taken(pilot, dovecot, smtpd, folder, *, consented: bool = False) -> Keys:
    """A letter fetched before Jana signs in; she opens F8 and takes it (N, counted)."""
    await settle(pilot)
    ws = pilot.app.require_services()
    lead = login(ws, "lead")
    loop = loop_of(ws, lead, folder)
    user = dovecot.new_user()
    dovecot.append(user, letter(1))
    loop.fetch(ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, user)))
    await sign_in(pilot)
    keys = Keys(pilot)
    await pilot.press("f8")
    await settle(pilot)
    await keys.press("n")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.seen.thread is not None)
    if consented:
        jana = login(ws, "jana")
        ws.chats.record_consent(jana, screen.current, ("web_form", pilot.app.clock().date(), ""))
    return keys


async def test_a_letter_taken_answered_and_closed(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        keys = await a_letter_taken(pilot, dovecot, smtpd, tmp_path)
        await keys.type("Dobrý den, faktura je zaplacena.")
        await keys.press("ctrl+s")
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.seen.thread.letters) == 2)
        await keys.press("ctrl+e", "1")
        await wait_until(pilot, lambda: len(stored(app, Call)) == 1)
        (call,) = stored(app, Call)
        assert (call.channel, call.outcome) == ("email", "resolved")
        assert len(keys.pressed) <= GOALS["letter"]


async def test_an_offer_in_the_answer_to_a_consented_address(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        keys = await a_letter_taken(pilot, dovecot, smtpd, tmp_path, consented=True)
        await keys.type("Dobrý den, nabízíme:")
        await keys.press("escape", "o")
        await keys.type("mobil")
        await keys.press("enter")
        screen = app.screen
        await wait_until(pilot, lambda: screen.offer_code == "MOB-M")
        await keys.press("ctrl+s")
        await wait_until(pilot, lambda: len(stored(app, MailOffer)) == 1)
        # N, then Escape out of the box, O, Enter on the product, Ctrl+S
        assert len(keys.pressed) <= GOALS["offer"]
