"""An offer by e-mail from the keyboard, against the real servers: O on a letter whose
sender never consented opens the consent form (the reason in its title), then the product
picker (typing filters, Enter picks), the product's lines join the reply, Ctrl+S sends it
as an offer with the way to refuse; the customer's refusal comes back through the mailbox
and O then says so instead of offering."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Select

from cc_terminal.screens.channels.letter_offers import MailConsentForm, ProductPicker
from cc_terminal.services.channels.mail import MailService
from tests.channels.mail.test_letters_flow import letters_waiting, our_replies, take_the_letter
from tests.channels.mail.test_loop import letter
from tests.tui import SIZE, make_app, settle, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_consent_then_product_then_the_offer_and_its_refusal(app, tmp_path, dovecot, smtpd):
    async with app.run_test(size=SIZE) as pilot:
        loop: MailService = await letters_waiting(pilot, tmp_path, dovecot, smtpd, letter(1))
        screen = await take_the_letter(pilot)
        await type_text(pilot, "Dobrý den,")
        await pilot.press("escape", "o")
        await wait_until(pilot, lambda: isinstance(app.screen, MailConsentForm))
        assert "No consent to offers by e-mail from eva@example.cz" in app.screen.title_text()
        app.screen.query_one("#consent-source", Select).value = "web_form"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductPicker))
        await type_text(pilot, "mobil")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.offer_code == "MOB-M")
        box = screen.query_one("#chat-box")
        assert box.text.startswith("Dobrý den,\n\nMobil M: 599,00\xa0Kč.")
        assert app.focused is box
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: box.text == "" and len(our_replies(screen)) == 1)
        assert screen.offer_code == ""
        assert loop.send_queued(app.clock()).sent == 1
        (arrived,) = smtpd.keeper.to("eva@example.cz")
        token = re.search(r"\b([0-9a-f]{32})\b", arrived.get_content())
        assert token is not None
        assert arrived["List-Unsubscribe"].endswith(f"REFUSE%20{token[1]}>")
        await pilot.press("escape", "o")  # consented: straight to the products
        await wait_until(pilot, lambda: isinstance(app.screen, ProductPicker))
        await pilot.press("escape")
        await settle(pilot)
        refusal = letter(
            2, subject=f"Re: Faktura REFUSE {token[1]}", In_Reply_To=arrived["Message-ID"]
        )
        (box,) = loop.loop_mailboxes()
        dovecot.append(box.imap_user, refusal)
        assert loop.fetch(box.id).stored == 1
        await pilot.press("o")
        problem = screen.query_one("#chat-problem")
        await wait_until(pilot, lambda: "refused offers" in str(problem.text))
        assert app.screen is screen
