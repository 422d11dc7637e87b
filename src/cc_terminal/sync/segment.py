"""Sealed segment files: the only thing a terminal ever writes for the others to read.

A segment is UTF-8 text, one JSON document per line:

- a header: the format, the terminal, the schema it was written with, the stream position
  it starts at and the hash it chains from, and how far its writer had read every other
  terminal (a reader applies it only after it has read as far: changes arrive after what
  they were made on);
- one line per op: the op as JSON, a tab, and the chain hash
  ``sha256(previous hash + "\\n" + op JSON)``, which is also the line's checksum;
- a footer: the count, the last chain hash, the SHA-256 of every byte before it, and the
  HMAC-SHA256 of the footer itself with the floor key.

Anything that does not verify raises ``SegmentError`` with the reason; nothing in it is
used. A segment written by a newer schema raises ``SegmentTooNew``: it is held, not
set aside, until the terminal is upgraded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from cc_terminal.i18n import _
from cc_terminal.store import hlc

FORMAT = "cc-terminal-segment"
FORMAT_VERSION = 1
NAME = re.compile(r"^seg-(\d{10})-(\d{10})-([0-9a-f]{8})\.jsonl$")
GENESIS = "0" * 64


class SegmentError(ValueError):
    """The file is not a good segment; the message says why."""


class SegmentTooNew(SegmentError):
    """A good segment written by a newer schema than this terminal knows."""


@dataclass(frozen=True)
class Run:
    """A signed run in a segment: ``count`` ops from index ``first``, signed by ``signer``
    with ``public_key`` (sync/sealing.py writes them; sync/verify.py checks them)."""

    first: int
    count: int
    run_id: str
    signer: str
    public_key: str
    signature: str


@dataclass(frozen=True)
class Segment:
    terminal: str
    schema: str
    first_seq: int
    prev_hash: str
    after: dict[str, int]
    ops: list[dict[str, Any]]
    last_hash: str
    written_at: float = 0.0
    version: int = FORMAT_VERSION
    runs: tuple[Run, ...] = ()

    @property
    def last_seq(self) -> int:
        return self.first_seq + len(self.ops) - 1


def segment_name(first_seq: int, last_seq: int) -> str:
    """A name never used before: the range it holds and a random tag."""
    return f"seg-{first_seq:010d}-{last_seq:010d}-{secrets.token_hex(4)}.jsonl"


def parse_name(name: str) -> tuple[int, int] | None:
    match = NAME.match(name)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def chain(previous: str, line: bytes) -> str:
    return hashlib.sha256(previous.encode() + b"\n" + line).hexdigest()


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _signature(key: bytes, footer: dict[str, Any]) -> str:
    unsigned = {name: value for name, value in footer.items() if name != "hmac"}
    return hmac.new(key, _dump(unsigned), hashlib.sha256).hexdigest()


def seal(
    key: bytes,
    *,
    terminal: str,
    schema: str,
    first_seq: int,
    prev_hash: str,
    after: dict[str, int],
    ops: list[dict[str, Any]],
) -> tuple[bytes, str]:
    """The bytes of a segment holding ``ops`` (each already numbered), and its last hash."""
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "terminal": terminal,
        "schema": schema,
        "first_seq": first_seq,
        "prev_hash": prev_hash,
        "after": after,
        "written_at": hlc.wall_millis() / 1000,
    }
    lines = [_dump(header)]
    current = prev_hash
    for op in ops:
        body = _dump(op)
        current = chain(current, body)
        lines.append(body + b"\t" + current.encode())
    body = b"\n".join(lines) + b"\n"
    footer: dict[str, Any] = {
        "count": len(ops),
        "last_hash": current,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    footer["hmac"] = _signature(key, footer)
    return body + _dump(footer) + b"\n", current


def open_segment(data: bytes, key: bytes, known_schemas: tuple[str, ...]) -> Segment:
    """Verify every part of a segment and return it, or raise ``SegmentError``."""
    if not data.endswith(b"\n"):
        raise SegmentError(_("cut short: no end of line after the footer"))
    body_end = data.rfind(b"\n", 0, len(data) - 1) + 1
    if body_end <= 0:
        raise SegmentError(_("no header"))
    footer = load_line(data[body_end:-1], "footer")
    expected = _signature(key, footer)
    if not hmac.compare_digest(str(footer.get("hmac", "")), expected):
        raise SegmentError(_("the floor key's signature does not match (foreign or altered)"))
    body = data[:body_end]
    if hashlib.sha256(body).hexdigest() != footer.get("sha256"):
        raise SegmentError(_("the SHA-256 of the content does not match the footer"))
    lines = body.rstrip(b"\n").split(b"\n")
    header = load_line(lines[0], "header")
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise SegmentError(_("not a cc-terminal segment of a known format"))
    ops, current = _ops(lines[1:], str(header.get("prev_hash", "")))
    if len(ops) != footer.get("count") or current != footer.get("last_hash"):
        raise SegmentError(_("the count or the last hash does not match the footer"))
    return from_header(header, ops, current, known_schemas)


def from_header(
    header: dict[str, Any],
    ops: list[dict[str, Any]],
    last_hash: str,
    known_schemas: tuple[str, ...],
    runs: tuple[Run, ...] = (),
) -> Segment:
    """The segment a verified header and its ops make (``SegmentTooNew`` for a schema
    this terminal does not know yet)."""
    schema = str(header.get("schema", ""))
    if schema not in known_schemas:
        raise SegmentTooNew(
            _("written with schema {schema}, newer than this terminal").format(schema=schema)
        )
    try:
        return Segment(
            terminal=str(header["terminal"]),
            schema=schema,
            first_seq=int(header["first_seq"]),
            prev_hash=str(header["prev_hash"]),
            after={str(k): int(v) for k, v in dict(header.get("after", {})).items()},
            ops=ops,
            last_hash=last_hash,
            written_at=float(header.get("written_at", 0.0)),
            version=int(header.get("version", FORMAT_VERSION)),
            runs=runs,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SegmentError(_("the header is incomplete ({e})").format(e=error)) from error


def _ops(lines: list[bytes], previous: str) -> tuple[list[dict[str, Any]], str]:
    ops = []
    for number, line in enumerate(lines, start=1):
        body, tab, checksum = line.rpartition(b"\t")
        if not tab:
            raise SegmentError(_("op line {n} has no checksum").format(n=number))
        previous = chain(previous, body)
        if checksum.decode(errors="replace") != previous:
            raise SegmentError(_("op line {n} fails its checksum").format(n=number))
        ops.append(load_line(body, f"op line {number}"))
    return ops, previous


def load_line(line: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SegmentError(_("the {what} is not JSON ({e})").format(what=what, e=error)) from error
    if not isinstance(value, dict):
        raise SegmentError(_("the {what} is not a JSON object").format(what=what))
    return value
