"""Taking a new id on the floor: after another terminal was found publishing with this
one's id (a copied disk), or when the floor holds more of this terminal's stream than its
store remembers (a store restored from a backup: its old sequence numbers are taken).

What was shared under the old id stays shared under it: every terminal has it, so it is
never sent again (sent again, it came back to its own writer as another's: inserts failed
on their keys and edits showed as conflicts). This terminal reads its old id from then on
as any other terminal's, from where its own stream stood: whatever the floor holds beyond
that (the copy's changes, or its own made after the backup) arrives like anyone's. Only
what was never shared goes out under the new id. Its field versions so far become the
old id's, as the other terminals know them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from cc_terminal.models import AppliedOp, FieldVersion, SyncSegment
from cc_terminal.store import schema
from cc_terminal.store.audit_chain import CHAINS
from cc_terminal.store.database import Database
from cc_terminal.sync import local
from cc_terminal.sync.floor import FloorFolder
from cc_terminal.sync.own_folder import why_not_ours
from cc_terminal.sync.sealing import SegmentKeys, open_any
from cc_terminal.sync.segment import SegmentError, parse_name
from cc_terminal.sync.share import Entry

VERSIONS = FieldVersion.__table__  # type: ignore[attr-defined]
APPLIED = AppliedOp.__table__  # type: ignore[attr-defined]
_CHUNK = 500


def rejoin(db: Database, shared_beyond: Collection[uuid.UUID] = ()) -> str:
    """A new id for this terminal; ``shared_beyond``: its own ops found on the floor past
    where its stream stands (published after the backup it was restored from)."""
    new_id = uuid.uuid4()
    local.ensure_terminal(db)
    with local.writing(db) as connection:
        row = local.terminal_row(connection)
        old = str(row.terminal_id)
        unshared = connection.execute(
            select(*(local.OUTBOX.c[name] for name in ("seq", "op_id", "hlc", "bases")))
            .where(local.OUTBOX.c.seq > row.published_outbox_seq)
            .order_by(local.OUTBOX.c.seq)
        ).all()
        shared = set(shared_beyond)
        fresh = [op for op in unshared if op.op_id not in shared]
        # the old stream may bring its own unshared ops back: each is applied once, here
        _mark_applied(connection, [op.op_id for op in unshared])
        connection.execute(update(VERSIONS).where(VERSIONS.c.terminal == "").values(terminal=old))
        for start in range(0, len(fresh), _CHUNK):
            ids = [op.op_id for op in fresh[start : start + _CHUNK]]
            connection.execute(
                update(VERSIONS)
                .where(VERSIONS.c.terminal == old, VERSIONS.c.op_id.in_(ids))
                .values(terminal="")
            )
        _name_old_bases(connection, unshared, {int(op.hlc) for op in fresh}, old)
        local.set_peer(
            connection, old, applied_seq=int(row.stream_seq), last_hash=row.last_hash, waiting=""
        )
        connection.execute(
            update(local.TERMINAL)
            .where(local.TERMINAL.c.id == 1)
            .values(terminal_id=new_id, stream_seq=0, last_hash="", stopped="")
        )
        connection.execute(delete(SyncSegment.__table__))  # type: ignore[attr-defined]
        # the copy's audit events start a chain of their own too (store/audit_chain.py)
        connection.execute(update(CHAINS).where(CHAINS.c.own.is_(True)).values(own=False))
    return str(new_id)


def _mark_applied(connection: Any, op_ids: list[uuid.UUID]) -> None:
    for start in range(0, len(op_ids), _CHUNK):
        ids = op_ids[start : start + _CHUNK]
        known = set(
            connection.execute(select(APPLIED.c.op_id).where(APPLIED.c.op_id.in_(ids))).scalars()
        )
        rows = [{"op_id": op_id} for op_id in ids if op_id not in known]
        if rows:
            connection.execute(APPLIED.insert(), rows)


def _name_old_bases(connection: Any, unshared: Iterable[Any], fresh: set[int], old: str) -> None:
    """A base that names a version of this terminal's own ("hlc:") names the old id's,
    unless the version is one of the ops going out under the new id."""
    for op in unshared:
        bases = json.loads(op.bases) if op.bases else {}
        named = {
            field: value + old
            if value.endswith(":") and value[:-1].isdigit() and int(value[:-1]) not in fresh
            else value
            for field, value in bases.items()
        }
        if named != bases:
            connection.execute(
                update(local.OUTBOX)
                .where(local.OUTBOX.c.seq == op.seq)
                .values(bases=json.dumps(named, sort_keys=True))
            )


def stream_on_floor(
    folder: FloorFolder, keys: SegmentKeys, terminal: str, statuses: dict[str, dict[str, Any]]
) -> tuple[int, int]:
    """How far the floor holds this terminal's stream: what the others say they read of
    it, and its own segments in its folder (only those sealed with the floor key in its
    name)."""
    said = max(
        (int(status.get("applied", {}).get(terminal, 0)) for status in statuses.values()),
        default=0,
    )
    held = 0
    path = folder.terminal_folder(terminal)
    for entry in _listing(folder, path):
        place = parse_name(entry.name)
        if place is None or place[1] <= held:
            continue
        if not why_not_ours(folder.files.read(path / entry.name), keys, terminal, entry.name):
            held = place[1]
    return said, held


def unshared_ops(connection: Any) -> set[uuid.UUID]:
    row = local.terminal_row(connection)
    return set(
        connection.execute(
            select(local.OUTBOX.c.op_id).where(local.OUTBOX.c.seq > row.published_outbox_seq)
        ).scalars()
    )


def own_ops_beyond(
    folder: FloorFolder, keys: SegmentKeys, terminal: str, stream_seq: int
) -> set[uuid.UUID]:
    """The op ids in this terminal's segments past ``stream_seq`` (a restored store's
    lost stream; on a copied disk, the copy's)."""
    found: set[uuid.UUID] = set()
    path = folder.terminal_folder(terminal)
    for entry in _listing(folder, path):
        place = parse_name(entry.name)
        if place is None or place[1] <= stream_seq:
            continue
        try:
            segment = open_any(folder.files.read(path / entry.name), keys, schema.REVISIONS)
        except SegmentError:
            continue
        if segment.terminal == terminal:
            found.update(uuid.UUID(op["op_id"]) for op in segment.ops)
    return found


def _listing(folder: FloorFolder, path: Path) -> list[Entry]:
    """A terminal's folder; none yet for a terminal that never published."""
    try:
        return folder.files.list(path)
    except FileNotFoundError:
        return []
