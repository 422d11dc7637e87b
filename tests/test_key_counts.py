"""The keys of the day's commonest tasks, counted (issue 23): every key pressed beyond the
text typed, each task done from the keyboard alone and its records checked. The README's
table "Keys per task" gives the same sequences; a key added to a task fails here. Each task
runs in English and in Czech: the same keys do it in both."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from cc_terminal.models import Call, CustomerOrder, LeadAttempt, Offer, ServiceRequest
from cc_terminal.models.roster import DayOffRequest, RequestState, Roster
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.screens.orders.dialogs import ReadBackPanel, SlotPicker
from cc_terminal.screens.orders.form import OrderForm
from cc_terminal.screens.pickers import OutcomePicker
from cc_terminal.services.common.views import CustomerDraft
from tests.conftest import KNOWN_PHONE, login
from tests.orders.order_floor import ELEKTRARNY_9, set_up_orders
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns
from tests.rostering.days_off_floor import WEEK, set_up_days_off
from tests.tui import SIZE, make_app, settle, settled_until, sign_in, type_text

GOALS = {
    "call": 6,
    "complaint": 9,
    "refused offer": 5,
    "equipment": 12,
    "roster": 10,
    "lead": 4,
    "chat": 4,
}


@pytest.fixture(params=["en", "cs"])
def app(request, sqlite_url, tmp_path, clock):
    """Each task in both languages: the same keys do it in Czech."""
    return make_app(sqlite_url, tmp_path, clock, language=request.param)


@dataclass
class Keys:
    """Presses keys and counts them; typed text is not counted."""

    pilot: Pilot
    pressed: list[str] = field(default_factory=list)

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.pressed.append(key)
            await self.pilot.press(key)
            await settle(self.pilot)

    async def type(self, text: str) -> None:
        await type_text(self.pilot, text)
        await settle(self.pilot)


def stored(app, model):
    with app.require_services().db.read() as session:
        return session.scalars(select(model)).all()


async def take_call(keys: Keys) -> None:
    await sign_in(keys.pilot)
    await keys.type("601 123 456")
    await keys.press("enter")


async def test_an_incoming_call_with_reason_note_and_outcome(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await take_call(keys)
        await keys.press("2")  # billing: the reason list has the focus when the card pops
        await keys.type("Asked about the October invoice.")
        await keys.press("ctrl+e", "2")  # advised
        (call,) = stored(app, Call)
        assert (call.reason, call.outcome) == ("billing", "advised")
        assert call.notes == "Asked about the October invoice."
        assert keys.pressed == ["enter", "2", "ctrl+e", "2"]
        assert len(keys.pressed) <= GOALS["call"]


async def test_a_complaint_registered_to_its_department_on_a_call(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await take_call(keys)
        await keys.press("ctrl+t", "2")  # complaint: its department and due time proposed
        assert isinstance(app.screen, RequestForm)
        assert app.screen.focused is app.screen.query_one("#request-summary")
        await keys.type("The technician did not come on Monday.")
        await keys.press("ctrl+s")
        await keys.press("ctrl+e")
        assert isinstance(app.screen, OutcomePicker)
        await keys.press("enter")  # "request registered", proposed by the request
        (request,) = stored(app, ServiceRequest)
        assert (request.category, request.department) == ("complaint", "complaints")
        (call,) = stored(app, Call)
        assert (call.reason, call.outcome) == ("complaint", "request_registered")
        assert keys.pressed == ["enter", "ctrl+t", "2", "ctrl+s", "ctrl+e", "enter"]
        assert len(keys.pressed) <= GOALS["complaint"]


async def test_an_offer_refused_as_too_expensive_during_a_call(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await take_call(keys)
        during = len(keys.pressed)
        await keys.press("ctrl+k")
        await keys.type("optika")
        await keys.press("enter", "2", "1", "ctrl+s")  # the item found; refused; too expensive
        (offer,) = stored(app, Offer)
        assert (offer.accepted, offer.refusal_reason) == (False, "too_expensive")
        assert keys.pressed[during:] == ["ctrl+k", "enter", "2", "1", "ctrl+s"]
        assert len(keys.pressed[during:]) <= GOALS["refused offer"]


def caller_at_elektrarny_9(app) -> None:
    ws = app.require_services()
    lead = login(ws, "lead")
    set_up_orders(ws, lead)
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    card = ws.customers.card(customer.id)
    address = {"street": "U Elektrárny", "house_number": "9", "postal_code": "170 00"}
    ws.customers.update(lead, card.id, CustomerDraft.from_card(card, **address), card.version)


async def on_a_call_from_elektrarny_9(app, pilot: Pilot) -> Keys:
    """On the call of a caller whose card's address is in the register, orders set up."""
    await settle(pilot)
    caller_at_elektrarny_9(app)
    keys = Keys(pilot)
    await take_call(keys)
    return keys


