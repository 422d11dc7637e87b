"""The tally from the keyboard: F5's periods and tabs, a claim with + from a call, a bad
claim and a bad period kept as typed, Ctrl+B's pause in the header, and a team lead's team
view, disputes, pay plan, quality form, scoring, complaint and closing a period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from textual.widgets import TabbedContent, TextArea

from cc_terminal.models import (
    DisputeDecision,
    OperatorComplaint,
    PayPlan,
    QaEvaluation,
    TallyClaim,
)
from cc_terminal.screens.tally.dialogs import (
    ClaimForm,
    ClosePeriodForm,
    ComplaintForm,
    DecisionForm,
    PausePicker,
    PeriodForm,
    PickList,
)
from cc_terminal.screens.tally.setup import PlanForm, QaFormEditor, ScoreForm
from cc_terminal.screens.tally.tally import TallyScreen
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.row_table import RowTable
from tests.conftest import KNOWN_PHONE
from tests.tally.tally_floor import set_up_tally
from tests.tui import SIZE, make_app, pop_caller, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, RowTable)
    return [table.cell_texts(index) for index in range(table.row_count)]


def stored(app, model):
    with app.require_services().db.read() as session:
        return session.scalars(select(model)).all()


async def open_tally(pilot, username: str = "jana") -> TallyScreen:
    await settle(pilot)
    set_up_tally(pilot.app.require_services(), pilot.app.clock)
    await sign_in(pilot, username)
    await pilot.press("f5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TallyScreen)
    return screen


def field_error(app, name: str) -> str:
    return app.screen.query_one(f"#{name}-field", FormField).error


async def test_my_tally_follows_the_period_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tally(pilot)
        figures = {row[0]: row for row in rows(app, "#tally-figures")}
        assert figures["Calls handled"][1] == "5" and figures["Calls handled"][2] == "≥ 6"
        assert figures["Successes"][1] == "4"
        await pilot.press("w")
        await settle(pilot)
        assert screen.period.kind == "week"
        week_calls = int({r[0]: r for r in rows(app, "#tally-figures")}["Calls handled"][1])
        assert week_calls > 5
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.period.end < app.clock().date()
        await pilot.press("m", "3")
        await settle(pilot)
        assert "Pay under Mix with a gate" in str(screen.query_one("#tally-pay").content)
        await pilot.press("4")
        await settle(pilot)
        classes = {row[1] for row in rows(app, "#tally-claims")}
        assert {"Matched", "Outcome mismatch", "Claim only", "Record only"} <= classes


async def test_a_chosen_period_that_ends_before_it_starts_is_refused_as_typed(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tally(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PeriodForm)
        end = app.screen.query_one("#tally-end")
        end.value = ""
        end.focus()
        await type_text(pilot, "1.11.2026")
        start = app.screen.query_one("#tally-start")
        start.value = "20.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "end") == "The period ends before it starts."
        assert end.value == "1.11.2026"
        start.value = "1.11.2026"
        end.value = "20.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.period.days == 20


async def test_plus_claims_a_sale_about_the_call_on_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, KNOWN_PHONE)
        call_id = app.screen.call.call_id
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, ClaimForm)
        assert "Jan Novák" in app.screen.title_text()
        await pilot.press("tab")
        await type_text(pilot, "-5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "amount") == "More than 0, at most two decimals."
        assert stored(app, TallyClaim) == []
        amount = app.screen.query_one("#tally-amount")
        amount.value = "599"
        await pilot.press("ctrl+s")
        await settle(pilot)
        claims = stored(app, TallyClaim)
        assert len(claims) == 1 and claims[0].call_id == call_id
        assert claims[0].amount_minor == 59900 and claims[0].kind == "sale"
        # The records decide: a claim with no recorded sale is not a success yet.
        assert "0 successes" in str(app.screen.query_one("#today").render())


async def test_ctrl_b_pauses_with_a_reason_and_resumes(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, PausePicker)
        await pilot.press("2")
        await settle(pilot)
        assert "Lunch (unpaid) since 09:30" in app.pause_line
        assert app.require_services().work_clock.paused(app.require_actor()) is not None
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert app.pause_line == ""
        assert app.require_services().work_clock.paused(app.require_actor()) is None


async def test_a_lead_opens_an_operators_tally_from_the_team_view(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tally(pilot, "lead")
        await pilot.press("6")
        await settle(pilot)
        names = [row[0] for row in rows(app, "#team-pane RowTable")]
        assert names == ["Jana Svobodová", "Petr Dvořák"]
        await pilot.press("s")  # by calls, most first
        await settle(pilot)
        assert rows(app, "#team-pane RowTable")[0][0] == "Jana Svobodová"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#tally-tabs", TabbedContent).active == "tally-tab-figures"
        assert screen.report is not None and screen.report.current.operator.username == "petr"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.report.current.operator.username == "lead"


async def test_a_lead_decides_disputes_with_a_note(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("7")
        await settle(pilot)
        disputes = rows(app, "#disputes-pane RowTable")
        assert len(disputes) == 2 and all(row[-1] == "waiting" for row in disputes)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, DecisionForm)
        assert app.screen.title_text().replace("\xa0", " ") == (
            "Reject: Jana Svobodová · 27.11. 08:30 · Outcome mismatch · Sale"
            " · claimed 899,00 Kč · the records show 449,00 Kč"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "note") == "Required."
        await type_text(pilot, "No such sale in billing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("down", "y")
        await settle(pilot)
        await type_text(pilot, "Visit is in the diary")
        await pilot.press("ctrl+s")
        await settle(pilot)
        decisions = stored(app, DisputeDecision)
        assert sorted(d.accepted for d in decisions) == [False, True]
        assert {row[-1].split(":")[0] for row in rows(app, "#disputes-pane RowTable")} == {
            "accepted",
            "rejected",
        }


async def test_a_pay_plan_missing_a_rate_shows_it_next_to_the_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlanForm)
        await type_text(pilot, "HOUR")
        await pilot.press("enter")
        await type_text(pilot, "Hourly only")
        app.screen.query_one("#plan-scheme").value = "hourly"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "hourly") == "This scheme needs the rate (0 is a rate)."
        app.screen.query_one("#plan-hourly").value = "150"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[0] for row in rows(app, "#plans-pane RowTable")] == ["HOUR", "MIX"]


async def test_a_per_chat_rate_typed_in_the_plan_form_is_checked_and_stored(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("8", "enter")  # the mix plan, changed
        await settle(pilot)
        assert isinstance(app.screen, PlanForm)
        app.screen.query_one("#plan-per_message").focus()
        await pilot.press("enter")  # the field after the messages' rate
        assert app.screen.focused is app.screen.query_one("#plan-per_chat")
        await type_text(pilot, "1.5x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "per_chat") == "A number such as 6.00."
        app.screen.query_one("#plan-per_chat").focus()
        await pilot.press("backspace")
        await type_text(pilot, "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PlanForm)
        (plan,) = stored(app, PayPlan)
        assert (plan.per_chat_minor, plan.version) == (150, 2)


async def test_a_quality_form_with_weights_summing_to_zero_is_refused(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("9", "n")
        await settle(pilot)
        assert isinstance(app.screen, QaFormEditor)
        await type_text(pilot, "SHORT")
        await pilot.press("enter")
        await type_text(pilot, "Short")
        app.screen.query_one("#qa-questions", TextArea).text = "0 Greeting\n0 Closing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "sum to zero" in field_error(app, "questions")
        app.screen.query_one("#qa-questions", TextArea).text = "1 Greeting\n2! Identity"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[0] for row in rows(app, "#forms-pane RowTable")] == ["CALL", "SHORT"]


async def test_a_lead_scores_a_chosen_call_with_the_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("6", "c")
        await settle(pilot)
        assert isinstance(app.screen, PickList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ScoreForm)
        await pilot.press("y")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not answered" in str(app.screen.query_one("#form-message").content)
        await pilot.press("n", "a")
        await pilot.press("tab")
        await type_text(pilot, "Skipped the identity check")
        await pilot.press("ctrl+s")
        await settle(pilot)
        evaluations = [e for e in stored(app, QaEvaluation) if e.note.startswith("Skipped")]
        assert len(evaluations) == 1 and evaluations[0].auto_failed


async def test_a_lead_records_a_complaint_and_cannot_close_an_open_period(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await pilot.press("6", "k")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "note") == "Required."
        app.screen.query_one("#tally-complaint-note").value = "Was rude to the client."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(stored(app, OperatorComplaint)) == 2
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ClosePeriodForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#period-field", FormField).error)
        assert message == "Only a finished period can be closed."
        await pilot.press("escape")
        app.clock.advance(timedelta(days=10).total_seconds())
        await pilot.press("left_square_bracket")  # yesterday, long finished
        await settle(pilot)
        await pilot.press("l", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TallyScreen)
        assert app.require_services().tally.closed_periods()


async def test_a_team_leads_nine_tabs_fit_80_columns_in_czech(sqlite_url, tmp_path, clock):
    """Czech words are longer: below 100 columns the pay plans' and quality forms' tabs
    take their shortest titles when the line needs it, and every tab keeps its digit."""
    app = make_app(sqlite_url, tmp_path, clock, language="cs")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tally(pilot, "lead")
        tabs = screen.query_one("#tally-tabs", TabbedContent)
        labels = [tabs.get_tab(f"tally-tab-{name}").label.plain for name in screen.tabs()]
        assert labels[7:] == ["8 Plány", "9 Formuláře"]
        assert sum(len(label) + 1 for label in labels) <= 80
        assert screen.tab_labels(120)["plans"] == "8 Mzdové plány"


@pytest.mark.parametrize(
    ("keys", "field"),
    [("7r", "#tally-decision-note"), ("8n", "#plan-code")],  # a dispute rejected; a new plan
)
async def test_what_is_typed_right_behind_a_lead_panes_letter_is_all_in_its_form(app, keys, field):
    """A lead pane's letter that opens a form, and what is typed behind it queued at once,
    as a fast typist's keys reach the app: the whole of it is in the form's first field (it
    had reached the pane's list: lost, or run F5's letters, T, W and M a period)."""
    async with app.run_test(size=SIZE) as pilot:
        await open_tally(pilot, "lead")
        await type_text(pilot, keys + "TWM 2")
        await settle(pilot)
        assert app.screen.query_one(field).value == "TWM 2"
