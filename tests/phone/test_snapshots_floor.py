"""How F7's phone tabs look at 80x24 and 120x40 (and in Czech): the floor board with
operators ringing, on a call, in wrap-up past the limit (an alert row), paused, signed
out; the missed calls with one given out and the picker; the operator's own callbacks."""

import pytest

from tests.phone.floor_pilot import scene
from tests.screens.test_snapshots import keys, steps
from tests.tui import still

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def snap(snap_compare, app, size, *actions):
    return snap_compare(app, terminal_size=size, run_before=steps(*actions, still))


@pytest.mark.parametrize("size", SIZES)
def test_floor_board_with_an_alert(snap_compare, app, size):
    assert snap(snap_compare, app, size, scene("lead", floor=True, missed=True), keys("4"))


@pytest.mark.parametrize("size", SIZES)
def test_missed_calls_one_given_out(snap_compare, app, size):
    assert snap(snap_compare, app, size, scene("lead", missed=True, given_to="jana"), keys("5"))


@pytest.mark.parametrize("size", SIZES)
def test_giving_a_callback(snap_compare, app, size):
    assert snap(
        snap_compare, app, size, scene("lead", floor=True, missed=True), keys("5", "down", "g")
    )


@pytest.mark.parametrize("size", SIZES)
def test_my_callbacks(snap_compare, app, size):
    assert snap(snap_compare, app, size, scene("jana", missed=True, given_to="jana"), keys("6"))
