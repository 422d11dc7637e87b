"""The whole chat for real, on SQLite (one host) and on PostgreSQL (server mode): a known
customer in the distribution's headless chromium fills the gateway's pre-chat form and
writes; HTML and Rich markup stay text on the page and in the terminal. The operator
answers from the workstation's chat area (F8, driven by Pilot): the answer appears on the
page under her first name and is marked read. Then the gateway process is killed
(SIGKILL) mid-conversation and started again: the widget reconnects by itself and sends
what the visitor typed meanwhile, which reaches the terminal's chat pane; the operator's
next answer from the terminal reaches the page. The page (also after a reload), the
terminal's chat pane and the operators' service each hold every message once, in order.
The operator closes the chat from the terminal with an outcome's digit: the page says the
chat has ended, and the chat is in the customer's ledger with that outcome."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from sqlalchemy import select
from textual.pilot import Pilot

from cc_terminal.models import Call, ListKind
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, texts, wait_for
from tests.channels.chat.operator_side import read_by_visitor, seen_by, the_conversation
from tests.channels.chat.process import GatewayProcess, eventually
from tests.channels.chat.terminal_side import (
    answer,
    chat_area,
    close_with,
    operator_terminal,
    said_in_pane,
    until_shown,
)
from tests.conftest import KNOWN_PHONE
from tests.tui import SIZE

pytestmark = pytest.mark.browser
MARKUP = "<img src=x onerror=alert(1)><b>[bold]bold?[/bold]</b>"
OWN = "#cc-chat-log li.cc-visitor"
THEIRS = "#cc-chat-log li.cc-operator"
SAID = [MARKUP, "Dobrý den, jak pomohu?", "Are you still there?", "Yes, still here."]
OUTCOME_KEY = "1"


async def on_page(browser: webdriver.Chrome, css: str, text: str | None = None) -> WebElement:
    """``wait_for`` in a thread: the terminal's app keeps running while the page is waited for."""
    return await asyncio.to_thread(wait_for, browser, css, text)


def the_visitor_writes(browser: webdriver.Chrome, gateway: GatewayProcess) -> None:
    browser.get(gateway.origin + "/")
    fill_pre_chat_form(browser, "Jan Novák", "jan.novak@example.cz")
    say(browser, MARKUP)
    sent = wait_for(browser, f"{OWN}[data-seq]")
    assert sent.find_element(By.CSS_SELECTOR, ".cc-text").text == MARKUP
    assert browser.find_elements(By.CSS_SELECTOR, "#cc-chat-log img, #cc-chat-log b") == []


async def the_operator_answers(
    pilot: Pilot, screen: ChatScreen, browser: webdriver.Chrome, ws: Workstation, jana: Actor
) -> uuid.UUID:
    """From F8: the visitor's line is in the pane, the answer on the page and read."""
    await until_shown(pilot, screen, MARKUP)
    await answer(pilot, SAID[1])
    shown = await on_page(browser, THEIRS, SAID[1])
    assert shown.find_element(By.CSS_SELECTOR, ".cc-who").text == "Jana"
    seq = int(shown.get_attribute("data-seq") or 0)
    conversation = the_conversation(ws)
    read = await asyncio.to_thread(eventually, lambda: read_by_visitor(ws, jana, conversation))
    assert read == [seq]
    return conversation


async def across_a_killed_gateway(
    pilot: Pilot, screen: ChatScreen, browser: webdriver.Chrome, gateway: GatewayProcess
) -> None:
    """Killed mid-conversation: the visitor's line waits, goes once the gateway is back,
    and reaches the terminal; the operator's next answer reaches the page."""
    gateway.kill()
    await on_page(browser, "#cc-chat-status", "reconnecting")
    say(browser, SAID[2])
    await on_page(browser, f"{OWN}[data-mark=waiting]", SAID[2])
    await asyncio.to_thread(gateway.start)
    await on_page(browser, f"{OWN}[data-seq]", SAID[2])
    await until_shown(pilot, screen, SAID[2])
    await answer(pilot, SAID[3])
    await on_page(browser, THEIRS, SAID[3])
    await until_shown(pilot, screen, SAID[3])


def every_line_once_on_the_page(browser: webdriver.Chrome) -> None:
    """Each line once, in order; again after a reload (the tab keeps the chat's token)."""
    shown = texts(browser, "#cc-chat-log li .cc-text")
    assert [text for text in shown if text in SAID] == SAID
    browser.refresh()
    wait_for(browser, THEIRS, SAID[3])
    shown = texts(browser, "#cc-chat-log li .cc-text")
    assert [text for text in shown if text in SAID] == SAID


async def test_a_chat_in_the_browser_survives_a_killed_gateway(
    chat_gateway: GatewayProcess,
    ws: Workstation,
    someone_answers: Actor,
) -> None:
    outcomes = ws.reference.lists().active(ListKind.CALL_OUTCOME)
    outcome = next(choice.code for choice in outcomes if choice.key == OUTCOME_KEY)
    with chromium() as browser:
        the_visitor_writes(browser, chat_gateway)
        async with operator_terminal(ws).run_test(size=SIZE) as pilot:
            screen = await chat_area(pilot)
            chat = await the_operator_answers(pilot, screen, browser, ws, someone_answers)
            await across_a_killed_gateway(pilot, screen, browser, chat_gateway)
            assert said_in_pane(screen, SAID) == SAID
            every_line_once_on_the_page(browser)
            seen = seen_by(ws, someone_answers, chat)
            assert [(a, t) for a, t in seen if a in ("visitor", "operator")] == list(
                zip(["visitor", "operator"] * 2, SAID, strict=True)
            )
            await close_with(pilot, screen, OUTCOME_KEY)
        wait_for(browser, "#cc-chat-log li.cc-system", "The chat has ended.")
    in_ledger = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    with ws.db.read() as session:
        chat_calls = session.scalars(select(Call).where(Call.channel == "chat")).all()
    assert [(call.customer_id, call.outcome) for call in chat_calls] == [(in_ledger, outcome)]
