"""The transports: the terminal's socket and its inbox (a ring storm coalesced), and the
baresip link against a real baresip (events, commands, a restart) and a fake one that
sends garbage."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.phone.baresip import (
    DECLINED,
    BaresipLink,
    CallMemory,
    LinkState,
    event_of_baresip,
    sip_code_of,
)
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind, netstring, to_json
from cc_terminal.services.phone.local_socket import (
    PhoneInbox,
    forward,
    listen,
    runtime_folder,
    socket_path,
)

NOW = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
RING, ANSWER, HANGUP = PhoneEventKind.RING, PhoneEventKind.ANSWER, PhoneEventKind.HANGUP


def ring(key: str = "pbx:1", kind: PhoneEventKind = RING, seconds: int = 0) -> PhoneEvent:
    return PhoneEvent(kind, key, "101", "+420601123456", NOW + timedelta(seconds=seconds))


def test_the_inbox_keeps_the_newest_of_each_kind_per_call():
    inbox = PhoneInbox(limit=3)
    for second in range(1000):
        inbox.put(ring(seconds=second))
    inbox.put(ring(kind=HANGUP, seconds=5))
    inbox.put(ring(kind=ANSWER, seconds=2))
    batch = inbox.take()
    assert [(e.kind, e.at.second) for e in batch] == [(RING, 39), (ANSWER, 2), (HANGUP, 5)]
    assert inbox.take() == [] and not inbox.ready.is_set()
    for key in "abcd":
        inbox.put(ring(key))
    assert [e.call_key for e in inbox.take()] == ["b", "c", "d"] and inbox.dropped == 1


def test_the_runtime_folder_is_under_a_named_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")  # only named, not made
    settings = Settings(data_dir=Path("/srv/cc"))  # short and only named: nothing is made
    assert runtime_folder(settings) == Path("/srv/cc/run")
    assert socket_path(settings, "101").name == "phone-101.sock"
    deep = Settings(data_dir=tmp_path / ("x" * 90))
    assert runtime_folder(deep).parent == Path("/run/user/1000/cc-terminal")
    assert len(str(socket_path(deep, "1234567890123456"))) < 108


async def test_the_terminals_socket_takes_events_and_refuses_garbage(tmp_path):
    heard: list[PhoneEvent] = []
    path = tmp_path / "run" / "phone-101.sock"
    server = await listen(path, heard.append)
    try:
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
        assert await asyncio.to_thread(forward, path, ring()) == ""
        assert heard == [ring()]
        reader, writer = await asyncio.open_unix_connection(str(path))
        writer.write(b'{"kind": "ring"}\nnot json\n')
        assert (await reader.readline()).startswith(b"refused: extension")
        assert await reader.readline() == b"refused: not JSON\n"
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
    with pytest.raises(OSError):
        forward(path, ring())


async def test_a_storm_into_the_socket_is_read_without_stalling_the_loop(tmp_path):
    inbox = PhoneInbox()
    path = tmp_path / "phone-101.sock"
    server = await listen(path, inbox.put)
    lines = b"".join(to_json(ring(f"pbx:{n % 7}", seconds=n)).encode() + b"\n" for n in range(1000))
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    reader, writer = await asyncio.open_unix_connection(str(path))
    writer.write(lines)
    await writer.drain()
    for _ in range(1000):
        await reader.readline()
    ticking.cancel()
    writer.close()
    server.close()
    batch = inbox.take()
    assert sorted(e.call_key for e in batch) == sorted(f"pbx:{n}" for n in range(7))
    assert max(gaps) < 0.25  # the loop kept turning while 1,000 events were read


def test_baresip_words_become_phone_events():
    memory = CallMemory()
    base = {"event": True, "class": "call", "id": "c1", "direction": "incoming"}
    incoming = {**base, "type": "CALL_INCOMING", "peeruri": "sip:+420601123456@127.0.0.1:5070"}
    found = event_of_baresip(incoming, "101", NOW, memory)
    assert found == PhoneEvent(RING, "baresip:101:c1", "101", "+420601123456", NOW, "in", None, "")
    assert event_of_baresip({**base, "type": "CALL_RTCP"}, "101", NOW, memory) is None
    assert event_of_baresip({**base, "type": "CALL_RINGING"}, "101", NOW, memory) is None
    closed = {**base, "type": "CALL_CLOSED", "param": "Connection reset by user"}
    assert event_of_baresip(closed, "101", NOW, memory).sip_code == DECLINED
    event_of_baresip({**base, "type": "CALL_ESTABLISHED"}, "101", NOW, memory)
    assert event_of_baresip(closed, "101", NOW, memory).sip_code is None  # answered first
    outgoing = {**base, "direction": "outgoing", "type": "CALL_CLOSED", "param": "486 Busy Here"}
    assert event_of_baresip(outgoing, "101", NOW, memory).sip_code == 486
    assert sip_code_of("Connection reset by peer") is None
    assert event_of_baresip({**incoming, "id": 5}, "101", NOW, memory) is None


async def test_the_link_survives_garbage_and_reconnects(unused_tcp_port):
    frames = [b"7:garbage,", netstring(b"[1]"), b"xx:broken"]
    states: list[LinkState] = []
    connections = 0

    async def fake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        for frame in frames:
            writer.write(frame)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(fake, "127.0.0.1", unused_tcp_port)
    events: list[PhoneEvent] = []
    link = BaresipLink(
        f"127.0.0.1:{unused_tcp_port}", "101", events.append, states.append, lambda: NOW
    )
    task = asyncio.create_task(link.run())
    while connections < 3:
        await asyncio.sleep(0.01)
    await link.stop()
    await task
    server.close()
    assert events == [] and states[:2] == [LinkState.CONNECTED, LinkState.RECONNECTING]
    with pytest.raises(ConnectionError):
        await link.accept()


async def test_a_real_call_through_baresip(softphones):
    customer, operator = softphones
    events: list[PhoneEvent] = []
    states: list[LinkState] = []
    link = BaresipLink(
        operator.address, "101", events.append, states.append, lambda: datetime.now(UTC)
    )
    task = asyncio.create_task(link.run())
    await until(lambda: link.state is LinkState.CONNECTED)
    await asyncio.to_thread(customer.dial, operator)
    await until(lambda: [e.kind for e in events] == [RING])
    assert (await link.accept())["ok"] is True
    await until(lambda: [e.kind for e in events] == [RING, ANSWER])
    await asyncio.to_thread(customer.command, "hangup")
    await until(lambda: [e.kind for e in events] == [RING, ANSWER, HANGUP])
    assert {e.call_key for e in events} == {events[0].call_key}
    assert events[0].number == "+420601123456" and events[0].direction == "in"
    assert (await link.dial(customer.uri))["ok"] is True
    await until(lambda: len(events) >= 4 and events[3].direction == "out")
    await link.hangup()
    operator.stop()
    await until(lambda: link.state is LinkState.RECONNECTING)
    operator.start()
    await until(lambda: link.state is LinkState.CONNECTED, within=15)
    await link.stop()
    await task


async def until(check, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the state was not reached in time"
        await asyncio.sleep(0.02)
