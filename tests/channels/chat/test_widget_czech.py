"""The widget in Czech (the page's lang, from a Czech gateway), when nobody can answer:
the visitor's mistakes are said next to their fields with what was typed kept, the busy
form takes a message, and the message becomes a request to the contact centre."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from cc_terminal.models import ServiceRequest
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, wait_for
from tests.channels.chat.process import GatewayProcess

pytestmark = pytest.mark.browser
LEFT = "Prosím o zavolání kvůli faktuře <b>12</b>."


@pytest.fixture
def gateway_language() -> str:
    return "cs"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_czech_visitor_leaves_a_message_when_nobody_answers(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor
) -> None:
    ws.work_clock.end(someone_answers)  # the last operator signed out
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        wait_for(browser, "#cc-chat-open", "Napište nám").click()
        wait_for(browser, "#cc-chat-contact").send_keys("eva@example.cz")
        browser.find_element(By.ID, "cc-chat-start").click()
        wait_for(browser, "#cc-chat-busy-note", "Všichni konzultanti jsou teď obsazení")
        browser.find_element(By.ID, "cc-chat-leave-text").send_keys(LEFT)
        browser.find_element(By.ID, "cc-chat-start").click()
        assert wait_for(browser, "#cc-chat-error-name").text
        assert wait_for(browser, "#cc-chat-error-consent").text
        assert browser.find_element(By.ID, "cc-chat-contact").get_attribute("value") == (
            "eva@example.cz"
        )
        browser.find_element(By.ID, "cc-chat-name").send_keys("Eva Malá")
        browser.find_element(By.ID, "cc-chat-consent").click()
        browser.find_element(By.ID, "cc-chat-start").click()
        wait_for(browser, "#cc-chat-done-text", "Děkujeme, vaši zprávu jsme předali.")
    with ws.db.read() as session:
        summaries = list(session.scalars(select(ServiceRequest.summary)))
    assert LEFT in summaries
