"""The widget in a real browser: the distribution's headless chromium opens the gateway's
demo page, the visitor fills the pre-chat form and types; markup stays text."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, wait_for
from tests.channels.chat.process import GatewayProcess

pytestmark = pytest.mark.browser
MARKUP = "<img src=x onerror=alert(1)><b>bold?</b>"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_visitor_starts_a_chat_and_markup_stays_text(chat_gateway: GatewayProcess) -> None:
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Eva Malá", "eva@example.cz")
        say(browser, MARKUP)
        sent = wait_for(browser, "#cc-chat-log li.cc-visitor[data-seq]")
        assert sent.find_element(By.CSS_SELECTOR, ".cc-text").text == MARKUP
        assert browser.find_elements(By.CSS_SELECTOR, "#cc-chat-log img, #cc-chat-log b") == []
