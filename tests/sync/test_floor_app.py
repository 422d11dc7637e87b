"""The workstation on a floor folder: the header says how the floor stands, and a team
lead decides a conflict from the keyboard (F11, L)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from cc_terminal.app import CCTerminal
from cc_terminal.screens.setup.conflicts import ConflictsScreen
from cc_terminal.services.common.views import Actor
from tests.sync.kit import Floor, Terminal, floor_settings, notes_conflict
from tests.tui import settle, sign_in, type_text, wait_until


async def test_a_lead_takes_the_losing_value_from_the_keyboard(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    t1, customer = notes_conflict(floor)
    floor.close()
    app = CCTerminal(floor_settings(floor, t1))
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "lead")
        await wait_until(pilot, lambda: "1 conflict to resolve" in app.storage_line)
        assert "floor folder" in app.storage_line
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        [conflict] = screen.conflicts
        await pilot.press("l")
        await settle(pilot)
        assert screen.conflicts == []
        assert app.require_services().customers.card(customer).notes == conflict.losing
        await pilot.press("escape")
        await wait_until(pilot, lambda: "conflict" not in app.storage_line)


@pytest.mark.parametrize("focused", ["#conflicts-table", "#refused-table"])
async def test_a_value_typed_right_behind_e_is_all_in_its_field(
    tmp_path: Path, focused: str
) -> None:
    """E on the conflicts list, or on the second list of the changes refused, and the words
    queued at once, as a fast typist's keys reach the app: all of them follow the value now
    in the field E opened (they had reached the list, where its K and L keep or take a
    value, or were lost)."""
    floor = Floor(tmp_path)
    t1, _customer = notes_conflict(floor)
    app = app_after_a_refused_forgery(floor, t1, t1.actor("petr"), t1.actor("lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "lead")
        await wait_until(pilot, lambda: "1 conflict to resolve" in app.storage_line)
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        [conflict] = screen.conflicts
        screen.set_focus(screen.query_one(focused))
        await settle(pilot)
        await type_text(pilot, "e kept by lead")
        await settle(pilot)
        field = screen.query_one("#conflicts-value", Input)
        assert field.value == f"{conflict.current} kept by lead"
        assert screen.conflicts == [conflict]


async def test_the_conflicts_key_is_the_team_leads_alone(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    t1 = floor.add("t1", seed=True)
    floor.close()
    app = CCTerminal(floor_settings(floor, t1))
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f11")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictsScreen)
        assert "f11" not in {b.binding.key for b in app.screen.active_bindings.values()}


async def test_a_refused_forgery_is_listed_under_f11(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    t1 = floor.add("t1", seed=True)
    petr = t1.ws.auth.login("petr", "petr-pass-1")
    app = app_after_a_refused_forgery(floor, t1, petr, t1.ws.auth.login("lead", "lead-pass-1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one("#refused-table")
        assert table.display and table.row_count == 1  # type: ignore[attr-defined]
        row = [str(cell) for cell in table.get_row_at(0)]  # type: ignore[attr-defined]
        assert row[2] == f"operator {petr.operator_id} (update)"
        assert "not signed" in row[3]


def app_after_a_refused_forgery(floor: Floor, t1: Terminal, petr: Actor, lead: Actor) -> CCTerminal:
    """Petr's role made "lead" by an op forged in the lead's name: t1 refuses it."""
    from tests.sync.forge import forge, op

    forge(floor, [op("operator", petr.operator_id, "update", {"role": "lead"}, lead.operator_id)])
    assert t1.round().refused == 1
    floor.close()
    return CCTerminal(floor_settings(floor, t1))
