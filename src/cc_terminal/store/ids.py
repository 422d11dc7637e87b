"""New rows' ids for the bulk write path (issue 29), ascending: a UUID of version 7's layout
(RFC 9562: the milliseconds since 1970, random bits, then a count), each after the one
before and after every batch this process made before. A bulk import's new customers,
phones, leads and ops then land at one end of each key's B-tree (the primary keys, the
ops' ``op_id``, ``customer_term``'s pairs), a few pages written full, instead of one random
page of a large table read and written for every row. Two processes' batches in one
millisecond start apart in 74 random bits."""

from __future__ import annotations

import os
import threading
import time
import uuid

_LOW_BITS = 62  # the random bits after the variant: each batch counts up in them
_VERSION_AND_VARIANT = (7 << 76) | (2 << 62)
_lock = threading.Lock()
_last_millis = [0]


def ascending_ids(count: int) -> list[uuid.UUID]:
    """``count`` new ids, ascending, each after those of every earlier call: the
    milliseconds, 12 random bits, and a count up from a random 62-bit start (RFC 9562's
    counter within a millisecond; another process's batch in the same millisecond starts
    elsewhere in 2**74)."""
    with _lock:
        millis = max(time.time_ns() // 1_000_000, _last_millis[0] + 1)
        _last_millis[0] = millis
    random_a = int.from_bytes(os.urandom(2), "big") >> 4
    start = int.from_bytes(os.urandom(8), "big") % ((1 << _LOW_BITS) - count)
    first = (millis << 80) | _VERSION_AND_VARIANT | (random_a << 64) | start
    return [uuid.UUID(int=value) for value in range(first, first + count)]
