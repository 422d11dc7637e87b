"""F3 dials through a real softphone (Pilot, headless; two baresip processes on
127.0.0.1, a third for a transfer): N dials the customer's baresip, which answers (the
operator closes with an outcome; the talk time is the phone's), rejects (baresip's
``hangup`` on a ringing incoming call answers 486: busy, closed with no key) or does not
answer (our ring timeout hangs up: no answer); progressive mode's countdown dials the next
lead and Escape stops it; a live call is transferred to a third baresip."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from sqlalchemy import select
from textual.widgets import TextArea

from cc_terminal.app import CCTerminal
from cc_terminal.models import Call, LeadAttempt
from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.widgets.in_place_text import InPlaceText
from tests.conftest import KNOWN_PHONE, login
from tests.outbound.outbound_floor import add
from tests.phone.conftest import Softphone
from tests.tui import SIZE, make_app, settle, sign_in, wait_until

CUSTOMER = [(KNOWN_PHONE, "Jan Novák")]


@pytest.fixture
def app(request, sqlite_url, tmp_path, clock, softphones) -> CCTerminal:
    customer, operator = softphones
    made = make_app(sqlite_url, tmp_path, clock, language=getattr(request, "param", "en"))
    made.settings = replace(
        made.settings,
        phone_extension="101",
        softphone=operator.address,
        sip_gateway=f"127.0.0.1:{customer.sip}",
    )
    return made


def seed(app: CCTerminal, *campaigns: CampaignDraft) -> None:
    ws = app.require_services()
    lead = login(ws, "lead")
    for draft in campaigns:
        ws.campaigns.create(lead, draft)
        add(ws, lead, draft.code, CUSTOMER, "hot", assign_to=("jana",))


async def jana_on_f3(pilot, *campaigns: CampaignDraft) -> None:
    """Jana signs in, ``campaigns`` are made with her one hot lead each, and F3 opens."""
    await sign_in(pilot, "jana")
    seed(pilot.app, *campaigns)
    await pilot.press("f3")
    await settle(pilot)


def campaign(code: str = "dial", **settings: object) -> CampaignDraft:
    return CampaignDraft(code, f"Campaign {code}", "survey", "Hello {name}.", **settings)  # type: ignore[arg-type]


def dial_line(app: CCTerminal) -> str:
    screen = app.screen
    if not isinstance(screen, OutboundScreen):
        return ""
    return str(screen.query_one("#lead-dial", InPlaceText).text)


def ringing(app: CCTerminal) -> bool:
    return any(word in dial_line(app) for word in ("Ringing", "Vyzvání"))


def attempts(app: CCTerminal) -> list[LeadAttempt]:
    with app.require_services().db.read() as session:
        return list(session.scalars(select(LeadAttempt).order_by(LeadAttempt.at)))


async def dial_next(pilot, customer_did: str | None = None) -> None:
    """N on F3, the customer's phone rings, and does ``customer_did`` (accept, hangup)."""
    await pilot.press("n")
    await wait_until(pilot, lambda: ringing(pilot.app), timeout=20)
    if customer_did:
        customer: Softphone = pilot.app.customer_phone
        assert customer.command(customer_did)["ok"]


@pytest.mark.parametrize("app", ["en", "cs"], indirect=True)
async def test_busy_closes_the_attempt_with_one_key(app, softphones):
    """The README's key count: next lead dialled, busy = 1 key (N), in both languages."""
    app.customer_phone = softphones[0]
    async with app.run_test(size=SIZE) as pilot:
        await jana_on_f3(pilot, campaign())
        await dial_next(pilot, "hangup")  # N; baresip rejects a ringing call with 486
        await wait_until(pilot, lambda: len(attempts(app)) == 1, timeout=20)
        await wait_until(pilot, lambda: not app.screen.lead_open)
        (attempt,) = attempts(app)
        assert attempt.disposition == "B" and "486" in attempt.note
        ws = app.require_services()
        phone = ws.phone.latest("101")
        assert (phone.direction, phone.end_reason, phone.end_code) == ("out", "busy", 486)
        await wait_until(pilot, lambda: ws.phone.call(phone.call_key).call_id == attempt.call_id)
        assert app.current_mode == "outbound"  # an outgoing call never pops F2


async def test_no_answer_ends_in_our_ring_timeout(app, softphones):
    app.customer_phone = softphones[0]
    async with app.run_test(size=SIZE) as pilot:
        await jana_on_f3(pilot, campaign(ring_seconds=3))
        await dial_next(pilot)
        await wait_until(pilot, lambda: len(attempts(app)) == 1, timeout=20)
        (attempt,) = attempts(app)
        assert attempt.disposition == "N"
        phone = app.require_services().phone.latest("101")
        assert phone.end_reason == "unanswered" and phone.answered_at is None


