"""The call screen's states that the fewer-keys work added (issue 23): a ledger entry opened
whole, a request typed right after its category's digit, Escape asking before throwing a
typed form away, and the outcome a request proposes; at 120x40 and at 80x24."""

import pytest

from cc_terminal.i18n import _
from tests.screens.test_snapshots import history, keys, steps, typed
from tests.tui import SIZE, make_app, sign_in


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


@pytest.fixture(params=[SIZE, (80, 24)], ids=["120x40", "80x24"])
def size(request):
    return request.param


def test_ledger_entry_opened_whole(snap_compare, size, app, clock):
    async def open_the_request(pilot):
        table = pilot.app.screen.query_one("#ledger-table")
        kinds = [table.cell_texts(index)[1] for index in range(table.row_count)]
        await pilot.press("ctrl+l", *["down"] * kinds.index(_("Request")), "enter")

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in, history(app, clock), typed("601123456"), keys("enter"), open_the_request
        ),
    )


def test_complaint_request_typed_after_its_digit(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("ctrl+t", "2"),
            typed("The technician did not come on Monday."),
        ),
    )


def test_throwing_away_a_typed_form_asks(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("ctrl+t", "2"),
            typed("No signal"),
            keys("escape"),
        ),
    )


def test_the_outcome_a_request_proposes(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("ctrl+t", "2"),
            typed("No signal"),
            keys("ctrl+s"),
            keys("ctrl+e"),
        ),
    )
