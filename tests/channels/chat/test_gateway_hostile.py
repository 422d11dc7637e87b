"""Hostile visitors against the real gateway process: a forged token, a wrong or missing
Origin, a 1 MB frame, a thousand messages a second, markup and terminal escapes,
invalid UTF-8, binary and non-JSON frames, too many sockets from one address. Each is
refused or kept as plain text, and the gateway stays up for the next visitor."""

from __future__ import annotations

import contextlib
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.channels.chat.process import (
    GatewayProcess,
    close_code,
    eventually,
    masked_frame,
    raw_frame_socket,
)

MARKUP = '<script>alert("x")</script><b onclick="steal()">[bold]hi[/bold]</b>'


def still_serving(chat_gateway: GatewayProcess) -> None:
    assert chat_gateway.health() == (200, {"ok": True, "db": True})
    with chat_gateway.visitor() as visitor:
        assert visitor.start()["token"]


def test_a_forged_token_reaches_no_chat(chat_gateway: GatewayProcess) -> None:
    with chat_gateway.visitor() as visitor:
        real = visitor.start()["token"]
        visitor.send(type="message", client_id="c-1", text="mine")
        visitor.until("ack")
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    with chat_gateway.visitor() as intruder:
        for token in (forged, "", "x" * 5000):
            intruder.send(type="resume", token=token, after=0)
            error = intruder.until("error")
            assert error["field"] == "token"
        intruder.send(type="message", client_id="c-2", text="no chat of mine")
        assert intruder.until("error")["field"] == "token"
        intruder.send(type="transcript", token=forged)  # no chat's transcript either
        assert intruder.until("error")["field"] == "token"
        intruder.send(type="transcript", token=["not", "text"])
        assert intruder.until("error")["field"] == "token"
    still_serving(chat_gateway)


def test_a_page_of_another_origin_cannot_open_the_socket(chat_gateway: GatewayProcess) -> None:
    for origin in ("http://evil.example", "null", chat_gateway.origin + ".evil.example"):
        with pytest.raises(InvalidStatus) as refused, chat_gateway.visitor(origin=origin):
            pass
        assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus) as refused, connect(chat_gateway.ws_url):  # no Origin
        pass
    assert refused.value.response.status_code == 403
    still_serving(chat_gateway)


def test_a_megabyte_frame_closes_that_socket_only(chat_gateway: GatewayProcess) -> None:
    with chat_gateway.visitor() as bystander:
        bystander.start()
        with chat_gateway.visitor() as visitor:
            visitor.start()
            with pytest.raises(ConnectionClosed) as closed:
                visitor.send(type="message", client_id="big", text="x" * 1_000_000)
                visitor.until("ack")
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        bystander.send(type="message", client_id="c-1", text="still here")
        assert bystander.until("ack")["client_id"] == "c-1"
    still_serving(chat_gateway)


def test_a_message_longer_than_the_limit_is_refused_with_its_client_id(
    chat_gateway: GatewayProcess,
) -> None:
    with chat_gateway.visitor() as visitor:
        visitor.start()
        visitor.send(type="message", client_id="long", text="x" * 4001)
        error = visitor.until("error")
        assert (error["field"], error["client_id"]) == ("text", "long")
        visitor.send(type="message", client_id="ok", text="x" * 4000)
        assert visitor.until("ack")["client_id"] == "ok"


def test_a_flood_is_cut_off_by_the_rate_limits(chat_gateway: GatewayProcess) -> None:
    """A thousand messages in about a second: at most the minute's allowance is stored,
    the rest refused, and past the frames a person could send the socket is closed."""
    stored = refused = 0
    with chat_gateway.visitor() as visitor:
        visitor.start()
        began = time.monotonic()
        with contextlib.suppress(ConnectionClosed):  # closed while still sending
            for number in range(1000):
                visitor.send(type="message", client_id=f"f-{number}", text=f"spam {number}")
        with pytest.raises(ConnectionClosed) as closed:  # what came before the close is read
            while True:
                frame = visitor.receive()
                stored += frame["type"] == "ack"
                refused += frame["type"] == "error"
        assert time.monotonic() - began < 30
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    assert stored == 30  # --messages-per-minute's default
    assert refused > 0
    still_serving(chat_gateway)


def test_markup_is_stored_as_text_and_terminal_escapes_are_refused(
    chat_gateway: GatewayProcess,
) -> None:
    with chat_gateway.visitor() as visitor:
        visitor.start()
        visitor.send(type="message", client_id="markup", text=MARKUP)
        assert visitor.until("ack")["client_id"] == "markup"
        line = visitor.until("line")
        while line["client_id"] != "markup":
            line = visitor.until("line")
        assert line["text"] == MARKUP
        for number, escape in enumerate(["\x1b[2J\x1b]0;owned\x07", "bell\x07", "nul\x00"]):
            visitor.send(type="message", client_id=f"esc-{number}", text=escape)
            error = visitor.until("error")
            assert (error["field"], error["client_id"]) == ("text", f"esc-{number}")


def test_frames_that_are_not_json_objects_of_a_known_type_are_answered(
    chat_gateway: GatewayProcess,
) -> None:
    with chat_gateway.visitor() as visitor:
        for frame in ["not json", "[1, 2]", '{"type": "hack"}', "[" * 20000, '{"type": 7}']:
            visitor.socket.send(frame)
            assert visitor.until("error")["message"]
        visitor.socket.send(b"\x00\x01binary")
        assert visitor.until("error")["message"]
        visitor.send(type="read", seq="seven")
        assert visitor.until("error")["field"] == "seq"
        visitor.send(type="start", form="nope")
        assert visitor.until("error")["field"] == "form"
        assert visitor.start()["token"]


def test_invalid_utf8_closes_that_socket_and_nothing_else(chat_gateway: GatewayProcess) -> None:
    sock = raw_frame_socket(chat_gateway.port, chat_gateway.origin)
    try:
        sock.sendall(masked_frame(0x1, b'{"type": "typing", "x": "\xff\xfe\xc3"}'))
        assert close_code(sock) == 1007
    finally:
        sock.close()
    still_serving(chat_gateway)


@pytest.fixture
def gateway_options() -> tuple[str, ...]:
    return ("--sockets-per-address", "3")


def test_one_address_holds_a_bounded_number_of_sockets(chat_gateway: GatewayProcess) -> None:
    with chat_gateway.visitor(), chat_gateway.visitor(), chat_gateway.visitor():
        with pytest.raises(InvalidStatus) as refused, chat_gateway.visitor():
            pass
        assert refused.value.response.status_code == 403
    assert eventually(lambda: can_connect(chat_gateway))  # places come back as sockets close
    still_serving(chat_gateway)


def can_connect(gateway: GatewayProcess) -> bool:
    try:
        with gateway.visitor():
            return True
    except InvalidStatus:
        return False