async def test_an_equipment_change_with_a_technician_visit_from_a_call(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = await on_a_call_from_elektrarny_9(app, pilot)
        during = len(keys.pressed)
        await keys.press("ctrl+w", "2")  # equipment: the card's address is offered
        form = app.screen
        assert isinstance(form, OrderForm)
        assert await settled_until(pilot, lambda: form.focused.id == "material-0")
        await keys.press("1")  # the router
        await keys.type("1")  # one of them
        await keys.press("enter", "enter")  # past the empty material rows
        await keys.press("1", "2")  # the technician's work; paid from the account
        await keys.press("f5")
        assert isinstance(app.screen, SlotPicker)
        await keys.press("enter", "ctrl+s")
        assert isinstance(app.screen, ReadBackPanel)
        await keys.press("enter")
        (order,) = stored(app, CustomerOrder)
        assert order.address_code == ELEKTRARNY_9 and order.visit_slot is not None
        assert order.status == "scheduled"
        sequence = ["ctrl+w", "2", "1", "enter", "enter", "1", "2", "f5", "enter", "ctrl+s"]
        assert keys.pressed[during:] == [*sequence, "enter"]
        assert len(keys.pressed[during:]) <= GOALS["equipment"]


async def test_a_team_lead_decides_two_requests_solves_and_publishes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        set_up_days_off(app.require_services())
        approved = [r.id for r in stored(app, DayOffRequest) if r.state == RequestState.APPROVED]
        keys = Keys(pilot)
        await sign_in(pilot, "lead")
        await keys.press("f6", "2", "right_square_bracket")  # the review of next week
        await keys.press("r")  # the first rejected, with why
        await keys.type("Month-end close")
        await keys.press("ctrl+s")
        rejected = lambda: any(r.reason == "Month-end close" for r in stored(app, DayOffRequest))  # noqa: E731
        assert await settled_until(pilot, rejected)  # the dialog gone, the review read again
        await keys.press("a")  # the next approved: the cursor stays on its line
        await keys.press("4", "s")
        assert await settled_until(pilot, lambda: app.screen.roster is not None)
        await keys.press("p")
        assert await settled_until(pilot, lambda: any(r.published_at for r in stored(app, Roster)))
        decided = {r.state for r in stored(app, DayOffRequest) if r.reason == "Month-end close"}
        assert decided == {RequestState.REJECTED}
        now_approved = [r for r in stored(app, DayOffRequest) if r.state == RequestState.APPROVED]
        assert len(now_approved) == len(approved) + 1
        assert (WEEK, "published") in [(r.week_start, r.state) for r in stored(app, Roster)]
        assert keys.pressed == [
            "f6",
            "2",
            "right_square_bracket",
            "r",
            "ctrl+s",
            "a",
            "4",
            "s",
            "p",
        ]
        assert len(keys.pressed) <= GOALS["roster"]


async def test_outbound_next_lead_and_a_refusal_with_its_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = app.require_services()
        set_up_campaigns(ws, login(ws, "lead"))
        add(ws, login(ws, "lead"), SALES, [("+420777300001", "Hana Horká")], "hot", ("jana",))
        keys = Keys(pilot)
        await sign_in(pilot)
        await keys.press("f3", "n", "ctrl+e", "2", "1")
        (attempt,) = stored(app, LeadAttempt)
        assert (attempt.disposition, attempt.refusal_reason) == ("NI", "too_expensive")
        # F3 opens the screen once a shift; the task itself is N and the chord
        assert len(keys.pressed[1:]) <= GOALS["lead"]


async def test_a_chat_taken_answered_and_closed(app, tmp_path):
    from tests.channels.conftest import form, gateway_of

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = app.require_services()
        visitors = gateway_of(ws, login(ws, "lead"), tmp_path)
        chat = visitors.start(form())
        visitors.post(chat.token, "v1", "Is my invoice paid?")
        keys = Keys(pilot)
        await sign_in(pilot)
        await keys.press("f8")
        # signing in gave her the chat: F8 shows it once its list is read
        assert await settled_until(pilot, lambda: app.screen.seen.detail is not None)
        await keys.press("m")
        await keys.type("Yes, on Monday.")
        await keys.press("enter", "ctrl+e", "1")
        (call,) = stored(app, Call)
        assert (call.channel, call.outcome, call.messages) == ("chat", "resolved", 1)
        # F8 opens the area once a shift; the task is M, the answer, Enter and the chord
        assert len(keys.pressed[1:]) <= GOALS["chat"]
