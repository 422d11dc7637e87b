"""Segments of a signed floor (format 2): encrypted, with their signed runs; and reading
either format.

Line 1 is the header JSON in the clear (the format, the terminal, the schema, where the
stream stands, how far its writer had read the others, when it was written, the nonce):
a reader learns where the segment belongs before it decrypts anything. The rest is the
body, encrypted with ChaCha20-Poly1305 under a key derived from the floor secret, with the
header bytes as associated data, so the header cannot be altered either. The body holds
the op lines as in format 1 (each with its chain hash) and, before the ops of each signed
run, a line ``{"run": {run_id, signer, public_key, count, signature}}``. The AEAD tag
takes the place of format 1's footer: whoever lacks the floor key can neither read nor
make a segment, and one byte changed anywhere makes the whole file fail.

Format 1 segments are read as before (an old floor, or a signed floor's segments written
before its upgrade, with the legacy key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from cc_terminal.i18n import _
from cc_terminal.store import hlc
from cc_terminal.store.signing import RUN_LIMIT
from cc_terminal.sync.segment import (
    FORMAT,
    Run,
    Segment,
    SegmentError,
    chain,
    from_header,
    load_line,
    open_segment,
)

SEALED_VERSION = 2
RUN_FIELDS = ("run_id", "signer", "public_key", "count", "signature")


@dataclass(frozen=True)
class SegmentKeys:
    """The secrets a terminal reads segments with: a signed floor's (format 2), and the
    format 1 key (an old floor's, or a signed floor's legacy key for what came before)."""

    sealed: bytes | None
    plain: bytes | None


def _body_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"cc-terminal segment v2", hashlib.sha256).digest()


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_sealed(
    secret: bytes,
    *,
    terminal: str,
    schema: str,
    first_seq: int,
    prev_hash: str,
    after: dict[str, int],
    ops: list[dict[str, Any]],
    runs: dict[int, dict[str, Any]],
) -> tuple[bytes, str]:
    """The bytes of a format 2 segment and its last chain hash; ``runs`` maps the index of
    each signed run's first op to the run's fields."""
    nonce = os.urandom(12)
    header = _dump(
        {
            "format": FORMAT,
            "version": SEALED_VERSION,
            "terminal": terminal,
            "schema": schema,
            "first_seq": first_seq,
            "prev_hash": prev_hash,
            "after": after,
            "written_at": hlc.wall_millis() / 1000,
            "nonce": nonce.hex(),
        }
    )
    lines, current = [], prev_hash
    for index, op in enumerate(ops):
        if index in runs:
            lines.append(_dump({"run": runs[index]}))
        body = _dump(op)
        current = chain(current, body)
        lines.append(body + b"\t" + current.encode())
    plain = b"\n".join(lines) + b"\n"
    sealed = ChaCha20Poly1305(_body_key(secret)).encrypt(nonce, plain, header)
    return header + b"\n" + sealed, current


def open_any(data: bytes, keys: SegmentKeys, known_schemas: tuple[str, ...]) -> Segment:
    """A verified segment of either format, or ``SegmentError`` saying why not."""
    head, newline, rest = data.partition(b"\n")
    if not newline:
        raise SegmentError(_("no header"))
    header = load_line(head, "header")
    if header.get("format") != FORMAT:
        raise SegmentError(_("not a cc-terminal segment of a known format"))
    if header.get("version") != SEALED_VERSION:
        if keys.plain is None:
            raise SegmentError(_("an unsealed segment (format 1) on a floor that began signed"))
        return open_segment(data, keys.plain, known_schemas)
    if keys.sealed is None:
        raise SegmentError(_("a signed floor's segment; run 'floor join' with the new floor key"))
    try:
        nonce = bytes.fromhex(str(header.get("nonce", "")))
        plain = ChaCha20Poly1305(_body_key(keys.sealed)).decrypt(nonce, rest, head)
    except (ValueError, InvalidTag) as error:
        raise SegmentError(_("it does not open with the floor key (foreign or altered)")) from error
    return _read_body(header, plain, known_schemas)


def _read_body(header: dict[str, Any], plain: bytes, known: tuple[str, ...]) -> Segment:
    ops: list[dict[str, Any]] = []
    runs: list[Run] = []
    current = str(header.get("prev_hash", ""))
    for number, line in enumerate(plain.rstrip(b"\n").split(b"\n"), start=1):
        body, tab, checksum = line.rpartition(b"\t")
        if not tab:
            runs.append(_run(load_line(line, f"line {number}"), len(ops), runs))
            continue
        current = chain(current, body)
        if checksum.decode(errors="replace") != current:
            raise SegmentError(_("op line {n} fails its checksum").format(n=number))
        ops.append(load_line(body, f"op line {number}"))
    if runs and runs[-1].first + runs[-1].count > len(ops):
        raise SegmentError(_("a signed run is cut short"))
    return from_header(header, ops, current, known, tuple(runs))


def _run(line: dict[str, Any], first: int, before: list[Run]) -> Run:
    fields = line.get("run")
    if not isinstance(fields, dict) or any(name not in fields for name in RUN_FIELDS):
        raise SegmentError(_("a line that is neither an op nor a signed run"))
    count = fields["count"]
    if not isinstance(count, int) or not 1 <= count <= RUN_LIMIT:
        raise SegmentError(_("a signed run of an impossible size"))
    if before and before[-1].first + before[-1].count > first:
        raise SegmentError(_("a signed run starts inside another"))
    return Run(
        first=first,
        count=count,
        run_id=str(fields["run_id"]),
        signer=str(fields["signer"]),
        public_key=str(fields["public_key"]),
        signature=str(fields["signature"]),
    )
