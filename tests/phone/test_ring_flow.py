"""The ring on F2 (Pilot, headless): a ring through the terminal's socket pops the
caller's card with the call started at the ring, the phone's answer and hang-up set its
times, the saved call is linked; a second ring during a call is a notice; a number that
does not parse is shown escaped and the lookup says so; a ring storm leaves the UI free;
a ring reaches F2 from another area's dialog; a ring for another extension never pops."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from textual.widgets import Input

from cc_terminal.app import CCTerminal
from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind, to_json
from cc_terminal.services.phone.local_socket import forward, socket_path
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.tui import (
    SIZE,
    choose_first_reason,
    make_app,
    settle,
    sign_in,
    type_text,
    wait_until,
)

RING, ANSWER, HANGUP = PhoneEventKind.RING, PhoneEventKind.ANSWER, PhoneEventKind.HANGUP


@pytest.fixture
def app(sqlite_url, tmp_path, clock) -> CCTerminal:
    made = make_app(sqlite_url, tmp_path, clock)
    made.settings = replace(made.settings, phone_extension="101")
    return made


def event(app, kind, key="pbx:1", number=KNOWN_PHONE, seconds=0.0, extension="101"):
    at = app.clock() + timedelta(seconds=seconds)
    return PhoneEvent(kind, key, extension, number, at)


async def send(app: CCTerminal, *events: PhoneEvent) -> None:
    path = socket_path(app.settings, "101")
    for one in events:
        assert await asyncio.to_thread(forward, path, one) == ""


def f2(app) -> IncomingCallScreen:
    found = [s for s in app.screen_stack if isinstance(s, IncomingCallScreen)]
    assert found, "F2 is not up"
    return found[0]


def noticed(app, words: str) -> bool:
    return any(words in str(notice.message) for notice in app._notifications)


def popped(app, name: str) -> bool:
    screen = app.screen
    return (
        isinstance(screen, IncomingCallScreen)
        and screen.card is not None
        and (screen.card.full_name == name)
    )


async def test_a_ring_pops_the_card_and_the_phone_times_the_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f5")  # away from F2: the ring brings it back
        rang = event(app, RING)
        await send(app, rang)
        await wait_until(pilot, lambda: popped(app, "Jan Novák"))
        call = f2(app).call
        assert call.started_at == rang.at and call.phone_key == "pbx:1"
        assert app.screen.query_one("#phone", Input).value == "+420 601 123 456"
        await send(app, event(app, ANSWER, seconds=4))
        await wait_until(pilot, lambda: f2(app).call.answered_at is not None)
        await send(app, event(app, RING, key="pbx:2", number="+420602000111"))
        await wait_until(
            pilot, lambda: any("Another call ringing" in str(n.message) for n in app._notifications)
        )
        assert f2(app).card.full_name == "Jan Novák"  # the second ring replaced nothing
        await send(app, event(app, HANGUP, seconds=64))
        await wait_until(pilot, lambda: f2(app).call.hung_up_at == rang.at + timedelta(seconds=64))
        app.clock.advance(70)
        await choose_first_reason(pilot)
        await pilot.press("ctrl+e", "1")
        await settle(pilot)
        await wait_until(pilot, lambda: f2(app).call is None)
        ws = app.require_services()
        linked = ws.phone.call("pbx:1")
        assert linked.call_id is not None and linked.operator_id == app.actor.operator_id
        (talk,) = rows(ws, "SELECT talk_seconds FROM call")
        assert talk == (60,)


async def test_an_unparsable_number_is_shown_escaped_and_said_unknown(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await send(app, event(app, RING, number="anon\x1b[31m"))
        await wait_until(pilot, lambda: "Unknown number" in f2(app).field("phone").error)
        shown = app.screen.query_one("#phone", Input).value
        assert "\x1b" not in shown and shown.startswith("anon")
        assert f2(app).call is None and f2(app).ringing is not None


async def test_a_new_number_opens_the_new_customer_form_and_the_call_starts_at_the_ring(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        rang = event(app, RING, number="+420 777 000 999")
        await send(app, rang)
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
        await settle(pilot)
        assert f2(app).ringing is not None and f2(app).ringing.call_key == "pbx:1"
        await type_text(pilot, "Eva Nová")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: popped(app, "Eva Nová"))
        assert f2(app).call.started_at == rang.at and f2(app).call.phone_key == "pbx:1"


async def test_a_ring_for_another_extension_never_pops(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f5")
        await send(app, event(app, RING, extension="102"))
        await settle(pilot)
        assert app.current_mode == "tally"
        assert app.require_services().phone.call("pbx:1") is None


async def test_a_ring_storm_never_freezes_the_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        path = socket_path(app.settings, "101")
        lines = b"".join(
            to_json(event(app, RING, key=f"pbx:{n % 5}", seconds=n / 1000)).encode() + b"\n"
            for n in range(1000)
        )

        def storm() -> None:
            import socket

            with socket.socket(socket.AF_UNIX) as connection:
                connection.connect(str(path))
                connection.sendall(lines)
                connection.shutdown(socket.SHUT_WR)
                while connection.recv(65536):
                    pass

        sending = asyncio.create_task(asyncio.to_thread(storm))
        await pilot.press("ctrl+f")  # keys are still answered while the storm is read
        await sending
        await wait_until(pilot, lambda: f2(app).call is not None)
        calls = rows(app.require_services(), "SELECT count(*) FROM phone_call")
        assert calls == [(5,)]


async def test_a_real_sip_call_pops_the_card_and_the_softphone_times_it(
    sqlite_url, tmp_path, clock, softphones
):
    customer, operator = softphones  # the customer's number is Jan Novák's
    app = make_app(sqlite_url, tmp_path, clock)
    app.settings = replace(app.settings, phone_extension="101", softphone=operator.address)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await wait_until(pilot, lambda: app.phone_line == "☎ 101")  # connected
        await asyncio.to_thread(customer.dial, operator)
        await wait_until(pilot, lambda: popped(app, "Jan Novák"))
        assert f2(app).call.phone_key.startswith("baresip:101:")
        operator.press("a")  # answered on the softphone
        await wait_until(pilot, lambda: f2(app).call.answered_at is not None)
        await asyncio.to_thread(customer.command, "hangup")
        await wait_until(pilot, lambda: f2(app).call.hung_up_at is not None)
        operator.stop()
        await wait_until(pilot, lambda: "reconnecting" in app.phone_line)
        operator.start()
        await wait_until(pilot, lambda: app.phone_line == "☎ 101", timeout=30)


@pytest.mark.postgres
async def test_server_mode_a_ring_stored_elsewhere_pops_by_notify(pg_url, tmp_path, clock):
    app = make_app(pg_url, tmp_path, clock)
    app.settings = replace(app.settings, phone_extension="101")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f5")
        await settle(pilot)
        elsewhere = app.require_services()  # a webhook on another host: no socket reached
        lead = await asyncio.to_thread(login, elsewhere, "lead")
        await asyncio.to_thread(elsewhere.phone.apply, lead, event(app, RING, seconds=1))
        await wait_until(pilot, lambda: popped(app, "Jan Novák"))
        assert f2(app).call.phone_key == "pbx:1"


async def test_a_ring_never_shows_over_the_lock(app):
    from cc_terminal.screens.session.lock import LockScreen

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        await pilot.press("f5")
        await settle(pilot)
        app.push_screen(LockScreen())
        await settle(pilot)
        await send(app, event(app, RING))
        await wait_until(pilot, lambda: app.require_services().phone.call("pbx:1") is not None)
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.current_mode == "tally"
        assert not noticed(app, "ringing")
