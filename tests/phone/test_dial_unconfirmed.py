"""F3 keeps following a call whose dial was never confirmed: a fake of baresip's ctrl_tcp
(the link's wire, JSON in netstrings) takes the dial and never answers it, as a reply
lost on the way would; after the link gives up waiting, the card says the softphone did
not confirm, and the phone's events for the dialled number still drive it: a ring, then
486 closes the attempt as busy; a ring, an answer and a hang-up leave the outcome to the
operator with the phone's talk time. (A real baresip always answers its commands.)"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.services.phone.events import NetstringReader, netstring
from tests.phone.test_dial_flow import attempts
from tests.phone.test_dial_screens import connected, two_leads
from tests.phone.test_phone_screens import phone_app
from tests.tui import settle, wait_until

FIRST = "+420777400001"  # two_leads' first lead: N takes it


class MuteBaresip:
    """Answers no command; ``call`` sends the events of an outgoing call to the link."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.client: socket.socket | None = None
        self.dialled: list[str] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.client = client
            threading.Thread(target=self.swallow, args=(client,), daemon=True).start()

    def swallow(self, client: socket.socket) -> None:
        reader = NetstringReader()
        try:
            while data := client.recv(65536):
                for frame in reader.feed(data):
                    command = json.loads(frame)
                    if command["command"] == "dial":
                        self.dialled.append(command["params"])
        except OSError:
            return

    def call(self, *steps: tuple[str, str]) -> None:
        assert self.client is not None
        base = {"event": True, "class": "call", "direction": "outgoing", "id": "lost1"}
        for kind, param in steps:
            event = base | {"type": kind, "param": param, "peeruri": f"sip:{FIRST}@127.0.0.1"}
            self.client.sendall(netstring(json.dumps(event).encode()))

    def close(self) -> None:
        self.server.close()
        if self.client is not None:
            self.client.close()


@pytest.fixture
def mute() -> Iterator[MuteBaresip]:
    fake = MuteBaresip()
    yield fake
    fake.close()


def dial_line(app) -> str:
    screen = app.screen
    return str(screen.query_one("#lead-dial").text) if isinstance(screen, OutboundScreen) else ""


async def dialled_unconfirmed(pilot, mute: MuteBaresip) -> None:
    await connected(pilot)
    await two_leads(False)(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: mute.dialled == [FIRST])
    await wait_until(pilot, lambda: "did not confirm" in dial_line(pilot.app), timeout=15)


async def test_a_busy_call_closes_the_attempt_though_the_dial_was_never_confirmed(
    sqlite_url, tmp_path, clock, mute
):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=mute.address)
    async with app.run_test(size=(120, 40)) as pilot:
        await dialled_unconfirmed(pilot, mute)
        assert app.screen.dialled is not None
        mute.call(("CALL_RINGING", ""))
        await wait_until(pilot, lambda: "Ringing" in dial_line(app))
        mute.call(("CALL_CLOSED", "486 Busy Here"))
        await wait_until(pilot, lambda: len(attempts(app)) == 1)
        (attempt,) = attempts(app)
        assert attempt.disposition == "B" and "486" in attempt.note
        await wait_until(pilot, lambda: not app.screen.lead_open)
        ws = app.require_services()
        await wait_until(pilot, lambda: ws.phone.latest("101").call_id == attempt.call_id)


async def test_an_answered_call_is_followed_though_the_dial_was_never_confirmed(
    sqlite_url, tmp_path, clock, mute
):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=mute.address)
    async with app.run_test(size=(120, 40)) as pilot:
        await dialled_unconfirmed(pilot, mute)
        mute.call(("CALL_RINGING", ""), ("CALL_ESTABLISHED", ""))
        await wait_until(pilot, lambda: "Answered" in dial_line(app))
        app.clock.advance(30)
        mute.call(("CALL_CLOSED", "Connection reset by peer"))
        await wait_until(pilot, lambda: "Hung up" in dial_line(app))
        assert app.screen.dialled.answered_at is not None and attempts(app) == []


async def test_the_link_says_a_command_sent_and_never_answered_is_unconfirmed(mute):
    from datetime import UTC, datetime

    from cc_terminal.services.phone.baresip import BaresipLink, LinkState, Unconfirmed

    states: list[LinkState] = []
    link = BaresipLink(
        mute.address, "101", lambda _e: None, states.append, lambda: datetime.now(UTC)
    )
    running = asyncio.create_task(link.run())
    try:
        for _ in range(100):
            if states:
                break
            await asyncio.sleep(0.02)
        assert states == [LinkState.CONNECTED]
        with pytest.raises(Unconfirmed):
            await link.command("dial", FIRST, timeout=0.2)
        assert link._answers == {}  # no answer is waited for any longer
    finally:
        await link.stop()
        await asyncio.wait_for(running, 5)
