"""Fields whose winner is not the newest clock: an erasure beats every edit, and a lead's
owner moves with its assignment epoch."""

from __future__ import annotations

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
