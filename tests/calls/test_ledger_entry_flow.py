"""The ledger during a call (issue 23 §2): Enter opens an entry whole (every field, the notes
unabridged, the request's steps), the columns share the width by what they hold, and the
newest open request is on the card itself."""

import pytest
from textual.widgets import Static

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.calls.ledger_entry import LedgerEntryDialog
from cc_terminal.widgets.ledger import WITH_AUTHOR, ledger_columns
from cc_terminal.widgets.row_table import RowTable
from tests.tui import SIZE, make_app, pop_caller, seed_history, settle


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def lines_of(table: RowTable) -> list[list[str]]:
    return [table.cell_texts(index) for index in range(table.row_count)]


async def open_entry(pilot, kind: str) -> LedgerEntryDialog:
    app = pilot.app
    table = app.screen.query_one("#ledger-table", RowTable)
    index = [row[1] for row in lines_of(table)].index(kind)
    await pilot.press("ctrl+l", *["down"] * index, "enter")
    await settle(pilot)
    assert isinstance(app.screen, LedgerEntryDialog)
    return app.screen


async def test_enter_opens_a_request_whole_with_its_steps(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seed_history(app, clock)
        await pop_caller(pilot, "601123456")
        dialog = await open_entry(pilot, "Request")
        fields = str(dialog.query_one("#entry-fields", Static).content)
        assert "Check the roaming charges" in fields and "Jana Svobodová" in fields
        steps = str(dialog.query_one("#entry-steps", Static).content).splitlines()
        assert steps[0] == "Its history, oldest first:" and len(steps) == 3
        assert "roaming desk" in steps[2]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)


async def test_a_long_note_is_shown_whole_not_cut(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seed_history(app, clock)
        await pop_caller(pilot, "601123456")
        dialog = await open_entry(pilot, "Escalation")
        assert "Wants a manager" in str(dialog.query_one("#entry-fields", Static).content)


async def test_the_newest_open_request_is_on_the_card(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seed_history(app, clock)
        await pop_caller(pilot, "601123456")
        details = str(app.screen.query_one("#card-details").text)
        assert "Open request: Billing" in details
        assert "Technical support: Check the roaming charges" in details


@pytest.mark.parametrize("width", [48, 60, 78, 99, 100, 118])
@pytest.mark.parametrize("needs", [(8, 8), (28, 21), (60, 60)])
def test_the_columns_fit_the_width_and_the_subject_and_result_come_first(width, needs):
    widths = dict(ledger_columns(width, needs))
    assert sum(widths.values()) + len(widths) - 1 <= width
    for title, need in zip(("Subject", "Result"), needs, strict=True):
        assert widths[title] >= min(need, 8)
    if "Detail" in widths:  # the subject and the result whole first (up to 34)
        assert widths["Subject"] >= min(needs[0], 34) and widths["Result"] >= min(needs[1], 34)
        assert widths["Detail"] >= 12
    assert ("By" in widths) is (width >= WITH_AUTHOR)


def test_at_120_columns_a_visit_s_subject_and_result_are_whole():
    needs = (len("Technician visit · 490,00 Kč"), len("✗ Too expensive"))
    widths = dict(ledger_columns(78, needs))  # the caller's pane at 120 columns
    assert widths["Subject"] >= needs[0] and widths["Result"] >= needs[1]
