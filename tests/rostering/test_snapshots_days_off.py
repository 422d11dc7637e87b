"""How F6 looks: my two weeks, the form for a day off, the review grid with the heads left,
the preview of marked requests, the needs, and the solved roster with its explanations."""

import pytest

from tests.rostering.days_off_floor import set_up_days_off
from tests.screens.test_snapshots import keys, steps
from tests.tui import BOTH_SIZES, make_app, settle, sign_in, still


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def on_f6(username: str):
    async def signed_in_on_f6(pilot):
        await settle(pilot)
        set_up_days_off(pilot.app.require_services())
        await sign_in(pilot, username)
        await pilot.press("f6")
        await settle(pilot)

    return signed_in_on_f6


@BOTH_SIZES
def test_my_days_off(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(on_f6("jana"), still))


@BOTH_SIZES
def test_asking_for_a_day_off(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_f6("petr"), keys(*["down"] * 12, "o"), still)
    )


@BOTH_SIZES
def test_review_grid_with_coverage_and_a_preview(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            on_f6("lead"), keys("2", "right_square_bracket", "space", "down", "space"), still
        ),
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_reject_dialog_names_the_request(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_f6("lead"), keys("2", "right_square_bracket", "r"), still),
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_reject_dialog_names_each_marked_request(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            on_f6("lead"),
            keys("2", "right_square_bracket", "space", "down", "space", "r"),
            still,
        ),
    )


@BOTH_SIZES
def test_needs(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_f6("lead"), keys("3", "right_square_bracket"), still),
    )


@BOTH_SIZES
def test_solved_roster_with_explanations(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_f6("lead"), keys("4", "right_square_bracket", "s"), still),
    )


@BOTH_SIZES
def test_rejecting_asks_for_a_reason(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_f6("lead"), keys("2", "right_square_bracket", "space", "r"), still),
    )


@BOTH_SIZES
@pytest.mark.parametrize("key", ["n", "e", "u"], ids=["heads", "erlang-c", "rules"])
def test_the_needs_dialogs(snap_compare, app, key, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_f6("lead"), keys("3", key), still)
    )
