"""Sealing this terminal's outbox into segments in its own folder on the share.

The ops are read in one short transaction, the file is written with no transaction open
(the share may be slow), and the stream's new position is recorded in another short one.
A crash between the rename and the record leaves a segment this terminal does not know
yet: the next round finds it holds exactly the ops it was about to publish and adopts
it. A file in its own folder that does not open with the floor key in its name is moved
aside (sync/own_folder.py); a segment sealed in its name that it never wrote means a
second terminal runs with its id (a cloned disk): publishing stops with a message until
the terminal rejoins.

On a signed floor the segments are sealed (format 2, sync/sealing.py) and carry each
signed run of the outbox whole: a segment ends before a run that does not fit in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from cc_terminal.models import OutboxRun, SyncSegment
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.store.signing import RUN_LIMIT, is_placeholder, secret_placeholder
from cc_terminal.sync import local
from cc_terminal.sync.floor import FloorFolder, FloorKey
from cc_terminal.sync.ops import Tables
from cc_terminal.sync.own_folder import set_aside
from cc_terminal.sync.sealing import SegmentKeys, open_any, seal_sealed
from cc_terminal.sync.secrets import PLACEHOLDER, seal_value
from cc_terminal.sync.segment import (
    GENESIS,
    SegmentError,
    parse_name,
    seal,
    segment_name,
)
from cc_terminal.sync.share import Entry

SEGMENT = SyncSegment.__table__  # type: ignore[attr-defined]
RUNS = OutboxRun.__table__  # type: ignore[attr-defined]
OPS_PER_SEGMENT = RUN_LIMIT  # a signed run always fits in one segment
CLONED = (
    "another terminal is publishing with this terminal's id (a copied disk or database?); "
    "this terminal stopped sharing its changes. Run 'cc-terminal floor rejoin' here."
)


@dataclass
class Published:
    segments: int = 0
    ops: int = 0
    stopped: str = ""


class Publisher:
    def __init__(
        self,
        db: Database,
        folder: FloorFolder,
        key: FloorKey,
        terminal: str,
        quarantine_dir: Path,
    ) -> None:
        self.db, self.folder, self.key, self.terminal = db, folder, key, terminal
        # where a file in its own folder that it did not write is moved (sync/own_folder.py)
        self.quarantine_dir = quarantine_dir
        # an upgraded floor: how far this terminal's unsigned segments are taken
        self.cutoff: int | None = None
        # what it seals with: a segment of its own it finds is one it sealed just now
        self.keys = SegmentKeys(*((key.secret, None) if key.signed else (None, key.secret)))
        self.path = folder.terminal_folder(terminal)
        # a segment missing from one listing may only be late; missing twice, it is gone
        self.missing: set[str] = set()

    def run(self, republish: Iterable[str] = ()) -> Published:
        result = Published()
        with self.db.connect() as connection:
            state = local.terminal_row(connection)
            known = {row.name: row for row in connection.execute(select(SEGMENT))}
        if state.stopped:
            result.stopped = state.stopped
            return result
        self.folder.files.makedirs(self.path)
        if self.cutoff is not None:
            self._resume_after(self.cutoff)
            self.cutoff = None
        listing = {entry.name: entry for entry in self.folder.files.list(self.path)}
        strangers = [
            name
            for name in listing
            if parse_name(name)
            and name not in known
            and not set_aside(
                self.db, self.folder, self.keys, self.terminal, name, self.quarantine_dir
            )
        ]
        if strangers and not self._adopt(strangers, state):
            self._stop(CLONED)
            result.stopped = CLONED
            return result
        self._repair(known, listing, set(republish))
        while True:
            sealed = self._publish_next()
            if sealed == 0:
                return result
            result.segments += 1
            result.ops += sealed

    # -- new segments ----------------------------------------------------------------

    def _publish_next(self) -> int:
        with self.db.connect() as connection:
            state = local.terminal_row(connection)
            rows = connection.execute(
                select(local.OUTBOX)
                .where(local.OUTBOX.c.seq > state.published_outbox_seq)
                .order_by(local.OUTBOX.c.seq)
                .limit(OPS_PER_SEGMENT)
            ).all()
            rows = _whole_runs(rows, _runs(connection, rows))
            after = {
                peer: seq
                for peer, seq in local.cursors(connection).items()
                if peer != self.terminal
            }
        if not rows:
            return 0
        first = int(state.stream_seq) + 1
        prev_hash = state.last_hash or GENESIS
        data, last_hash = self._seal(first, prev_hash, after, rows)
        name = segment_name(first, first + len(rows) - 1)
        self.folder.files.publish(self.path / name, data)
        record = {
            "name": name,
            "first_seq": first,
            "last_seq": first + len(rows) - 1,
            "first_outbox_seq": rows[0].seq,
            "last_outbox_seq": rows[-1].seq,
            "size": len(data),
            "prev_hash": prev_hash,
            "after": json.dumps(after, sort_keys=True),
            "gone": False,
        }
        with local.writing(self.db) as connection:
            moved = connection.execute(
                update(local.TERMINAL)
                .where(local.TERMINAL.c.id == 1, local.TERMINAL.c.stream_seq == first - 1)
                .values(
                    stream_seq=record["last_seq"],
                    last_hash=last_hash,
                    published_outbox_seq=record["last_outbox_seq"],
                )
            )
            if moved.rowcount == 0:  # another process of this terminal published them first
                self.folder.files.remove(self.path / name)
                return 0
            connection.execute(SEGMENT.insert(), [record])
        return len(rows)

    def _seal(
        self, first: int, prev_hash: str, after: dict[str, int], rows: Sequence[Any]
    ) -> tuple[bytes, str]:
        ops = [self._document(first + index, row) for index, row in enumerate(rows)]
        where: dict[str, Any] = {
            "terminal": self.terminal,
            "schema": schema.HEAD_REVISION,
            "first_seq": first,
            "prev_hash": prev_hash,
            "after": after,
            "ops": ops,
        }
        if not self.key.signed:
            return seal(self.key.secret, **where)
        with self.db.connect() as connection:
            runs = _runs(connection, rows)
        return seal_sealed(self.key.secret, runs=_run_lines(rows, runs), **where)

    def _document(self, seq: int, row: Any) -> dict[str, Any]:
        bases = json.loads(row.bases) if row.bases else {}
        changes = json.loads(row.changes)
        if any(is_placeholder(value) for value in changes.values()):
            changes = self._sealed(row.entity, row.row_id, changes)
        return {
            "seq": seq,
            "op_id": str(row.op_id),
            "entity": row.entity,
            "row_id": row.row_id,
            "kind": row.kind,
            "changes": changes,
            # this terminal's own versions are kept without its id; the others need it
            "bases": {name: _with_terminal(value, self.terminal) for name, value in bases.items()},
            "hlc": int(row.hlc),
            "actor_id": None if row.actor_id is None else str(row.actor_id),
            "at": row.at.isoformat(),
            "schema": schema.HEAD_REVISION,
        }

    def _sealed(self, entity: str, row_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """The secret fields' current values, encrypted; dropped when the row is gone. A
        signed op's placeholder names the value it signed: when the row holds another one
        by now (a later op carries that), the placeholder goes alone and nothing is set."""
        tables = Tables()
        with self.db.connect() as connection:
            current = connection.execute(
                select(tables.tables[entity]).where(tables.key(entity, row_id))
            ).first()
        sealed = {}
        for name, value in changes.items():
            secret = None if current is None else str(current._mapping[name])
            if not is_placeholder(value):
                sealed[name] = value
            elif secret is not None and value in (PLACEHOLDER, secret_placeholder(secret)):
                sealed[name] = seal_value(self.key.secret, entity, row_id, name, secret)
            elif value != PLACEHOLDER:
                sealed[name] = value
        return sealed

    # -- crashes, clones and lost files ----------------------------------------------

    def _adopt(self, strangers: list[str], state: Any) -> bool:
        """True when every unknown segment is one this terminal sealed just before a crash."""
        for name in sorted(strangers, key=lambda item: parse_name(item) or (0, 0)):
            first, last = parse_name(name) or (0, 0)
            if first != int(state.stream_seq) + 1:
                return False
            try:
                segment = open_any(
                    self.folder.files.read(self.path / name), self.keys, schema.REVISIONS
                )
            except (SegmentError, OSError):
                return False
            with self.db.connect() as connection:
                rows = connection.execute(
                    select(local.OUTBOX)
                    .where(local.OUTBOX.c.seq > state.published_outbox_seq)
                    .order_by(local.OUTBOX.c.seq)
                    .limit(last - first + 1)
                ).all()
            if [str(row.op_id) for row in rows] != [op["op_id"] for op in segment.ops]:
                return False
            data = self.folder.files.read(self.path / name)
            with local.writing(self.db) as connection:
                _move_stream(connection, last, segment.last_hash, rows[-1].seq)
                connection.execute(
                    SEGMENT.insert(),
                    [
                        {
                            "name": name,
                            "first_seq": first,
                            "last_seq": last,
                            "first_outbox_seq": rows[0].seq,
                            "last_outbox_seq": rows[-1].seq,
                            "size": len(data),
                            "prev_hash": segment.prev_hash,
                            "after": json.dumps(segment.after, sort_keys=True),
                            "gone": False,
                        }
                    ],
                )
                state = local.terminal_row(connection)
        return True

    def _repair(
        self, known: dict[str, Any], listing: dict[str, Entry], republish: set[str]
    ) -> None:
        """Seal again, under a new name, a segment that went missing, came out short or
        that another terminal could not verify; the old file is never touched."""
        missing = {
            name for name, record in known.items() if not record.gone and name not in listing
        }
        gone, self.missing = missing & self.missing, missing
        for name, record in known.items():
            entry = listing.get(name)
            if record.gone or (entry is None and name not in gone):
                continue
            if entry is not None and entry.size == record.size and name not in republish:
                continue
            with self.db.connect() as connection:
                rows = connection.execute(
                    select(local.OUTBOX)
                    .where(
                        local.OUTBOX.c.seq >= record.first_outbox_seq,
                        local.OUTBOX.c.seq <= record.last_outbox_seq,
                    )
                    .order_by(local.OUTBOX.c.seq)
                ).all()
            if len(rows) != record.last_seq - record.first_seq + 1:
                continue  # compacted away: every terminal had read it
            data, _last = self._seal(
                record.first_seq, record.prev_hash, json.loads(record.after), rows
            )
            new_name = segment_name(record.first_seq, record.last_seq)
            self.folder.files.publish(self.path / new_name, data)
            with local.writing(self.db) as connection:
                connection.execute(update(SEGMENT).where(SEGMENT.c.name == name).values(gone=True))
                connection.execute(
                    SEGMENT.insert(),
                    [{**record._mapping, "name": new_name, "size": len(data), "gone": False}],
                )

    def _resume_after(self, cutoff: int) -> None:
        """This terminal went on writing unsigned segments after the floor's upgrade (it
        had not joined with the new key yet): every terminal refuses them. Its stream goes
        back to the cut-off and the ops after it are published again, sealed; whatever
        they are signed with decides each of them."""
        with self.db.connect() as connection:
            first = connection.execute(
                select(SEGMENT).where(SEGMENT.c.first_seq == cutoff + 1, SEGMENT.c.gone.is_(False))
            ).first()
        if first is None:
            return
        head = self.folder.files.read(self.path / first.name).partition(b"\n")[0]
        if b'"version":1' not in head:
            return  # sealed already
        with local.writing(self.db) as connection:
            stale = (
                connection.execute(select(SEGMENT.c.name).where(SEGMENT.c.first_seq > cutoff))
                .scalars()
                .all()
            )
            _move_stream(connection, cutoff, first.prev_hash, first.first_outbox_seq - 1)
            connection.execute(SEGMENT.delete().where(SEGMENT.c.first_seq > cutoff))
        for name in stale:
            self.folder.files.remove(self.path / name)

    def _stop(self, reason: str) -> None:
        with local.writing(self.db) as connection:
            connection.execute(
                update(local.TERMINAL).where(local.TERMINAL.c.id == 1).values(stopped=reason)
            )


def _move_stream(connection: Any, stream_seq: int, last_hash: str, published: int) -> None:
    connection.execute(
        update(local.TERMINAL)
        .where(local.TERMINAL.c.id == 1)
        .values(stream_seq=stream_seq, last_hash=last_hash, published_outbox_seq=published)
    )


def _runs(connection: Any, rows: Sequence[Any]) -> dict[Any, Any]:
    ids = {row.run_id for row in rows if row.run_id is not None}
    if not ids:
        return {}
    found = connection.execute(select(RUNS).where(RUNS.c.run_id.in_(ids)))
    return {run.run_id: run for run in found}


def _whole_runs(rows: Sequence[Any], runs: dict[Any, Any]) -> Sequence[Any]:
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


def _run_lines(rows: Sequence[Any], runs: dict[Any, Any]) -> dict[int, dict[str, Any]]:
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


def _with_terminal(version: str, terminal: str) -> str:
    return version + terminal if version.endswith(":") else version
