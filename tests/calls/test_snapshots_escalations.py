"""How an escalation looks at 80x24 and 120x40: the lead's queue with notes that wrap,
the escalation opened, its note, advice and outcome forms, the steps after advice, and the
operator's own list with the answer and the answer opened."""

from datetime import timedelta

import pytest

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.escalations import EscalationDraft
from tests.conftest import KNOWN_PHONE, login
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import make_app, settle, sign_in, still, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
NOTES = (
    "Wants a manager: billed twice for roaming in Serbia,\n"
    "says the shop promised a credit of 200 CZK and nobody called back."
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def escalated(username: str, *, taken: bool = False, advice: str = ""):
    """An escalation of Jana's call (taken and answered if asked), then sign-in as
    ``username``; no badge poll races the picture: the state is there before sign-in."""

    async def set_up(pilot):
        await settle(pilot)
        ws = pilot.app.require_services()
        clock = pilot.app.clock
        customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        draft = EscalationDraft(
            new_id(), customer_id, clock() - timedelta(minutes=4), "complaint", NOTES
        )
        raised = ws.escalations.raise_(login(ws, "jana"), draft)
        lead = login(ws, "lead")
        if taken or advice:
            ws.escalations.take(lead, raised.id)
            ws.escalations.add_note(lead, raised.id, "Billing confirms the double charge.")
        if advice:
            ws.escalations.hand_back(lead, raised.id, advice)
        await sign_in(pilot, username)
        app = pilot.app
        waiting = 0 if taken or advice or username != "lead" else 1
        answers = 1 if advice and username == "jana" else 0
        # The header's first poll (and its toast) before the picture, never during it.
        await wait_until(
            pilot, lambda: (app.escalations_waiting, app.answers_waiting) == (waiting, answers)
        )
        app.clear_notifications()
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)

    return set_up


def snap(snap_compare, app, size, *actions):
    return snap_compare(app, terminal_size=size, run_before=steps(*actions, still))


@pytest.mark.parametrize("size", SIZES)
def test_lead_queue_with_notes_wrapped(snap_compare, app, size):
    assert snap(snap_compare, app, size, escalated("lead"), keys("2"))


@pytest.mark.parametrize("size", SIZES)
def test_escalation_opened_by_the_lead(snap_compare, app, size):
    assert snap(snap_compare, app, size, escalated("lead"), keys("2", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_escalation_after_advice(snap_compare, app, size):
    advice = "Offer the 200 CZK credit; it is approved. Call me if he refuses."
    assert snap(snap_compare, app, size, escalated("lead", advice=advice), keys("2", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_hand_back_form(snap_compare, app, size):
    assert snap(
        snap_compare,
        app,
        size,
        escalated("lead", taken=True),
        keys("2", "enter", "h"),
        typed("Offer the credit"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_resolve_form_with_an_outcome_picked(snap_compare, app, size):
    assert snap(
        snap_compare, app, size, escalated("lead", taken=True), keys("2", "enter", "r", "2")
    )


@pytest.mark.parametrize("size", SIZES)
def test_advice_without_words_refused(snap_compare, app, size):
    assert snap(
        snap_compare, app, size, escalated("lead", taken=True), keys("2", "enter", "h", "ctrl+s")
    )


@pytest.mark.parametrize("size", SIZES)
def test_operators_list_with_a_new_answer(snap_compare, app, size):
    advice = "Offer the 200 CZK credit; it is approved."
    assert snap(snap_compare, app, size, escalated("jana", advice=advice), keys("3"))


@pytest.mark.parametrize("size", SIZES)
def test_operator_reads_the_answer(snap_compare, app, size):
    advice = "Offer the 200 CZK credit; it is approved."
    assert snap(snap_compare, app, size, escalated("jana", advice=advice), keys("3", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_customer_card_from_an_escalation(snap_compare, app, size):
    assert snap(snap_compare, app, size, escalated("lead"), keys("2", "enter", "c"))
