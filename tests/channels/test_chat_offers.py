"""An offer in a chat (O on F8) follows a call's rules and the written channels' law: a
known customer's chat with a phone contact asks the number's consent first (outbound's
consent form), then the knowledge base records the offer and the refusal's reason on the
card, filed under the chat's call; the service refuses in words after an objection."""

from __future__ import annotations

import uuid

from textual.widgets import DataTable, Select

from cc_terminal.screens.calls.knowledge import KnowledgeScreen
from cc_terminal.screens.calls.offer_form import OfferForm
from cc_terminal.screens.outbound.consent_form import ConsentForm
from tests.channels.conftest import form
from tests.channels.test_chat_flow import app, chat_screen, to_chats  # noqa: F401
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows
from tests.tui import SIZE, settle, type_text, wait_until


def test_a_chats_phone_contact_needs_its_consent_and_its_objection_refuses(ws, chats, jana, lead):
    started = chats.start(form(contact=KNOWN_PHONE))
    ws.chats.take_next(jana)
    missing = ws.chats.offer_standing(jana, started.conversation_id)
    assert (missing.allowed, missing.needs_consent) == (False, True)
    assert missing.why.startswith(f"No consent to marketing on {KNOWN_PHONE}")
    ws.consents.record_consent(jana, KNOWN_PHONE, "earlier_call", ws.chats.clock().date())
    assert ws.chats.offer_standing(jana, started.conversation_id).allowed
    ws.consents.record_objection(jana, KNOWN_PHONE)
    objected = ws.chats.offer_standing(jana, started.conversation_id)
    assert (objected.allowed, objected.needs_consent) == (False, False)
    assert objected.why == "The customer objected to marketing on their number."


async def test_an_offer_in_a_chat_is_recorded_as_on_a_call(app, tmp_path):  # noqa: F811
    async with app.run_test(size=SIZE) as pilot:
        _gateway, (chat,) = await to_chats(
            pilot, tmp_path, ("Jan Novák", KNOWN_PHONE, "Is there a cheaper tariff?")
        )
        screen = chat_screen(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.seen.card is not None)
        await pilot.press("escape", "o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsentForm))
        app.screen.query_one("#consent-source", Select).value = "web_form"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        await type_text(pilot, "optika")
        await settle(pilot)
        results = app.screen.query_one("#kb-results", DataTable)
        assert results.row_count == 1
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OfferForm))
        app.screen.query_one("#offer-answer", Select).value = "no"
        app.screen.set_focus(app.screen.query_one("#offer-reason", Select))
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        offered = rows(
            app.services, "SELECT product_name, accepted, refusal_reason, call_id FROM offer"
        )
        ((name, accepted, reason, call_id),) = offered
        assert (name, accepted, reason) == ("Internet 100", False, "too_expensive")
        assert uuid.UUID(str(call_id)) == chat.conversation_id  # the chat's call, once closed
        (consent,) = rows(app.services, "SELECT phone_e164, source FROM consent")
        assert consent == (KNOWN_PHONE, "web_form")
