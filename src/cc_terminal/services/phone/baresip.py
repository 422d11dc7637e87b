"""Following an operator's softphone: baresip's ``ctrl_tcp`` module (JSON in netstrings
both ways, on 127.0.0.1). ``BaresipLink`` connects, turns its call events into
``PhoneEvent``s for the terminal's extension, sends ``accept``/``hangup``/``dial`` and
reconnects with a growing pause when baresip restarts or is not running. asyncio, no
Textual: the TUI runs it on its own loop.

baresip's words: CALL_INCOMING -> RING (in); CALL_RINGING of an outgoing call -> RING
(out); CALL_ESTABLISHED -> ANSWER; CALL_CLOSED -> HANGUP, with the SIP code when its
reason starts with one ("486 Rejected"). An incoming call the operator hangs up before
answering ("Connection reset by user") is recorded as 603 (declined: unanswered), though
baresip itself answers 486 to the caller: the line was not busy."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cc_terminal.services.phone.events import (
    MAX_REASON,
    BadEvent,
    NetstringReader,
    PhoneEvent,
    PhoneEventKind,
    netstring,
    number_of_uri,
)

DECLINED = 603
BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)  # seconds between tries; the last repeats
_CODE = re.compile(r"\s*([1-6][0-9][0-9])\b")
_KINDS = {
    "CALL_INCOMING": PhoneEventKind.RING,
    "CALL_RINGING": PhoneEventKind.RING,
    "CALL_ESTABLISHED": PhoneEventKind.ANSWER,
    "CALL_CLOSED": PhoneEventKind.HANGUP,
}


class Unconfirmed(TimeoutError):
    """A command was sent, and its answer never came: it may have been done."""


def from_softphone(call_key: str) -> bool:
    """Whether a stored call is one a softphone link reported (its accept and hang-up
    commands act on it), not a PBX's or the CLI's."""
    return call_key.startswith("baresip:")


class LinkState(StrEnum):
    CONNECTED = "connected"
    ABSENT = "absent"  # never reached since the link started
    RECONNECTING = "reconnecting"  # was connected, lost


@dataclass
class CallMemory:
    """What the link remembers of the calls it follows: which were answered (bounded)."""

    answered: dict[str, bool] = field(default_factory=dict)
    limit: int = 256

    def note_answer(self, call_id: str) -> None:
        self.answered[call_id] = True
        while len(self.answered) > self.limit:
            del self.answered[next(iter(self.answered))]

    def forget(self, call_id: str) -> bool:
        """Whether the call was answered; it is forgotten."""
        return self.answered.pop(call_id, False)


def sip_code_of(reason: str) -> int | None:
    found = _CODE.match(reason)
    return int(found.group(1)) if found else None


def event_of_baresip(
    data: dict[str, Any], extension: str, at: datetime, memory: CallMemory
) -> PhoneEvent | None:
    """The phone event a ctrl_tcp message stands for, or None (not a call event)."""
    kind = _KINDS.get(str(data.get("type", "")))
    call_id = data.get("id")
    if data.get("event") is not True or kind is None or not isinstance(call_id, str):
        return None
    direction = "in" if data.get("direction") == "incoming" else "out"
    if data.get("type") == "CALL_RINGING" and direction == "in":
        return None
    reason = str(data.get("param", ""))[:MAX_REASON]
    code = None
    if kind is PhoneEventKind.ANSWER:
        memory.note_answer(call_id)
    elif kind is PhoneEventKind.HANGUP:
        code = _closing_code(direction, reason, memory.forget(call_id))
    key = f"baresip:{extension}:{call_id}"[:120]
    number = number_of_uri(str(data.get("peeruri", "")))
    return PhoneEvent(kind, key, extension, number, at, direction, code, reason)


def _closing_code(direction: str, reason: str, answered: bool) -> int | None:
    code = sip_code_of(reason)
    if code is None and not answered and direction == "in" and reason.endswith("by user"):
        return DECLINED
    return code


class BaresipLink:
    """One connection to one softphone, kept up until ``stop``."""

    def __init__(
        self,
        address: str,
        extension: str,
        on_event: Callable[[PhoneEvent], None],
        on_state: Callable[[LinkState], None],
        clock: Callable[[], datetime],
    ) -> None:
        host, _, port = address.rpartition(":")
        self.host, self.port, self.extension = host or "127.0.0.1", int(port), extension
        self.on_event, self.on_state, self.clock = on_event, on_state, clock
        self.state = LinkState.ABSENT
        self.memory = CallMemory()
        self._writer: asyncio.StreamWriter | None = None
        self._answers: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._tokens = itertools.count(1)
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        """Connect, follow, and after a loss try again (0.2 s, then longer, up to 5 s)."""
        tries = 0
        while not self._stopped.is_set():
            try:
                reader, self._writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                self._set_state(
                    LinkState.ABSENT if self.state is LinkState.ABSENT else LinkState.RECONNECTING
                )
                await self._pause(BACKOFF[min(tries, len(BACKOFF) - 1)])
                tries += 1
                continue
            tries = 0
            self._set_state(LinkState.CONNECTED)
            await self._follow(reader)
            self._lost()

    async def _follow(self, reader: asyncio.StreamReader) -> None:
        frames = NetstringReader()
        while not self._stopped.is_set():
            try:
                data = await reader.read(65536)
            except OSError:
                return
            if not data:
                return
            for frame in frames.feed(data):
                if not isinstance(frame, BadEvent):
                    self._heard(frame)

    def _heard(self, frame: bytes) -> None:
        try:
            data = json.loads(frame)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("response") is True:
            answer = self._answers.pop(str(data.get("token", "")), None)
            if answer is not None and not answer.done():
                answer.set_result(data)
            return
        event = event_of_baresip(data, self.extension, self.clock(), self.memory)
        if event is not None:
            self.on_event(event)

    def _lost(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = None
        for answer in self._answers.values():
            if not answer.done():
                answer.set_exception(ConnectionError("the softphone went away"))
        self._answers.clear()
        if not self._stopped.is_set():
            self._set_state(LinkState.RECONNECTING)

    def _set_state(self, state: LinkState) -> None:
        if state is not self.state:
            self.state = state
            self.on_state(state)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def command(self, name: str, params: str = "", timeout: float = 5.0) -> dict[str, Any]:
        """Send a ctrl_tcp command and wait for its answer (``{"ok": true, ...}``);
        ``ConnectionError`` when the softphone is not connected or goes away."""
        if self._writer is None:
            raise ConnectionError("the softphone is not connected")
        token = f"cc{next(self._tokens)}"
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._answers[token] = answer
        body = {"command": name, "params": params, "token": token}
        self._writer.write(netstring(json.dumps(body).encode()))
        await self._writer.drain()
        try:
            return await asyncio.wait_for(answer, timeout)
        except TimeoutError:
            raise Unconfirmed(name) from None
        finally:
            self._answers.pop(token, None)

    async def accept(self) -> dict[str, Any]:
        return await self.command("accept")

    async def hangup(self) -> dict[str, Any]:
        return await self.command("hangup")

    async def dial(self, uri: str) -> dict[str, Any]:
        """Dial ``uri`` (``sip:+420601123456@pbx`` or a number the softphone's account
        completes)."""
        if not uri or any(ord(c) < 32 for c in uri) or len(uri) > 256:
            raise ValueError("a SIP URI or number of 1 to 256 printable characters")
        return await self.command("dial", uri)

    async def stop(self) -> None:
        self._stopped.set()
        if self._writer is not None:
            self._writer.close()
