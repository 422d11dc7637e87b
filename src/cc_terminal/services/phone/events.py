"""A phone event as a plain value, and its wire forms: JSON objects, alone (the webhook,
the terminal's socket) or in netstrings (baresip's ctrl_tcp). Everything here is bounded
and refuses bad input with one line (``BadEvent``), never another exception. No I/O."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

MAX_FRAME = 64 * 1024  # one netstring's payload or one JSON body, in bytes
MAX_CALL_KEY = 120
MAX_EXTENSION = 16
MAX_NUMBER = 64
MAX_REASON = 120
_LENGTH_DIGITS = len(str(MAX_FRAME))
_EXTENSION = re.compile(r"[0-9A-Za-z_.+*#-]{1,16}")


class PhoneEventKind(StrEnum):
    RING = "ring"
    ANSWER = "answer"
    HANGUP = "hangup"


class BadEvent(ValueError):
    """The frame or body is not a phone event; the message says why in one line."""


@dataclass(frozen=True)
class PhoneEvent:
    kind: PhoneEventKind
    call_key: str  # unique per call and source: "baresip:op101:3f2a...", "pbx:<uniqueid>"
    extension: str  # the operator's extension it is for
    number: str  # raw caller/callee number or URI user part, untrusted
    at: datetime  # aware UTC, when the phone said it happened
    direction: str = "in"
    sip_code: int | None = None
    reason: str = ""  # the phone's words for a hang-up, untrusted, <= 120 chars kept


def number_of_uri(uri: str) -> str:
    """The user part of a SIP URI as the phone said it (``sip:+420601@host;x`` ->
    ``+420601``), cut to the column's length; a bare number comes back as it was."""
    text = uri.strip().strip("<>")
    for scheme in ("sips:", "sip:", "tel:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
            break
    text = text.split("@", 1)[0].split(";", 1)[0]
    return text[:MAX_NUMBER]


def to_json(event: PhoneEvent) -> str:
    return json.dumps(
        {
            "kind": event.kind.value,
            "call_key": event.call_key,
            "extension": event.extension,
            "number": event.number,
            "at": event.at.isoformat(),
            "direction": event.direction,
            "sip_code": event.sip_code,
            "reason": event.reason,
        },
        ensure_ascii=True,
    )


def from_json(body: str | bytes, *, now: datetime | None = None) -> PhoneEvent:
    """The event in ``body`` (``to_json``'s form; ``at`` may be left out when ``now`` is
    given, ``call_key`` when the source has none: then ``direction`` and ``number`` name
    it with the time). Raises ``BadEvent`` only."""
    if len(body) > MAX_FRAME:
        raise BadEvent(f"body longer than {MAX_FRAME} bytes")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise BadEvent("not JSON") from error
    if not isinstance(data, dict):
        raise BadEvent("not a JSON object")
    return event_of(data, now=now)


def event_of(data: dict[str, Any], *, now: datetime | None = None) -> PhoneEvent:
    """The event a decoded JSON object describes; raises ``BadEvent`` only."""
    word = _text(data, "kind", 10).lower()
    try:
        kind = PhoneEventKind(word)
    except ValueError as error:
        raise BadEvent("kind: one of ring, answer, hangup") from error
    extension = _text(data, "extension", 40)
    if not _EXTENSION.fullmatch(extension):
        raise BadEvent("extension: 1 to 16 letters, digits or +*#._-")
    at = _moment(data.get("at"), now)
    number = number_of_uri(_text(data, "number", 400))
    direction = _text(data, "direction", 8) or "in"
    if direction not in ("in", "out"):
        raise BadEvent("direction: in or out")
    call_key = _text(data, "call_key", MAX_CALL_KEY + 1)
    if len(call_key) > MAX_CALL_KEY:
        raise BadEvent(f"call_key: at most {MAX_CALL_KEY} characters")
    if not call_key:
        raise BadEvent("call_key: missing")
    reason = _text(data, "reason", 10_000)[:MAX_REASON]
    return PhoneEvent(kind, call_key, extension, number, at, direction, _code(data), reason)


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key, "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadEvent(f"{key}: not text")
    if len(value) > limit:
        raise BadEvent(f"{key}: too long")
    return value.strip()


def _code(data: dict[str, Any]) -> int | None:
    code = data.get("sip_code")
    if code is None or code == "":
        return None
    if isinstance(code, str) and code.isdigit() and len(code) == 3:
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 699:
        raise BadEvent("sip_code: a SIP code from 100 to 699")
    return code


def _moment(value: object, now: datetime | None) -> datetime:
    if value is None or value == "":
        if now is None:
            raise BadEvent("at: missing")
        return now
    if not isinstance(value, str) or len(value) > 40:
        raise BadEvent("at: an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise BadEvent("at: an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise BadEvent("at: give the time zone (Z or +01:00)")
    return moment.astimezone(UTC)


def netstring(payload: bytes) -> bytes:
    """``payload`` as a netstring: ``<length>:<payload>,``."""
    return b"%d:%s," % (len(payload), payload)


class NetstringReader:
    """Cuts a byte stream into netstrings' payloads. A broken frame (a length that is not
    digits or too long, a missing comma) is reported as a ``BadEvent`` in the results and
    the rest of what was buffered is dropped: the stream cannot be trusted to resync."""

    def __init__(self, limit: int = MAX_FRAME) -> None:
        self.limit = limit
        self.buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes | BadEvent]:
        self.buffer += data
        found: list[bytes | BadEvent] = []
        while self.buffer:
            frame = self._next()
            if frame is None:
                break
            found.append(frame)
        return found

    def _next(self) -> bytes | BadEvent | None:
        colon = self.buffer.find(b":", 0, _LENGTH_DIGITS + 1)
        if colon < 0:
            if len(self.buffer) > _LENGTH_DIGITS or not self.buffer.isdigit():
                return self._broken("a netstring's length is not a number")
            return None
        digits = bytes(self.buffer[:colon])
        if not digits.isdigit() or int(digits) > self.limit:
            return self._broken(f"a netstring's length is not a number up to {self.limit}")
        end = colon + 1 + int(digits)
        if len(self.buffer) <= end:
            return None
        if self.buffer[end : end + 1] != b",":
            return self._broken("a netstring does not end in a comma")
        payload = bytes(self.buffer[colon + 1 : end])
        del self.buffer[: end + 1]
        return payload

    def _broken(self, why: str) -> BadEvent:
        self.buffer.clear()
        return BadEvent(why)
