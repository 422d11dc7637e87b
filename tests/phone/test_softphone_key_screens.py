"""Pictures at 80x24 and 120x40 (English and Czech) of the card a softphone's ring popped:
its key bar offers Ctrl+A (answer) first and F9 (hang up on the softphone). A fake of
baresip's ctrl_tcp rings as soon as the workstation connects, so the picture is the same
on every run; the real softphones are in test_softphone_keys.py."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.phone.events import netstring
from tests.conftest import KNOWN_PHONE
from tests.phone.test_dial_screens import FakeBaresip
from tests.phone.test_phone_screens import SIZES, phone_app
from tests.screens.test_snapshots import steps
from tests.tui import settle, sign_in, still, wait_until


class RingingBaresip(FakeBaresip):
    """Says an incoming call rings on every connection, then answers commands ok."""

    def follow(self, client: socket.socket) -> None:
        incoming = {
            "event": True,
            "class": "call",
            "type": "CALL_INCOMING",
            "direction": "incoming",
            "id": "in1",
            "peeruri": f"sip:{KNOWN_PHONE}@127.0.0.1:5070",
        }
        with client:
            client.sendall(netstring(json.dumps(incoming).encode()))
            self.answer(client)


@pytest.fixture
def rings() -> Iterator[RingingBaresip]:
    fake = RingingBaresip()
    yield fake
    fake.close()


async def ringing_card(pilot) -> None:
    await sign_in(pilot, "jana")
    app = pilot.app

    def shown() -> bool:
        screen = app.screen
        return isinstance(screen, IncomingCallScreen) and screen.phone_ringing()

    await wait_until(pilot, shown)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_ringing_card_offers_answer_and_hang_up(
    snap_compare, sqlite_url, tmp_path, clock, rings, size
):
    app = phone_app(sqlite_url, tmp_path, clock, phone_extension="101", softphone=rings.address)
    assert snap_compare(app, terminal_size=size, run_before=steps(ringing_card, still))
