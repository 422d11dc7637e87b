"""Fields whose winner is not the newest clock: an erasure beats every edit, and a lead's
owner moves with its assignment epoch. Values compared as what they mean: a timestamp is
an instant, whatever offset it was written with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cc_terminal.sync.ops import Incoming


def erasure_rule(op: Incoming, current: Any) -> dict[str, bool]:
    """An erasure wins whatever the clocks say, and an edit of an erased customer (made on
    a terminal that had not heard of it yet) loses every field, kept nowhere: whichever
    came first, every terminal ends with the erasure's row."""
    if op.entity != "customer":
        return {}
    if op.changes.get("erased_at"):
        return dict.fromkeys(op.changes, True)
    if current["erased_at"] is not None:
        return dict.fromkeys(op.changes, False)
    return {}


def epoch_rule(op: Incoming, current: Any) -> dict[str, bool]:
    """A lead's owner: the higher assignment epoch wins whatever the clocks say."""
    if op.entity != "lead" or "assignment_epoch" not in op.changes:
        return {}
    incoming, existing = int(op.changes["assignment_epoch"]), int(current["assignment_epoch"])
    if incoming == existing:
        return {}
    wins = incoming > existing
    return {name: wins for name in ("assigned_to", "assignment_epoch") if name in op.changes}


def same_value(current: Any, losing: Any) -> bool:
    """Equal values; two timestamps are equal when they are the same instant
    (``09:00+00:00`` is ``10:00+01:00``)."""
    return current == losing or canonical_value(current) == canonical_value(losing)


def canonical_value(value: Any) -> Any:
    """A timestamp in UTC, as every terminal stores it; any other value as it is."""
    if not isinstance(value, str) or len(value) < 19 or value[4:5] != "-":
        return value
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    if instant.tzinfo is None:
        return value  # a naive time names no instant
    return instant.astimezone(UTC).isoformat()
