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

from cc_terminal.i18n import N_
from cc_terminal.models import SyncSegment
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.store.signing import RUN_LIMIT, is_placeholder, secret_placeholder
from cc_terminal.sync import local
from cc_terminal.sync.floor import FloorFolder, FloorKey
from cc_terminal.sync.ops import Tables
from cc_terminal.sync.own_folder import set_aside
from cc_terminal.sync.publish_rows import (
    move_stream,
    run_lines,
    runs_of,
    segment_record,
    unpublished,
    whole_runs,
)
from cc_terminal.sync.sealing import SegmentKeys, open_any, seal_sealed
from cc_terminal.sync.secrets import PLACEHOLDER, seal_value
from cc_terminal.sync.segment import (
    GENESIS,
    Segment,
    SegmentError,
    parse_name,
    seal,
    segment_name,
)
from cc_terminal.sync.share import Entry

SEGMENT = SyncSegment.__table__  # type: ignore[attr-defined]
OPS_PER_SEGMENT = RUN_LIMIT  # a signed run always fits in one segment
CLONED = N_(  # kept as the terminal's stop reason; translated where shown
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
            rows = unpublished(connection, state.published_outbox_seq, OPS_PER_SEGMENT)
            rows = whole_runs(rows, runs_of(connection, rows))
            after = {
                peer: seq
                for peer, seq in local.cursors(connection).items()
                if peer != self.terminal
            }
        if not rows:
            return 0
        first, last = int(state.stream_seq) + 1, int(state.stream_seq) + len(rows)
        prev_hash = state.last_hash or GENESIS
        data, last_hash = self._seal(first, prev_hash, after, rows)
        name = segment_name(first, last)
        self.folder.files.publish(self.path / name, data)
        record = segment_record(name, first, last, rows, len(data), prev_hash, after)
        if not self._record_published(record, last_hash):
            self.folder.files.remove(self.path / name)
            return 0
        return len(rows)

    def _record_published(self, record: dict[str, Any], last_hash: str) -> bool:
        """Move the stream on to the segment just written; False when another process of
        this terminal published its ops first."""
        with local.writing(self.db) as connection:
            moved = connection.execute(
                update(local.TERMINAL)
                .where(
                    local.TERMINAL.c.id == 1,
                    local.TERMINAL.c.stream_seq == record["first_seq"] - 1,
                )
                .values(
                    stream_seq=record["last_seq"],
                    last_hash=last_hash,
                    published_outbox_seq=record["last_outbox_seq"],
                )
            )
            if moved.rowcount == 0:
                return False
            connection.execute(SEGMENT.insert(), [record])
        return True

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
            runs = runs_of(connection, rows)
        return seal_sealed(self.key.secret, runs=run_lines(rows, runs), **where)

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
            found = self._next_of_ours(name, state, last - first + 1)
            if found is None:
                return False
            segment, rows = found
            data = self.folder.files.read(self.path / name)
            record = segment_record(
                name, first, last, rows, len(data), segment.prev_hash, segment.after
            )
            with local.writing(self.db) as connection:
                move_stream(connection, last, segment.last_hash, rows[-1].seq)
                connection.execute(SEGMENT.insert(), [record])
                state = local.terminal_row(connection)
        return True

    def _next_of_ours(
        self, name: str, state: Any, count: int
    ) -> tuple[Segment, Sequence[Any]] | None:
        """The segment and the outbox rows it holds, when it holds exactly the next `count`
        ops this terminal was about to publish (None when not)."""
        try:
            segment = open_any(
                self.folder.files.read(self.path / name), self.keys, schema.REVISIONS
            )
        except (SegmentError, OSError):
            return None
        with self.db.connect() as connection:
            rows = unpublished(connection, state.published_outbox_seq, count)
        if [str(row.op_id) for row in rows] != [op["op_id"] for op in segment.ops]:
            return None
        return segment, rows

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
            move_stream(connection, cutoff, first.prev_hash, first.first_outbox_seq - 1)
            connection.execute(SEGMENT.delete().where(SEGMENT.c.first_seq > cutoff))
        for name in stale:
            self.folder.files.remove(self.path / name)

    def _stop(self, reason: str) -> None:
        with local.writing(self.db) as connection:
            connection.execute(
                update(local.TERMINAL).where(local.TERMINAL.c.id == 1).values(stopped=reason)
            )


def _with_terminal(version: str, terminal: str) -> str:
    return version + terminal if version.endswith(":") else version
