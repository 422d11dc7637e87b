"""Keyboard flows of F3 (Pilot, headless, real SQLite file): the whole disposition chord,
callbacks, consent for a blocked lead, do-not-call on outbound and incoming calls."""

import pytest
from sqlalchemy import select
from textual.widgets import Select, TextArea

from cc_terminal.models import Consent, Lead, LeadAttempt, Objection, Offer
from cc_terminal.screens.outbound.consent_form import ConsentForm
from cc_terminal.screens.outbound.disposition_chord import DispositionChord
from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.widgets.in_place_text import InPlaceText
from tests.conftest import login
from tests.outbound.outbound_floor import SALES, SURVEY, add, set_up_campaigns
from tests.tui import SIZE, make_app, pop_caller, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def seed(app, **leads):
    ws = app.require_services()
    lead = login(ws, "lead")
    set_up_campaigns(ws, lead)
    for campaign, people, temperature in leads.values():
        add(ws, lead, campaign, people, temperature, assign_to=("jana",))
    return ws


async def to_outbound(pilot):
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OutboundScreen)


def stored(ws, model):
    with ws.db.read() as session:
        return session.scalars(select(model)).all()


async def test_a_refusal_is_closed_in_one_chord(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(app, hot=(SALES, [("+420777300001", "Hana Horká")], "hot"))
        await to_outbound(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert screen.lead_open and screen.card.customer.full_name == "Hana Horká"
        assert "Mobil M" in str(screen.query_one("#lead-script-text").content)
        assert "Existing customer" in str(screen.query_one("#lead-legal", InPlaceText).text)
        await type_text(pilot, "Has O2")
        await pilot.press("ctrl+e", "2", "1")  # not interested, too expensive: done
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen) and not app.screen.lead_open
        (attempt,) = stored(ws, LeadAttempt)
        assert (attempt.disposition, attempt.refusal_reason, attempt.note) == (
            "NI",
            "too_expensive",
            "Has O2",
        )
        (offer,) = stored(ws, Offer)
        assert not offer.accepted and offer.refusal_reason == "too_expensive"


async def type_a_callback(pilot, typed: str) -> None:
    """Sign in, take a hot lead, close it as "call back" and type the time, Enter."""
    await sign_in(pilot)
    seed(pilot.app, hot=(SALES, [("+420777300011", "Later Person")], "hot"))
    await to_outbound(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("ctrl+e", "3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DispositionChord)
    await type_text(pilot, typed)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_callback_is_typed_and_then_alerts(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await type_a_callback(pilot, "vcera 9")
        assert isinstance(app.screen, DispositionChord)  # refused, the typing kept
        assert "Not a time" in app.screen.query_one("#callback-field").error
        app.screen.query_one("#chord-callback").value = "+2h"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)
        clock.advance(2 * 3600 + 60)
        app.poll_escalations()
        await settle(pilot)
        assert app.callbacks_due == 1
        assert "1 callback due" in str(app.screen.query_one("#header-callbacks").content)
        assert app.screen.rows[0].status == "callback"


async def test_a_callback_day_that_passed_is_refused_and_next_year_is_said_so(app):
    async with app.run_test(size=SIZE) as pilot:  # the tests' day: Friday 27.11.2026
        await type_a_callback(pilot, "25.11. 10:00")
        assert isinstance(app.screen, DispositionChord)
        assert app.screen.query_one("#callback-field").error.startswith("That time has passed.")
        assert app.screen.query_one("#chord-callback").value == "25.11. 10:00"  # kept
        app.screen.query_one("#chord-callback").value = "5.1. 10:00"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)
        said = [n.message for n in app._notifications]
        assert any("Next call 05.01.2027 10:00." in message for message in said), said


async def test_a_blocked_lead_says_why_and_a_consent_unblocks_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(app, cold=(SALES, [("+420777300021", "Cold Person")], "cold"))
        await to_outbound(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert not app.screen.lead_open  # nothing callable: the lead lacks consent
        await pilot.press("enter")  # open it from the list
        await settle(pilot)
        legal = str(app.screen.query_one("#lead-legal", InPlaceText).text)
        assert "without consent" in legal
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ConsentForm)
        app.screen.query_one("#consent-source", Select).value = "earlier_call"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "consent recorded" in str(app.screen.query_one("#lead-legal").text).lower()
        (consent,) = stored(ws, Consent)
        assert (consent.phone_e164, consent.source) == ("+420777300021", "earlier_call")


async def test_do_not_call_is_one_key_in_an_outbound_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(
            app,
            hot=(SALES, [("+420777300031", "No Calls")], "hot"),
            survey=(SURVEY, [("+420777300031", "No Calls")], "hot"),
        )
        await to_outbound(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+d", "y")
        await settle(pilot)
        assert not app.screen.lead_open
        assert [o.phone_e164 for o in stored(ws, Objection)] == ["+420777300031"]
        assert app.screen.rows == ()  # the survey's lead of the same number is closed too


async def test_do_not_call_is_one_key_in_an_incoming_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+d", "y")
        await settle(pilot)
        ws = app.require_services()
        assert [o.phone_e164 for o in stored(ws, Objection)] == ["+420601123456"]
        assert app.screen.card.do_not_call


async def test_a_survey_needs_its_answers_before_it_counts_as_done(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(app, survey=(SURVEY, [("+420777300041", "Respondent")], "cold"))
        await to_outbound(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+e", "1")
        await settle(pilot)
        assert isinstance(app.screen, DispositionChord)
        assert "Required" in str(app.screen.query_one("#form-message").content)
        await pilot.press("escape")
        await settle(pilot)
        outbound = app.screen
        outbound.query_one("#answer-provider", Select).value = "habit"
        outbound.query_one("#answer-score", Select).value = "4"
        outbound.query_one("#lead-notes", TextArea).text = "Happy enough"
        await pilot.press("ctrl+e", "1")
        await settle(pilot)
        assert not app.screen.lead_open
        assert ws.surveys.counts(SURVEY, "score") == {"4": 1}


async def test_t_makes_the_highlighted_lead_warmer(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(app, survey=(SURVEY, [("+420777300041", "Olga Otázková")], "cold"))
        await to_outbound(pilot)
        screen = app.screen
        assert [row.temperature for row in screen.rows] == ["cold"]
        await pilot.press("t")
        await settle(pilot)
        assert [row.temperature for row in screen.rows] == ["warm"]
        await pilot.press("t", "t")  # hot, then round to cold again
        await settle(pilot)
        assert [row.temperature for row in screen.rows] == ["cold"]
        assert [lead.heat for lead in stored(ws, Lead)] == [0]
        assert "Olga Otázková is now cold." in [n.message for n in app._notifications]


async def test_f12_on_a_lead_asks_the_team_leads_and_says_to_stay_with_the_customer(app):
    from cc_terminal.models import Escalation

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = seed(app, hot=(SALES, [("+420777300001", "Hana Horká")], "hot"))
        await to_outbound(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        (escalation,) = stored(ws, Escalation)
        assert escalation.customer_id == app.screen.card.customer.id
        said = [notice.message for notice in app._notifications]
        assert "Escalated: the team leads see it now. Stay with the customer." in said
