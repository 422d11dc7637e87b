"""The whole chat for real: a visitor in headless chromium writes through the gateway
process, the operator answers from the workstation's chat area (F8, driven by Pilot) and
the answer appears in the browser; the visitor's reply reaches the terminal; the operator
closes it with an outcome and the chat is in the customer's ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.models import Call
from cc_terminal.models.base import utcnow
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, wait_for
from tests.channels.chat.process import GatewayProcess
from tests.conftest import KNOWN_PHONE
from tests.tui import SIZE, settle, sign_in, type_text, wait_until

pytestmark = pytest.mark.browser
VISITOR = "Is my bill right? <b>[bold]thanks[/bold]</b>"
OPERATOR = "Dobrý den, podívám se na to."


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_operator_answers_from_f8_and_the_visitor_reads_it(
    chat_gateway: GatewayProcess,
    ws: Workstation,
    someone_answers: Actor,
    db_url: str,
    tmp_path: Path,
) -> None:
    # The terminal runs on the real clock, as the gateway does: they compare moments.
    settings = Settings(db_url=db_url, data_dir=tmp_path, cursor_blink=False, language="en")
    app = CCTerminal(settings, clock=utcnow)
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Jan Novák", "jan.novak@example.cz")
        say(browser, VISITOR)
        wait_for(browser, "#cc-chat-log li.cc-visitor[data-seq]")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await sign_in(pilot, "jana")
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, ChatScreen)
            await wait_until(pilot, lambda: VISITOR in str(screen.shown_lines))
            await pilot.press("m")
            await type_text(pilot, OPERATOR)
            await pilot.press("enter")
            await settle(pilot)
            answer = wait_for(browser, "#cc-chat-log li.cc-operator", OPERATOR)
            assert answer.text.startswith("Jana")
            say(browser, "Thank you, Jana")
            await wait_until(pilot, lambda: "Thank you, Jana" in str(screen.shown_lines))
            await pilot.press("escape", "ctrl+e")
            await settle(pilot)
            await pilot.press("1")
            await settle(pilot)
            await wait_until(pilot, lambda: screen.seen.mine == ())
        wait_for(browser, "#cc-chat-log li.cc-system", "The chat has ended.")
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    with ws.db.read() as session:
        calls = session.scalars(select(Call).where(Call.channel == "chat")).all()
    assert [call.customer_id for call in calls] == [customer]
