"""The widget in a real browser: the distribution's headless chromium opens the gateway's
demo page, the visitor fills the pre-chat form and types, an operator answers and the
answer appears on the page; markup stays text. Then the gateway is killed (SIGKILL)
mid-conversation and started again: the widget reconnects by itself, sends what was
typed meanwhile, and both the page and the store hold every message once."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, texts, wait_for
from tests.channels.chat.operator_side import operator_says, stored_lines, the_conversation
from tests.channels.chat.process import GatewayProcess

pytestmark = pytest.mark.browser
MARKUP = "<img src=x onerror=alert(1)><b>bold?</b>"
OWN = "#cc-chat-log li.cc-visitor"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_chat_in_the_browser_survives_a_killed_gateway(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor
) -> None:
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Eva Malá", "eva@example.cz")
        say(browser, MARKUP)
        sent = wait_for(browser, f"{OWN}[data-seq]")
        assert sent.find_element(By.CSS_SELECTOR, ".cc-text").text == MARKUP
        assert browser.find_elements(By.CSS_SELECTOR, "#cc-chat-log img, #cc-chat-log b") == []
        conversation = the_conversation(ws)
        operator_says(ws, someone_answers, conversation, "Dobrý den, jak pomohu?")
        answer = wait_for(browser, "#cc-chat-log li.cc-operator", "Dobrý den, jak pomohu?")
        assert answer.find_element(By.CSS_SELECTOR, ".cc-who").text == "Jana"

        chat_gateway.kill()
        wait_for(browser, "#cc-chat-status", "reconnecting")
        say(browser, "Are you still there?")
        wait_for(browser, f"{OWN}[data-mark=waiting]", "Are you still there?")
        chat_gateway.start()
        wait_for(browser, f"{OWN}[data-seq]", "Are you still there?")
        operator_says(ws, someone_answers, conversation, "Yes, still here.")
        wait_for(browser, "#cc-chat-log li.cc-operator", "Yes, still here.")

        on_page = texts(browser, "#cc-chat-log li .cc-text")
    said = [MARKUP, "Dobrý den, jak pomohu?", "Are you still there?", "Yes, still here."]
    assert [text for text in on_page if text in said] == said
    in_store = [(a, t) for a, t in stored_lines(ws, conversation) if a in ("visitor", "operator")]
    assert in_store == list(zip(["visitor", "operator"] * 2, said, strict=True))
