"""A big receiving round's op digests worked out in a second process (issue 29).

Recomputing every op's digest (sync/verify.py) is a fifth of a big ingest, and Python runs
it on one core while the second one waits: threads would take turns on the interpreter's
lock. So a round with many segments to read starts one helper process, hands it the bytes
of the segments the ingest will read next, and the helper sends back each segment's op
digests. The ingest still opens, checks and rules every segment itself, and still
verifies each run's signature over the digests: the helper only computes what the ingest
would, from the very bytes the ingest applies (read once, kept until applied). Its answer
is taken only for the segment it was asked about (the same last chain hash, one digest an
op); a segment whose answer is not there yet, or that the helper could not read, is
worked out here as before. Starting the helper costs about a second of the second core,
so a round of fewer than ``AHEAD_FROM`` segments does without it."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from cc_terminal.store import schema
from cc_terminal.sync.sealing import SegmentKeys, open_any
from cc_terminal.sync.secrets import SecretError
from cc_terminal.sync.segment import Segment
from cc_terminal.sync.share import ShareFiles
from cc_terminal.sync.verify import document_digest

AHEAD_FROM = 20  # segments in a round before a helper process pays for its start
LOOKAHEAD = 8  # segments handed to the helper before the ingest reaches them
WAIT_SECONDS = 0.0  # how long the ingest waits for an answer not in yet (tests: longer)

Digests = list[bytes | None]  # None: the op cannot be read as signed


def op_digests(data: bytes, keys: SegmentKeys, secret: bytes) -> tuple[str, Digests]:
    """In the helper: the segment's last chain hash and each op's digest."""
    segment = open_any(data, keys, schema.REVISIONS)
    return segment.last_hash, [_digest(op, secret) for op in segment.ops]


def _digest(op: dict[str, Any], secret: bytes) -> bytes | None:
    try:
        return document_digest(op, secret)
    except (SecretError, KeyError, TypeError, ValueError):
        return None


class DigestsAhead:
    """The segments of a round in the order the ingest reads them, each read once: the
    next ``LOOKAHEAD`` are handed to the helper as the ingest takes one."""

    def __init__(
        self, files: ShareFiles, order: list[Path], keys: SegmentKeys, secret: bytes
    ) -> None:
        self.files, self.order, self.keys, self.secret = files, order, keys, secret
        self.position = {path: index for index, path in enumerate(order)}
        self.handed: dict[Path, tuple[bytes, Future[tuple[str, Digests]]]] = {}
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.next_index = 0

    def read(self, path: Path) -> bytes:
        """The segment's bytes: those handed to the helper if it was, else read now."""
        self._hand_up_to(self.position.get(path, -1) + LOOKAHEAD)
        handed = self.handed.get(path)
        return handed[0] if handed is not None else self.files.read(path)

    def digests(self, path: Path, segment: Segment) -> Digests | None:
        """The helper's digests of this segment, if they are in and are this segment's."""
        handed = self.handed.pop(path, None)
        if handed is None:
            return None
        try:
            last_hash, digests = handed[1].result(timeout=WAIT_SECONDS)
        except Exception:  # not in yet, unreadable to the helper, or the helper went away
            return None
        if last_hash != segment.last_hash or len(digests) != len(segment.ops):
            return None
        return digests

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _hand_up_to(self, last: int) -> None:
        while self.next_index <= min(last, len(self.order) - 1):
            path = self.order[self.next_index]
            self.next_index += 1
            try:
                data = self.files.read(path)
                future = self.pool.submit(op_digests, data, self.keys, self.secret)
            except Exception:  # unreadable now, or no helper: the ingest reads it itself
                continue
            self.handed[path] = (data, future)
