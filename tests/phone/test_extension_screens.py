"""K on F10's Accounts tab sets an account's phone extension (a bad one said next to the
field, what was typed kept; one taken by another account refused in words), and a
terminal follows its signed-in account's extension over its own: a ring on the account's
extension pops the card there. Pictures of the form at 80x24 and 120x40 (en, cs)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.setup.account_extension import AccountExtensionForm
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.local_socket import forward, socket_path
from cc_terminal.widgets.form_field import FormField
from tests.conftest import KNOWN_PHONE, login
from tests.phone.test_phone_screens import SIZES
from tests.screens.test_snapshots import keys, steps
from tests.tui import SIZE, make_app, settle, sign_in, still, type_text, wait_until


async def to_janas_extension(pilot) -> None:
    await sign_in(pilot, "lead")
    await pilot.press("f10", "u")
    await settle(pilot)
    await type_text(pilot, "svob")  # Jana Svobodová
    await pilot.press("down", "k")
    await settle(pilot)


def field_error(app) -> str:
    return app.screen.query_one(FormField).error


async def test_the_lead_sets_an_extension_and_jana_follows_it(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.services is not None)
        ws = app.require_services()
        ws.account_list.set_extension(login(ws, "lead"), "petr", "102")
        await to_janas_extension(pilot)
        assert isinstance(app.screen, AccountExtensionForm)
        await type_text(pilot, "1 01")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "1 to 16 letters" in field_error(app))
        assert app.screen.query_one("#account-extension").value == "1 01"  # kept
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "102")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "102 is the extension of petr" in field_error(app))
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "101")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, AccountExtensionForm))
        (jana,) = [v for v in ws.account_list.accounts(login(ws, "lead")) if v.username == "jana"]
        assert jana.phone_extension == "101"


async def test_a_terminal_follows_the_accounts_extension(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    app.settings = replace(app.settings, phone_extension="555")  # the desk's own
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.services is not None)
        ws = app.require_services()
        ws.account_list.set_extension(login(ws, "lead"), "jana", "101")
        await sign_in(pilot, "jana")
        await wait_until(pilot, lambda: app.phone_extension == "101")
        path = socket_path(app.settings, "101")
        await wait_until(pilot, path.exists)
        ring = PhoneEvent(PhoneEventKind.RING, "pbx:7", "101", KNOWN_PHONE, clock())
        assert await asyncio.to_thread(forward, path, ring) == ""
        await wait_until(
            pilot, lambda: isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        )
        # the card opens before the ring's write (app_phone.py: F2 need not wait for it)
        await wait_until(pilot, lambda: ws.phone.call("pbx:7") is not None)
        stored = ws.phone.call("pbx:7")
        assert stored is not None and stored.operator_id == app.actor.operator_id
        assert not socket_path(app.settings, "555").exists()


@pytest.mark.parametrize("size", SIZES)
def test_account_extension_form(snap_compare, sqlite_url, tmp_path, clock, size):
    app = make_app(sqlite_url, tmp_path, clock)
    refused = steps(to_janas_extension, keys(*"1 01"), keys("ctrl+s"), still)
    assert snap_compare(app, terminal_size=size, run_before=refused)
