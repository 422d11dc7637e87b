"""The floor's limits from the keyboard (F10, F): digits, Enter moves on, Enter on the last
saves; a wrong number is said next to its field and what was typed stays; the board reads
the new limits. Pictures of the form, and of a refusal, at both sizes (and in Czech)."""

from __future__ import annotations

import pytest

from cc_terminal.screens.setup.floor_limits import FloorLimitsForm
from cc_terminal.screens.setup.setup import SetupScreen
from cc_terminal.services.phone.floor_views import FloorLimits
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from tests.screens.test_snapshots import keys, steps
from tests.tui import settle, settled_until, sign_in, still, type_text, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_the_form(pilot) -> None:
    await sign_in(pilot, "lead")
    await pilot.press("f10")
    await settle(pilot)
    await pilot.press("f")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FloorLimitsForm))
    await settle(pilot)


def _errors(app) -> dict[str, str]:
    return {field.name: field.error for field in app.screen.query(FormField) if field.error}


async def test_a_lead_sets_the_floors_limits_from_the_keyboard(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_form(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "30")
        await pilot.press("enter", "ctrl+u")
        await type_text(pilot, "0")
        await pilot.press("enter", "enter", "ctrl+u")  # the wrap-up's 120 stays
        await type_text(pilot, "90")
        await pilot.press("enter")  # on the last field (a chat's first response) it saves
        await settle(pilot)
        assert isinstance(app.screen, FloorLimitsForm)
        assert _errors(app) == {"pause_minutes": "A whole number from 1 to 480."}
        assert app.screen.query_one("#floor-pause-minutes", FormInput).value == "0"
        assert app.screen.query_one("#floor-service-seconds", FormInput).value == "30"
        assert app.require_services().floor_settings.limits() == FloorLimits()
        await pilot.press("ctrl+u")
        await type_text(pilot, "10")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen))
        ws = app.require_services()
        await settled_until(pilot, lambda: ws.floor_settings.limits() != FloorLimits())
        assert ws.floor_settings.limits() == FloorLimits(30, 10, 120, 90)
        lead = app.require_actor()
        assert ws.floor_board.view(lead).limits == FloorLimits(30, 10, 120, 90)


async def test_an_operator_has_no_floor_limits(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert not isinstance(app.screen, FloorLimitsForm)


async def _opened(pilot) -> None:
    await settle(pilot)
    await open_the_form(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_floor_limits_form(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(_opened, still))


@pytest.mark.parametrize("size", SIZES)
def test_floor_limits_refused(snap_compare, app, size):
    refuse = keys("ctrl+u", "9", "9", "9", "9", "ctrl+s")
    assert snap_compare(app, terminal_size=size, run_before=steps(_opened, refuse, still))
