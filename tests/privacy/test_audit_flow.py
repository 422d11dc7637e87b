"""The team lead's privacy screens from the keyboard. The audit trail (F10, T): filters,
a bad day refused next to its field, Ctrl+E exports; an operator's card opening and a
refused action show in it. Data protection requests (F10, P): find, export, erase with a
reference. Snapshots of the trail, a refused filter, the requests screen and the erase
prompt."""

import pytest
from textual.widgets import Select

from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.privacy.audit_trail import AuditTrailScreen
from cc_terminal.screens.privacy.data_requests import DataRequestsScreen
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.widgets.form_field import FormField
from tests.conftest import KNOWN_PHONE, login
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import SIZE, both_sizes, make_app, pop_caller, settle, sign_in, still, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def an_operators_shift(pilot):
    """Jana opens a caller's card and tries a team lead's export; then the lead signs in."""
    await pop_caller(pilot, KNOWN_PHONE)
    ws = pilot.app.require_services()
    with pytest.raises(PermissionDenied):
        ws.roster.export(login(ws, "jana"), ws.calls.clock().date(), ws.settings.data_dir / "r.csv")
    await pilot.press("ctrl+r", "enter", "down", "enter", "ctrl+e", "1")
    await settle(pilot)
    await pilot.press("ctrl+o")
    await settle(pilot)
    await sign_in(pilot, "lead")


async def from_setup(pilot, key: str) -> None:
    """F10, then the key of one of the team lead's screens."""
    await pilot.press("f10")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def open_trail(pilot):
    await from_setup(pilot, "t")


async def test_a_lead_reads_filters_and_exports_the_trail(app):
    async with app.run_test(size=SIZE) as pilot:
        await an_operators_shift(pilot)
        await open_trail(pilot)
        screen = app.screen
        assert isinstance(screen, AuditTrailScreen)
        kinds = [entry.kind for entry in screen.entries]
        assert {"customer.viewed", "customer.looked_up", "permission.refused", "logout"} <= set(
            kinds
        )
        await pilot.press("ctrl+f")
        screen.query_one("#audit-group", Select).value = "permission"
        await settle(pilot)
        assert [entry.subject for entry in screen.entries] == ["RosterService.export"]
        await pilot.press("tab", "tab")  # past the user name, to the first day
        await type_text(pilot, "32.13.2026")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#since-field", FormField).error
        assert screen.query_one("#audit-since").value == "32.13.2026"  # kept as typed
        for _char in "32.13.2026":
            await pilot.press("backspace")
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query_one("#since-field", FormField).error
        assert app.focused is screen.query_one("#audit-events")
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        exported = app.require_services().settings.data_dir / "audit-trail.csv"
        assert "RosterService.export" in exported.read_text(encoding="utf-8-sig")
        assert exported.stat().st_mode & 0o777 == 0o600
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditTrailScreen)


async def test_an_operator_finds_no_way_to_the_trail(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await open_trail(pilot)
        assert not isinstance(app.screen, AuditTrailScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Audit trail" not in titles


async def test_the_trail_says_when_its_chain_was_last_verified(app):
    from cc_terminal.services.privacy.audit_verify import verify
    from cc_terminal.widgets.in_place_text import InPlaceText

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await open_trail(pilot)
        shown = app.screen.query_one("#audit-verified", InPlaceText)
        assert "never verified" in str(shown.text)
        await pilot.press("escape")
        verify(app.require_services().db, app.clock)
        await open_trail(pilot)
        shown = app.screen.query_one("#audit-verified", InPlaceText)
        assert "Verified 27.11.2026 09:30: the chain was intact" in str(shown.text)


@both_sizes
def test_audit_trail_screen(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(an_operators_shift, open_trail, still)
    )


@both_sizes
def test_audit_trail_refused_day(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            an_operators_shift,
            open_trail,
            keys("ctrl+f", "tab", "tab"),
            typed("yesterday"),
            keys("enter"),
            still,
        ),
    )


async def open_data_requests(pilot):
    await sign_in(pilot, "lead")
    await from_setup(pilot, "p")


async def test_a_lead_exports_and_erases_a_customer_from_the_keyboard(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_data_requests(pilot)
        screen = app.screen
        assert isinstance(screen, DataRequestsScreen)
        assert not screen.check_action("erase", ())  # nobody found yet
        await type_text(pilot, "601 123 456")
        await pilot.press("enter")
        await settle(pilot)
        assert [item.name for item in screen.found] == ["Jan Novák"]
        customer = screen.found[0].id
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("enter")  # the file offered
        await settle(pilot)
        written = app.require_services().settings.data_dir / f"customer-{customer.hex[-8:]}.json"
        assert "Jan Novák" in written.read_text(encoding="utf-8")
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")  # no reference: refused next to the field
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await type_text(pilot, "GDPR 2026/7")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.found == []
        assert app.require_services().customers.card(customer).full_name == "(erased)"


@both_sizes
def test_data_protection_screen(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(open_data_requests, typed("novak"), keys("enter"), still),
    )


@both_sizes
def test_erase_prompt(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            open_data_requests, typed("novak"), keys("enter"), keys("ctrl+x"), typed("GDPR 2026/7")
        ),
    )


async def test_a_search_too_short_is_said_next_to_the_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_data_requests(pilot)
        await type_text(pilot, "x")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert "two letters" in screen.query_one("#search-field", FormField).error
        assert screen.query_one("#privacy-search").value == "x"
        assert not screen.check_action("export", ())