async def test_an_answered_call_is_closed_by_the_operator_with_the_phones_talk_time(
    app, softphones
):
    app.customer_phone = softphones[0]
    async with app.run_test(size=SIZE) as pilot:
        await jana_on_f3(pilot, campaign())
        await dial_next(pilot, "accept")
        await wait_until(pilot, lambda: "Answered" in dial_line(app), timeout=20)
        app.clock.advance(42)
        assert softphones[0].command("hangup")["ok"]  # the customer hangs up
        await wait_until(pilot, lambda: "Hung up" in dial_line(app), timeout=20)
        app.clock.advance(20)  # wrap-up: not talk time
        await pilot.press("ctrl+e", "4", "enter")  # the operator's outcome; no callback
        await wait_until(pilot, lambda: len(attempts(app)) == 1)
        with app.require_services().db.read() as session:
            (call,) = session.scalars(select(Call)).all()
        assert call.talk_seconds == 42 and call.answered_at is not None


async def test_progressive_mode_dials_after_the_countdown_and_escape_stops_it(app, softphones):
    app.customer_phone = softphones[0]
    async with app.run_test(size=SIZE) as pilot:
        progressive = {"progressive": True, "countdown_seconds": 2}
        await jana_on_f3(pilot, campaign("first", **progressive), campaign("second", **progressive))
        await dial_next(pilot, "hangup")
        countdown = app.screen.query_one("#dial-countdown", InPlaceText)
        await wait_until(pilot, lambda: "dialled in" in str(countdown.text), timeout=20)
        # no key: the countdown takes the next lead and dials it
        await wait_until(pilot, lambda: ringing(app), timeout=20)
        assert softphones[0].command("hangup")["ok"]
        await wait_until(pilot, lambda: len(attempts(app)) == 2, timeout=20)
        await wait_until(pilot, lambda: app.screen.counting_down)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.counting_down and not countdown.display
        started = time.monotonic()
        while time.monotonic() - started < 3:
            await pilot.pause(0.2)
        assert not app.screen.lead_open  # nothing dialled after the stop


async def test_a_live_call_is_transferred_to_the_team_lead(app, softphones, tmp_path):
    app.customer_phone = softphones[0]
    third = Softphone(tmp_path / "lead", "lead200").start()
    try:
        app.settings = replace(app.settings, transfer_to=f"Team lead={third.uri}, Billing=301")
        async with app.run_test(size=SIZE) as pilot:
            await jana_on_f3(pilot, campaign())
            await dial_next(pilot, "accept")
            await wait_until(pilot, lambda: "Answered" in dial_line(app), timeout=20)
            await pilot.press("ctrl+x", "1")
            await wait_until(pilot, lambda: "Transferred" in dial_line(app), timeout=20)
            try:
                await wait_until(pilot, lambda: reached(third), timeout=10)
            except AssertionError:
                print("".join(third.log))
                raise
            notes = app.screen.query_one("#lead-notes", TextArea).text
            assert "Transferred to Team lead" in notes
            ws = app.require_services()
            await wait_until(pilot, lambda: ws.phone.latest("101").end_reason == "transferred")
            await pilot.press("ctrl+e", "9", "enter")  # transferred to a colleague
            await wait_until(pilot, lambda: len(attempts(app)) == 1)
            with ws.db.read() as session:
                (call,) = session.scalars(select(Call)).all()
            assert "Transferred to Team lead" in call.notes
    finally:
        third.stop()


def reached(phone: Softphone) -> bool:
    return any("Incoming call" in line or "incoming call" in line for line in phone.log)


async def test_an_incoming_call_is_transferred_from_f2(app, softphones, tmp_path):
    customer, operator = softphones
    third = Softphone(tmp_path / "billing", "billing301").start()
    try:
        app.settings = replace(app.settings, transfer_to=f"Billing={third.uri}")
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "jana")
            await wait_until(pilot, lambda: "softphone" not in app.phone_line, timeout=20)
            assert customer.dial(operator)["ok"]
            await wait_until(pilot, lambda: on_f2_call(app), timeout=20)
            operator.press("a")  # the operator answers on the softphone
            await wait_until(pilot, lambda: app.screen.call.answered_at is not None, timeout=20)
            await pilot.press("ctrl+x", "1")
            await wait_until(pilot, lambda: reached(third), timeout=20)
            ws = app.require_services()
            key = app.screen.call.phone_key
            await wait_until(pilot, lambda: ws.phone.call(key).end_reason == "transferred")
            notes = app.screen.query_one("#notes", TextArea).text
            assert "Transferred to Billing" in notes
    finally:
        third.stop()


def on_f2_call(app: CCTerminal) -> bool:
    call = getattr(app.screen, "call", None)
    return call is not None and bool(call.phone_key)


async def test_a_number_nobody_has_is_flagged_invalid(app, softphones):
    """No gateway: the bare number goes to baresip, which completes it with its own
    account's domain; no account there has that user, so the call ends 404 Not Found."""
    app.settings = replace(app.settings, sip_gateway="")
    async with app.run_test(size=SIZE) as pilot:
        await jana_on_f3(pilot, campaign())
        await pilot.press("n")
        await wait_until(pilot, lambda: len(attempts(app)) == 1, timeout=20)
        (attempt,) = attempts(app)
        assert attempt.disposition == "DC" and "404" in attempt.note
        phone = app.require_services().phone.latest("101")
        assert (phone.end_reason, phone.end_code) == ("failed", 404)
