"""The transcript by e-mail, asked for in the widget in a real browser (the distribution's
headless chromium, the gateway's process, a real SMTP server): a visitor who gave an e-mail
address asks for it after the chat ended, on a socket of its own; the gateway queues it,
the mail loop sends it, and it arrives with what was said, in the visitor's language. A
visitor who gave a phone number is not offered it, and a gateway asked for it without a
mailbox says why by the button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By

from cc_terminal.models.base import utcnow
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, wait_for
from tests.channels.chat.operator_side import operator_says, the_conversation
from tests.channels.chat.process import GatewayProcess
from tests.channels.mail.conftest import box_form, loop_of
from tests.channels.mail.servers import Dovecot, Smtpd, session_servers

pytestmark = pytest.mark.browser
ASKED = "Kolik stojí tarif Mini?"
ANSWER = "Tarif Mini stojí 199 Kč měsíčně."


@pytest.fixture(scope="module")
def mail_servers() -> Iterator[tuple[Dovecot, Smtpd]]:
    yield from session_servers()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_visitor_asks_for_the_transcript_after_the_chat_ended_and_it_arrives(
    chat_gateway: GatewayProcess,
    ws: Workstation,
    lead: Actor,
    someone_answers: Actor,
    mail_servers: tuple[Dovecot, Smtpd],
    tmp_path,
) -> None:
    dovecot, smtpd = mail_servers
    loop = loop_of(ws, lead, tmp_path)  # first: a mailbox's passwords are sealed to it
    ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, dovecot.new_user()))
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Eva Malá", "eva.mala@example.cz")
        say(browser, ASKED)
        wait_for(browser, "#cc-chat-log li.cc-visitor[data-seq]", ASKED)
        assert wait_for(browser, "#cc-chat-transcript").text == "E-mail me the transcript"
        operator_says(ws, someone_answers, the_conversation(ws), ANSWER)
        wait_for(browser, "#cc-chat-log li.cc-operator", ANSWER)
        browser.find_element(By.ID, "cc-chat-end").click()
        wait_for(browser, "#cc-chat-done-text", "The chat has ended.")
        browser.find_element(By.ID, "cc-chat-transcript").click()
        said = wait_for(browser, "#cc-chat-transcript-note", "eva.mala@example.cz")
        assert said.text == "The transcript is on its way to eva.mala@example.cz."
    assert loop.send_queued(utcnow()).sent == 1  # queued by the gateway, on its own clock
    (arrived,) = smtpd.keeper.to("eva.mala@example.cz")
    assert arrived["Subject"].startswith("Transcript of your chat")
    body = arrived.get_content()
    assert ASKED in body and ANSWER in body


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_it_is_offered_only_to_an_address_and_a_refusal_is_said_by_the_button(
    chat_gateway: GatewayProcess, ws: Workstation
) -> None:
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Jan Novák", "+420 601 123 456")
        say(browser, ASKED)
        wait_for(browser, "#cc-chat-log li.cc-visitor[data-seq]", ASKED)
        assert not browser.find_element(By.ID, "cc-chat-transcript").is_displayed()
        browser.execute_script("window.sessionStorage.clear()")  # a new visitor, an address
        browser.refresh()
        fill_pre_chat_form(browser, "Eva Malá", "eva.mala@example.cz")
        say(browser, ASKED)
        wait_for(browser, "#cc-chat-transcript").click()  # no mailbox on this floor
        refused = wait_for(browser, "#cc-chat-transcript-note", "mailbox")
        assert refused.text == "No mailbox sends letters yet."
        assert "cc-error" in (refused.get_attribute("class") or "")
