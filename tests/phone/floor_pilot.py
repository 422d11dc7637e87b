"""F7's phone tabs reached through Pilot, for the flows and the pictures alike: the scene
(floor_scenes' records, then who signs in), the lead's board of six, the lead's missed
calls, and the operator's first callback opened on F2."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from cc_terminal.screens.calls.floor_pane import FloorPane
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.workstation import Workstation
from tests.phone.floor_scenes import floor_of_six, missed_calls
from tests.tui import settle, sign_in, wait_until

Step = Callable[[Pilot], Awaitable[None]]


def scene(username: str, *, floor: bool = False, missed: bool = False, given_to: str = "") -> Step:
    """floor_of_six's people and/or the two missed calls (one given to ``given_to``), then
    ``username`` signs in; an operator goes on to F7."""

    async def set_up(pilot: Pilot) -> None:
        await settle(pilot)
        ws = pilot.app.require_services()
        if floor:
            floor_of_six(ws)
        if missed:
            missed_calls(ws, given_to=given_to)
        await sign_in(pilot, username)
        if given_to == username:  # the header's badges as their first poll shows them
            pilot.app.poll_escalations()
            await settle(pilot)
        if username != "lead":
            await pilot.press("f7")
            await settle(pilot)

    return set_up


def board(pilot: Pilot) -> FloorPane:
    return pilot.app.screen.query_one(FloorPane)


async def lead_on_the_board_of_six(pilot: Pilot) -> Workstation:
    """floor_of_six's people on the lead's floor board (F7, 4), all six rows read."""
    await scene("lead", floor=True)(pilot)
    await pilot.press("4")
    await wait_until(pilot, lambda: len(board(pilot).rows) == 6)
    ws: Workstation = pilot.app.require_services()
    return ws


async def lead_on_the_missed_calls(pilot: Pilot) -> Workstation:
    """The two missed calls, none given yet, on the lead's tab (F7, 5)."""
    await scene("lead", missed=True)(pilot)
    await pilot.press("5")
    await settle(pilot)
    ws: Workstation = pilot.app.require_services()
    return ws


async def open_the_first_callback(pilot: Pilot) -> IncomingCallScreen:
    """On F7: My callbacks (6), Enter on the first; F2 open on its caller's card."""
    await pilot.press("6")
    await settle(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IncomingCallScreen))
    screen = pilot.app.screen
    assert isinstance(screen, IncomingCallScreen)
    await wait_until(pilot, lambda: screen.call is not None)
    return screen
