"""The phone's screens: E on F10 (the operator's and the lead's) sets this terminal's
extension and softphone, kept in its settings file and used at once; pictures at 80x24 and
120x40 of the card a ring popped, the header's softphone-absent state and the phone form."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from textual.widgets import Label

from cc_terminal.config import Settings
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.setup.terminal_phone import TerminalPhoneForm
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.local_socket import forward, socket_path
from cc_terminal.widgets.form_field import FormField
from tests.conftest import KNOWN_PHONE
from tests.pgserver import free_port
from tests.screens.test_snapshots import keys, steps
from tests.tui import SIZE, make_app, settle, sign_in, still, type_text, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def phone_app(sqlite_url, tmp_path, clock, **phone: str):
    app = make_app(sqlite_url, tmp_path, clock)
    app.settings = replace(app.settings, **phone)
    return app


def on_a_call(app) -> bool:
    return isinstance(app.screen, IncomingCallScreen) and app.screen.call_open


def header_phone(app) -> str:
    return str(app.screen.query_one("#header-phone", Label).render())


async def test_the_operators_f10_sets_this_terminals_phone(sqlite_url, tmp_path, clock):
    app = phone_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f10", "e")
        await settle(pilot)
        assert isinstance(app.screen, TerminalPhoneForm)
        await type_text(pilot, "1 01")
        await pilot.press("tab")
        await type_text(pilot, "localhost")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 to 16 letters" in app.screen.query_one("FormField").error
        assert "host and port" in list(app.screen.query("FormField"))[1].error
        await pilot.press("end", "ctrl+u")  # the first field refused has the focus
        await type_text(pilot, "101")
        await pilot.press("tab", "end", "ctrl+u", "ctrl+s")
        await settle(pilot)
        await wait_until(pilot, lambda: app.settings.phone_extension == "101")
        kept = json.loads((tmp_path / "terminal.json").read_text())
        assert kept == {
            "phone_extension": "101",
            "softphone": "",
            "sip_gateway": "",
            "transfer_to": "",
        }
        assert Settings.from_env(data_dir=tmp_path).phone_extension == "101"
        ring = PhoneEvent(PhoneEventKind.RING, "pbx:9", "101", KNOWN_PHONE, clock())
        path = socket_path(app.settings, "101")
        await wait_until(pilot, path.exists)
        assert await asyncio.to_thread(forward, path, ring) == ""
        await wait_until(
            pilot, lambda: isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        )


async def test_the_header_says_the_softphone_is_absent(sqlite_url, tmp_path, clock):
    absent = f"127.0.0.1:{free_port()}"
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=absent)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await wait_until(pilot, lambda: "softphone absent" in header_phone(app))


def rang(number: str = KNOWN_PHONE):
    async def ring(pilot) -> None:
        app = pilot.app
        await sign_in(pilot, "jana")
        event = PhoneEvent(PhoneEventKind.RING, "pbx:1", "101", number, app.clock())
        path = socket_path(app.settings, "101")
        assert await asyncio.to_thread(forward, path, event) == ""
        await wait_until(
            pilot, lambda: isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        )
        await settle(pilot)

    return ring


def signed_in(username: str = "jana"):
    async def sign(pilot) -> None:
        await sign_in(pilot, username)
        app = pilot.app  # the header's words are the twin's language: its state, then
        await wait_until(pilot, lambda: app.phone_link is not None and bool(header_phone(app)))

    return sign


@pytest.mark.parametrize("size", SIZES)
def test_card_popped_by_a_ring(snap_compare, sqlite_url, tmp_path, clock, size):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101")
    assert snap_compare(app, terminal_size=size, run_before=steps(rang(), still))


@pytest.mark.parametrize("size", SIZES)
def test_header_softphone_absent(snap_compare, sqlite_url, tmp_path, clock, size):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone="127.0.0.1:9")
    assert snap_compare(app, terminal_size=size, run_before=steps(signed_in(), still))


@pytest.mark.parametrize("size", SIZES)
def test_phone_form_on_f10(snap_compare, sqlite_url, tmp_path, clock, size):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone="127.0.0.1:9")
    assert snap_compare(
        app, terminal_size=size, run_before=steps(signed_in(), keys("f10", "e"), still)
    )


async def test_the_phone_form_names_a_bad_gateway_and_a_bad_target(sqlite_url, tmp_path, clock):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f10", "e")
        await settle(pilot)
        await refused_entries()(pilot)
        fields = {field.name: field for field in app.screen.query(FormField)}
        assert "not a URI" in fields["sip_gateway"].error
        assert "“Billing 301” is not a target" in fields["transfer_to"].error
        assert app.screen.query_one("#phone-transfer").value == "Team lead=200, Billing 301"
        assert not (tmp_path / "terminal.json").exists()  # nothing half-saved
        app.screen.query_one("#phone-gateway").value = "127.0.0.1:5070"
        app.screen.query_one("#phone-transfer").value = "Team lead=200, Billing=301"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.settings.transfer_to == "Team lead=200, Billing=301")
        kept = json.loads((tmp_path / "terminal.json").read_text())
        assert kept["sip_gateway"] == "127.0.0.1:5070"


def refused_entries():
    async def typed(pilot) -> None:
        await pilot.press("tab", "tab")
        await type_text(pilot, "sip:pbx@10.0.0.1")
        await pilot.press("tab")
        await type_text(pilot, "Team lead=200, Billing 301")
        await pilot.press("ctrl+s")
        await settle(pilot)

    return typed


@pytest.mark.parametrize("size", SIZES)
def test_phone_form_refusing_a_gateway_and_a_target(
    snap_compare, sqlite_url, tmp_path, clock, size
):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone="127.0.0.1:9")
    run = steps(signed_in(), keys("f10", "e"), refused_entries(), still)
    assert snap_compare(app, terminal_size=size, run_before=run)
