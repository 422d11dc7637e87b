"""The widget in a real browser: the distribution's headless chromium opens the gateway's
demo page, a known customer fills the pre-chat form and types, the operator answers
through the operators' service and the answer appears on the page; markup stays text.
Then the gateway is killed (SIGKILL) mid-conversation and started again: the widget
reconnects by itself, sends what was typed meanwhile, and the page (also after a reload)
and the operator's chat area hold every message once. Closed with an outcome, the chat is
in the customer's ledger."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from cc_terminal.models import Call, ListKind
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, texts, wait_for
from tests.channels.chat.operator_side import (
    chats,
    operator_says,
    read_by_visitor,
    seen_by,
    the_conversation,
)
from tests.channels.chat.process import GatewayProcess, eventually
from tests.conftest import KNOWN_PHONE

pytestmark = pytest.mark.browser
MARKUP = "<img src=x onerror=alert(1)><b>bold?</b>"
OWN = "#cc-chat-log li.cc-visitor"
SAID = [MARKUP, "Dobrý den, jak pomohu?", "Are you still there?", "Yes, still here."]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_chat_in_the_browser_survives_a_killed_gateway(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor
) -> None:
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Jan Novák", "jan.novak@example.cz")
        say(browser, MARKUP)
        sent = wait_for(browser, f"{OWN}[data-seq]")
        assert sent.find_element(By.CSS_SELECTOR, ".cc-text").text == MARKUP
        assert browser.find_elements(By.CSS_SELECTOR, "#cc-chat-log img, #cc-chat-log b") == []
        conversation = the_conversation(ws)
        operator_says(ws, someone_answers, conversation, SAID[1])
        answer = wait_for(browser, "#cc-chat-log li.cc-operator", SAID[1])
        assert answer.find_element(By.CSS_SELECTOR, ".cc-who").text == "Jana"
        seq = int(answer.get_attribute("data-seq") or 0)
        assert eventually(lambda: read_by_visitor(ws, someone_answers, conversation)) == [seq]

        chat_gateway.kill()
        wait_for(browser, "#cc-chat-status", "reconnecting")
        say(browser, SAID[2])
        wait_for(browser, f"{OWN}[data-mark=waiting]", SAID[2])
        chat_gateway.start()
        wait_for(browser, f"{OWN}[data-seq]", SAID[2])
        operator_says(ws, someone_answers, conversation, SAID[3])
        wait_for(browser, "#cc-chat-log li.cc-operator", SAID[3])
        on_page = texts(browser, "#cc-chat-log li .cc-text")
        assert [text for text in on_page if text in SAID] == SAID
        browser.refresh()  # the tab keeps the token: the whole chat again, each line once
        wait_for(browser, "#cc-chat-log li.cc-operator", SAID[3])
        on_page = texts(browser, "#cc-chat-log li .cc-text")
        assert [text for text in on_page if text in SAID] == SAID

        seen = seen_by(ws, someone_answers, conversation)
        assert [(a, t) for a, t in seen if a in ("visitor", "operator")] == list(
            zip(["visitor", "operator"] * 2, SAID, strict=True)
        )
        outcome = ws.reference.lists().active(ListKind.CALL_OUTCOME)[0].code
        chats(ws).close(someone_answers, conversation, outcome)
        wait_for(browser, "#cc-chat-log li.cc-system", "The chat has ended.")
    in_ledger = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    with ws.db.read() as session:
        chat_calls = session.scalars(select(Call).where(Call.channel == "chat")).all()
    assert [(call.customer_id, call.outcome) for call in chat_calls] == [(in_ledger, outcome)]
