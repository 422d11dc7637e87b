"""What the publisher reads from this terminal's outbox and records of its segments: the
ops not published yet, the signed runs they belong to (cut so a run goes whole), and the
row that records a segment on the share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update

from cc_terminal.models import OutboxRun, StagedImport
from cc_terminal.sync import local

RUNS = OutboxRun.__table__  # type: ignore[attr-defined]
STAGED = StagedImport.__table__  # type: ignore[attr-defined]


def unpublished(connection: Any, published: int, limit: int) -> Sequence[Any]:
    """The first `limit` outbox rows after the last one published, in order; none from
    the first seq of an import still staged (services/outbound/lead_staging.py): the
    floor gets it whole once it is shown, and what came after it then."""
    query = select(local.OUTBOX).where(local.OUTBOX.c.seq > published)
    held = connection.execute(select(func.min(STAGED.c.first_seq))).scalar()
    if held is not None:
        query = query.where(local.OUTBOX.c.seq < held)
    return connection.execute(query.order_by(local.OUTBOX.c.seq).limit(limit)).all()


def segment_record(
    name: str,
    first: int,
    last: int,
    rows: Sequence[Any],
    size: int,
    prev_hash: str,
    after: dict[str, int],
) -> dict[str, Any]:
    """The sync_segment row of a segment holding `rows` as stream seqs first..last."""
    return {
        "name": name,
        "first_seq": first,
        "last_seq": last,
        "first_outbox_seq": rows[0].seq,
        "last_outbox_seq": rows[-1].seq,
        "size": size,
        "prev_hash": prev_hash,
        "after": json.dumps(after, sort_keys=True),
        "gone": False,
    }


def move_stream(connection: Any, stream_seq: int, last_hash: str, published: int) -> None:
    connection.execute(
        update(local.TERMINAL)
        .where(local.TERMINAL.c.id == 1)
        .values(stream_seq=stream_seq, last_hash=last_hash, published_outbox_seq=published)
    )


def runs_of(connection: Any, rows: Sequence[Any]) -> dict[Any, Any]:
    ids = {row.run_id for row in rows if row.run_id is not None}
    if not ids:
        return {}
    found = connection.execute(select(RUNS).where(RUNS.c.run_id.in_(ids)))
    return {run.run_id: run for run in found}


def whole_runs(rows: Sequence[Any], runs: dict[Any, Any]) -> Sequence[Any]:
    """The rows up to the last signed run they hold whole (a run's ops are written in one
    transaction, so they are contiguous in the outbox)."""
    if not rows or rows[-1].run_id is None:
        return rows
    last = rows[-1].run_id
    start = len(rows)
    while start > 0 and rows[start - 1].run_id == last:
        start -= 1
    whole = len(rows) - start >= runs[last].count
    return rows if whole or start == 0 else rows[:start]


def run_lines(rows: Sequence[Any], runs: dict[Any, Any]) -> dict[int, dict[str, Any]]:
    """Each signed run's fields, at the index of its first op."""
    lines: dict[int, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        if row.run_id is not None and (index == 0 or rows[index - 1].run_id != row.run_id):
            run = runs[row.run_id]
            lines[index] = {
                "run_id": str(run.run_id),
                "signer": str(run.signer),
                "public_key": run.public_key,
                "count": int(run.count),
                "signature": run.signature,
            }
    return lines
