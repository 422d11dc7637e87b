"""An escalation from the keyboard: the lead opens it on F7 (the customer, the call's
notes whole, the steps), takes it, notes, hands it back with advice or resolves it with
an outcome; the operator who raised it is told and reads the answer on their F7."""

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from cc_terminal.models.base import new_id
from cc_terminal.screens.calls.escalation_dialog import CustomerCardDialog, EscalationDialog
from cc_terminal.screens.calls.escalation_step_form import EscalationStepForm
from cc_terminal.screens.calls.escalation_words import OUTCOME_LABELS
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.services.calls.escalation_steps import OUTCOMES
from cc_terminal.services.calls.escalations import EscalationDraft
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until

LONG_NOTES = (
    "Wants a manager: billed twice for roaming in Serbia,\n"
    "says the shop promised a credit of 200 CZK and nobody called back."
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def raise_one(ws, clock, notes=LONG_NOTES):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    draft = EscalationDraft(new_id(), customer_id, clock.now - timedelta(minutes=4), "", notes)
    return ws.escalations.raise_(login(ws, "jana"), draft)


def cells(app, table_id):
    table = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app, selector):
    return str(app.screen.query_one(selector, Static).render())


def step_kinds(app):
    return [kind for (kind,) in rows(app.services, "SELECT kind FROM escalation_step ORDER BY seq")]


async def open_first_escalation(pilot):
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("2", "enter")
    await settle(pilot)


def test_every_outcome_has_words():
    assert set(OUTCOME_LABELS) == set(OUTCOMES)


async def test_a_lead_opens_takes_notes_and_hands_it_back(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raise_one(app.services, clock)
        await wait_until(pilot, lambda: app.escalations_waiting == 1)
        await pilot.press("f7")
        await settle(pilot)
        assert cells(app, "#escalation-queue")[0][6] == LONG_NOTES.replace("\n", "␊")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)
        assert "Jan Novák" in shown(app, "#escalation-customer")
        assert "+420 601 123 456" in shown(app, "#escalation-customer")
        assert "nobody called back." in shown(app, "#escalation-call")  # whole, not cut
        assert not app.screen.check_action("hand_back", ())
        await pilot.press("t")
        await settle(pilot)
        assert "Lída Vedoucí took it" in shown(app, "#escalation-steps")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EscalationStepForm)
        await type_text(pilot, "Billing confirms the double charge")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await type_text(pilot, "Offer the 200 CZK credit, it is approved")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)
        assert "handed it back with advice" in shown(app, "#escalation-steps")
        assert step_kinds(app) == ["taken", "note", "advice"]
        assert not app.screen.check_action("take", ())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert cells(app, "#escalation-queue")[0][1] == "handed back · Lída Vedoucí"


async def test_the_lead_resolves_with_an_outcome_by_its_digit(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raised = raise_one(app.services, clock)
        app.services.escalations.take(app.actor, raised.id)
        await open_first_escalation(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("2")
        await type_text(pilot, "Credit note 17 issued")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)
        assert rows(app.services, "SELECT kind, outcome, text FROM escalation_step")[-1] == (
            "resolved",
            "credit",
            "Credit note 17 issued",
        )
        assert rows(app.services, "SELECT status FROM escalation") == [("resolved",)]
        assert not app.screen.check_action("resolve", ())
        assert "Credit or refund given" in shown(app, "#escalation-steps")


async def test_advice_without_words_is_flagged_and_nothing_is_stored(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raised = raise_one(app.services, clock)
        app.services.escalations.take(app.actor, raised.id)
        await open_first_escalation(pilot)
        await pilot.press("h")
        await settle(pilot)
        await type_text(pilot, "   ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EscalationStepForm)
        assert app.screen.query_one("#text-field").error == "Required."
        assert step_kinds(app) == ["taken"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)


async def test_c_shows_the_customers_card_and_its_ledger(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raise_one(app.services, clock)
        await open_first_escalation(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CustomerCardDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)
        viewed = rows(app.services, "SELECT detail FROM audit_event WHERE kind='customer.viewed'")
        assert ("escalation",) in viewed


async def test_the_operator_is_told_and_reads_the_advice_on_f7(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        ws = app.services
        raised = raise_one(ws, clock)
        lead = login(ws, "lead")
        ws.escalations.take(lead, raised.id)
        ws.escalations.hand_back(lead, raised.id, "Offer the 200 CZK credit")
        badge = app.screen.query_one("#header-answers")
        await wait_until(pilot, lambda: "1 answer from your lead" in str(badge.content))
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "tab-mine"
        line = cells(app, "#my-escalations")[0]
        assert line[1] == "● new answer" and line[4] == "Offer the 200 CZK credit"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EscalationDialog)
        assert "Offer the 200 CZK credit" in shown(app, "#escalation-steps")
        for lead_only in ("take", "note", "hand_back", "resolve"):
            assert not app.screen.check_action(lead_only, ())
        await pilot.press("escape")
        await settle(pilot)
        await wait_until(pilot, lambda: not app.screen.query_one("#header-answers").display)
        assert step_kinds(app)[-1] == "seen"
        assert cells(app, "#my-escalations")[0][1] == "handed back"


async def test_notes_and_advice_are_drawn_as_typed_never_as_markup(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raised = raise_one(app.services, clock, notes="[/] [bold red]not bold[/]")
        app.services.escalations.take(app.actor, raised.id)
        app.services.escalations.hand_back(app.actor, raised.id, "[link=x]click[/link] [/]")
        await open_first_escalation(pilot)
        assert isinstance(app.screen, EscalationDialog)
        assert "[/] [bold red]not bold[/]" in shown(app, "#escalation-call")
        assert "[link=x]click[/link] [/]" in shown(app, "#escalation-steps")
        await pilot.press("escape")
        await settle(pilot)
        assert cells(app, "#escalation-queue")[0][6] == "[/] [bold red]not bold[/]"


async def test_the_columns_share_the_new_width_when_the_terminal_narrows(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        raise_one(app.services, clock)
        await open_first_escalation(pilot)
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one("#escalation-queue", DataTable)
        wide = list(table.columns.values())[-1].width
        assert 40 < wide < len(LONG_NOTES)  # the rest of 120 columns; the notes wrap in it
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrowed = list(table.columns.values())[-1].width
        assert narrowed < wide and table.rows[next(iter(table.rows))].height > 3
