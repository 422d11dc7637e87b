"""Pictures of F3 dialling at 80x24 and 120x40 (English and Czech): the lead's card while
its number rings, and progressive mode's countdown after a busy number closed its lead.
A small fake of baresip's ctrl_tcp (a thread on 127.0.0.1, the real link's wire: JSON in
netstrings) answers the dial and says the call rings (or is busy), so the pictures are the
same on every run; the real softphones are in test_dial_flow.py."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.services.phone.events import NetstringReader, netstring
from tests.conftest import login
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns
from tests.phone.test_phone_screens import SIZES, header_phone, phone_app
from tests.screens.test_snapshots import keys, steps
from tests.tui import settle, sign_in, still, wait_until


class FakeBaresip:
    """Answers every command ok; a dial is followed by CALL_RINGING (and, ``busy``, by
        CALL_CLOSED "486 Busy Here"). Each client on its own thread: the English picture's
    app may still hold its connection when the Czech twin's connects."""

    def __init__(self, busy: bool = False) -> None:
        self.busy = busy
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.follow, args=(client,), daemon=True).start()

    def follow(self, client: socket.socket) -> None:
        with client:
            self.answer(client)

    def answer(self, client: socket.socket) -> None:
        reader = NetstringReader()
        while data := client.recv(65536):
            for frame in reader.feed(data):
                command = json.loads(frame)
                answer = {"response": True, "ok": True, "data": "", "token": command["token"]}
                client.sendall(netstring(json.dumps(answer).encode()))
                if command["command"] == "dial":
                    self.call(client, command["params"])

    def call(self, client: socket.socket, uri: str) -> None:
        event = {"event": True, "class": "call", "direction": "outgoing", "peeruri": uri}
        client.sendall(netstring(json.dumps(event | {"type": "CALL_RINGING", "id": "c1"}).encode()))
        if self.busy:
            closed = event | {"type": "CALL_CLOSED", "id": "c1", "param": "486 Busy Here"}
            client.sendall(netstring(json.dumps(closed).encode()))

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def ringing() -> Iterator[FakeBaresip]:
    fake = FakeBaresip()
    yield fake
    fake.close()


@pytest.fixture
def busy() -> Iterator[FakeBaresip]:
    fake = FakeBaresip(busy=True)
    yield fake
    fake.close()


def two_leads(progressive: bool):
    async def seed(pilot) -> None:
        ws = pilot.app.require_services()
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        if progressive:
            sales = ws.campaigns.get(SALES)
            changed = replace(sales, progressive=True, countdown_seconds=30)
            ws.campaigns.update(lead, changed, sales.version)
        for phone, name in (("+420777400001", "Hana Horká"), ("+420777400002", "Ivan Ivanov")):
            add(ws, lead, SALES, [(phone, name)], "hot", assign_to=("jana",))
            pilot.app.clock.advance(1)

    return seed


async def connected(pilot) -> None:
    await sign_in(pilot, "jana")
    app = pilot.app
    await wait_until(
        pilot, lambda: "softphone" not in header_phone(app) and bool(header_phone(app))
    )


def dial_says(words_en: str, words_cs: str):
    async def wait(pilot) -> None:
        def shown() -> bool:
            screen = pilot.app.screen
            if not isinstance(screen, OutboundScreen):
                return False
            text = str(screen.query_one("#lead-dial").text)
            return words_en in text or words_cs in text

        await wait_until(pilot, shown)
        await settle(pilot)

    return wait


async def countdown_held(pilot) -> None:
    """The countdown on screen, held at its first second for the picture."""
    await wait_until(pilot, lambda: getattr(pilot.app.screen, "counting_down", False))
    screen = pilot.app.screen
    assert isinstance(screen, OutboundScreen) and screen._countdown is not None
    screen._countdown.pause()
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_f3_dialling_a_lead(snap_compare, sqlite_url, tmp_path, clock, ringing, size):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=ringing.address)
    run = steps(connected, two_leads(False), keys("f3"), keys("n"), dial_says("Ringing", "Vyzvání"))
    assert snap_compare(app, terminal_size=size, run_before=steps(run, still))


@pytest.mark.parametrize("size", SIZES)
def test_f3_progressive_countdown(snap_compare, sqlite_url, tmp_path, clock, busy, size):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=busy.address)
    run = steps(connected, two_leads(True), keys("f3"), keys("n"), countdown_held)
    assert snap_compare(app, terminal_size=size, run_before=steps(run, still))


async def test_leaving_f3_stops_the_countdown(sqlite_url, tmp_path, clock, busy):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=busy.address)
    async with app.run_test(size=(120, 40)) as pilot:
        await connected(pilot)
        await two_leads(True)(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.counting_down)
        await pilot.press("f5")  # away: a ring bringing up F2 does the same
        await settle(pilot)
        assert not screen.counting_down
        screen.start_countdown(1)  # a closing that lands while F3 is not up dials nothing
        assert not screen.counting_down


async def test_without_a_live_softphone_the_lead_opens_and_says_dial_by_hand(
    sqlite_url, tmp_path, clock
):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone="127.0.0.1:9")
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "jana")
        await two_leads(False)(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("n")
        screen = app.screen
        await wait_until(pilot, lambda: "Dial by hand" in str(screen.query_one("#lead-dial").text))
        assert screen.lead_open and screen.dialled is None
