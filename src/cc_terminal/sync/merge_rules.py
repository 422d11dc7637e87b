"""Fields whose winner is not the newest clock: an erasure beats every edit, a lead's owner
moves with its assignment epoch, and a chat's holder with its owner epoch (of two takes
made apart, the earlier keeps it). A chat's line arriving from another member takes the
next number here. Values compared as what they mean: a timestamp is an instant, whatever
offset it was written with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from cc_terminal.sync.ops import Incoming

# What changes with a chat's holder, each time with its owner epoch.
OWNER_FIELDS = ("owner_id", "owner_epoch", "department")


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


def owner_rule(op: Incoming, current: Any, held: tuple[int, str] | None) -> dict[str, bool]:
    """A chat's holder: the higher owner epoch wins; of two equal epochs (two members took
    the same waiting chat while apart) the change with the earlier clock keeps it, on every
    member. ``held`` is the version (clock, terminal) of the current epoch's write."""
    if op.entity != "conversation" or "owner_epoch" not in op.changes:
        return {}
    incoming, existing = int(op.changes["owner_epoch"]), int(current["owner_epoch"])
    if incoming != existing:
        wins = incoming > existing
    elif held is None or held == op.version:
        return {}
    else:
        wins = op.version < held
    return {name: wins for name in OWNER_FIELDS if name in op.changes}


def line_number(connection: Connection, lines: Table, values: dict[str, Any]) -> int:
    """A chat's line from another member keeps its number when it is past every line here,
    else takes the next one: numbers made apart never collide, and each member numbers in
    the order lines reached it, so a reader asking for lines after the last it saw (the
    visitor's socket) never misses one. The line itself (its id, its client id) is the
    same everywhere."""
    newest = connection.execute(
        select(func.max(lines.c.seq)).where(lines.c.conversation_id == values["conversation_id"])
    ).scalar()
    seq = int(values["seq"])
    return seq if newest is None or seq > int(newest) else int(newest) + 1


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
