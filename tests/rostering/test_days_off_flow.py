"""F6 from the keyboard: an operator asks for a day off and submits it, cancels another;
a team lead approves with the preview, rejects with a reason, decides marked requests at
once, solves, pins and publishes the week, which the operator then sees; F6 from a text
area; the header's reminder as the cutoff nears."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Select, TextArea

from cc_terminal.models import RequestState
from cc_terminal.screens.rostering.days_off import DaysOffScreen
from cc_terminal.screens.rostering.dialogs import DayOffForm, ReasonForm
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.row_table import RowTable
from tests.conftest import KNOWN_PHONE, login
from tests.rostering.days_off_floor import WEEK, set_up_days_off
from tests.tui import SIZE, make_app, pop_caller, settle, settled_until, sign_in, type_text

S = RequestState


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def cells(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, RowTable)
    return [table.cell_texts(index) for index in range(table.row_count)]


async def open_f6(pilot, username: str) -> DaysOffScreen:
    await settle(pilot)
    set_up_days_off(pilot.app.require_services())
    await sign_in(pilot, username)
    await pilot.press("f6")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DaysOffScreen)
    return pilot.app.screen


async def test_an_operator_asks_for_a_day_off_submits_and_cancels(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_f6(pilot, "petr")
        await pilot.press(*["down"] * 9, "o")  # Wed 09.12.
        await settle(pilot)
        assert isinstance(app.screen, DayOffForm)
        app.screen.query_one("#off-shift", Select).value = "late"
        app.screen.query_one("#off-note").value = "parents' evening"
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = cells(app, "#off-days")[9]
        assert row[1].startswith("late P2") and row[2] == "draft"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cells(app, "#off-days")[9][2] == "submitted"
        assert "Submitted 1 request." in [str(n.message) for n in app._notifications]
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [str(n.message) for n in app._notifications] == [
            "No drafts to submit: O asks for a day off first."
        ]
        await pilot.press("x")
        await settle(pilot)
        mine = app.require_services().days_off.mine(login(app.require_services(), "petr"))
        assert {r.state for r in mine if r.day == WEEK + timedelta(days=2)} == {S.CANCELLED}


async def test_a_lead_approves_rejects_with_a_reason_and_decides_marked_ones(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_f6(pilot, "lead")
        await pilot.press("2", "right_square_bracket")
        await settle(pilot)
        queue = cells(app, "#off-queue")
        assert [row[1] for row in queue] == ["Karel Malý", "Eva Černá", "Petr Dvořák"]
        assert "Thu early 6 → 5 of 3" in str(screen.query_one("#off-preview").content)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReasonForm)
        assert app.screen.title_text() == "Reject Karel Malý, Thu 10.12. whole day: why?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            app.screen.query_one("#reason-field", FormField).error
            == "Say why; the operator sees it."
        )
        app.screen.query_one("#off-reason").value = "Month-end close"
        await pilot.press("ctrl+s")
        # decided: out of the queue (the save, then the reload, each in a worker)
        assert await settled_until(
            pilot, lambda: "Karel Malý" not in [row[1] for row in cells(app, "#off-queue")]
        )
        await pilot.press("space", "down", "space")
        await settle(pilot)
        assert "Approving Eva Černá Fri 11.12., Petr Dvořák Sat 12.12." in str(
            screen.query_one("#off-preview").content
        )
        await pilot.press("a")
        await settle(pilot)
        assert cells(app, "#off-queue") == []
        requests = app.require_services().days_off.requests(
            login(app.require_services(), "lead"), WEEK
        )
        states = {
            r.operator_name: r.state
            for r in requests
            if r.reason != "Tuesday late is short already"
        }
        assert states == {
            "Karel Malý": S.REJECTED,
            "Eva Černá": S.APPROVED,
            "Petr Dvořák": S.APPROVED,
            "Jana Svobodová": S.APPROVED,
        }


async def test_the_review_s_cursor_stays_on_its_line_after_a_decision(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_f6(pilot, "lead")
        await pilot.press("2", "right_square_bracket", "down", "a")
        assert await settled_until(
            pilot,
            lambda: [row[1] for row in cells(app, "#off-queue")] == ["Karel Malý", "Petr Dvořák"],
        )
        assert app.screen.query_one("#off-queue", RowTable).cursor_row == 1  # on Petr now
        await pilot.press("space")
        await settle(pilot)
        assert app.screen.query_one("#off-queue", RowTable).cursor_row == 1  # marking keeps it


async def test_a_lead_solves_pins_and_publishes_and_the_operator_sees_the_week(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_f6(pilot, "lead")
        await pilot.press("4", "right_square_bracket", "s")
        await settle(pilot)
        explained = str(screen.query_one("#off-explained").content)
        assert "Thu 10.12. early cover would be 2 < 3" in explained
        assert "✗ Karel Malý, Thu 10.12. whole day: Thu 10.12. early cover" in explained
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")  # the first operator, Monday early
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert cells(app, "#off-roster")[0][1] == "E*"
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        printout = app.settings.data_dir / "exports" / f"roster-{WEEK.isoformat()}.txt"
        assert max(len(line) for line in printout.read_text().splitlines()) <= 80
        await pilot.press("ctrl+o")
        await settle(pilot)
        app.screen.query_one("#username").value = ""
        await sign_in(pilot, "jana")
        await pilot.press("f6")
        await settle(pilot)
        shown = [row[4] for row in cells(app, "#off-days")[7:]]
        assert shown[5] == "off" and all(shown)  # her approved Saturday, a shift every day


async def test_f6_works_from_the_notes_of_a_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, KNOWN_PHONE)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.focused, TextArea)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, DaysOffScreen)


async def test_the_header_reminds_an_operator_as_the_cutoff_nears(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        clock.advance(4 * 24 * 3600)  # Tuesday 1 December: the cutoff is Wednesday 18:00
        app.poll_escalations()
        await settle(pilot)
        assert app.days_off_due == "✎ days off due Wed 18:00 · F6"


async def test_a_lead_sets_the_rules_and_revokes_an_approved_day_with_a_reason(app):
    from cc_terminal.screens.rostering.dialogs import RulesForm
    from cc_terminal.screens.tally.dialogs import PickList

    async with app.run_test(size=SIZE) as pilot:
        await open_f6(pilot, "lead")
        await pilot.press("3", "u")
        await settle(pilot)
        assert isinstance(app.screen, RulesForm)
        app.screen.query_one("#off-floor").value = "many"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#floor_heads-field", FormField).error == "A whole number."
        app.screen.query_one("#off-floor").value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.require_services().days_off.rules()["floor_heads"] == 2
        await pilot.press("2", "right_square_bracket", "v")
        await settle(pilot)
        assert isinstance(app.screen, PickList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonForm)
        app.screen.query_one("#off-reason").value = "Audit on Saturday"
        await pilot.press("ctrl+s")
        await settle(pilot)
        requests = app.require_services().days_off.requests(
            login(app.require_services(), "lead"), WEEK
        )
        assert {r.operator_name: (r.state, r.reason) for r in requests}["Jana Svobodová"] == (
            S.REVOKED,
            "Audit on Saturday",
        )


def test_the_reject_dialog_names_five_marked_requests_and_counts_the_rest():
    import uuid
    from datetime import date

    from cc_terminal.screens.rostering.views import reject_title
    from cc_terminal.services.rostering.days_off import RequestView

    def asked(name: str, day: int, shift: str) -> RequestView:
        when = date(2026, 12, day)
        return RequestView(
            uuid.uuid4(), uuid.uuid4(), name, when, shift, 2, "", S.SUBMITTED, "", False, False
        )

    chosen = [asked(f"Op {n}", 7 + n, ("", "early", "late")[n % 3]) for n in range(7)]
    lines = reject_title(chosen).splitlines()
    assert lines[0] == "Reject these 7 requests: why?"
    assert lines[1:4] == [
        "· Op 0, Mon 07.12. whole day",
        "· Op 1, Tue 08.12. early shift",
        "· Op 2, Wed 09.12. late shift",
    ]
    assert lines[-1] == "· and 2 more" and len(lines) == 7


async def test_what_is_typed_right_behind_o_is_all_in_the_day_off_form(app):
    """O on the operator's days and what follows queued at once, as a fast typist's keys
    reach the app: 3 picks the late shift, 1 the priority and the note is whole (they had
    reached the list: lost, or run F6's digits and letters)."""
    async with app.run_test(size=SIZE) as pilot:
        await open_f6(pilot, "petr")
        await type_text(pilot, "o31exam day")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DayOffForm)
        assert form.query_one("#off-shift", Select).value == "late"
        assert form.query_one("#off-priority", Select).value == "1"
        assert form.query_one("#off-note").value == "exam day"


async def test_a_reason_typed_right_behind_r_is_all_in_the_reject_form(app):
    """R on the lead's review queue and the reason queued at once: the whole reason is in
    the form R opened (it had reached the queue and was lost)."""
    async with app.run_test(size=SIZE) as pilot:
        await open_f6(pilot, "lead")
        await pilot.press("2", "right_square_bracket")
        await settle(pilot)
        await type_text(pilot, "rMonth-end close")
        await settle(pilot)
        assert isinstance(app.screen, ReasonForm)
        assert app.screen.query_one("#off-reason").value == "Month-end close"
