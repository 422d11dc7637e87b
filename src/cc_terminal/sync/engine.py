"""One sync round of a terminal on its floor: publish, ingest, report, tidy up.

A round never raises for the share: a share that is away, read-only or full is part of
the state it returns, and the terminal goes on working on its local store.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from cc_terminal.i18n import _, ngettext
from cc_terminal.models.base import utcnow
from cc_terminal.store.database import Database
from cc_terminal.sync import local
from cc_terminal.sync.floor import FLOOR_FILE, FloorFolder, FloorKey
from cc_terminal.sync.floor_record import load_key, read_record
from cc_terminal.sync.ingest import ISSUE, STATUS_PREFIX, Ingested, Ingester
from cc_terminal.sync.ops import Tables
from cc_terminal.sync.publish import CLONED, SEGMENT, Publisher
from cc_terminal.sync.rejoin import own_ops_beyond, rejoin, stream_on_floor, unshared_ops
from cc_terminal.sync.share import DiskShare, ShareFiles
from cc_terminal.sync.snapshot import SnapshotInfo, publish_snapshot, snapshots

ACTIVE_SECONDS = 7 * 24 * 3600
SNAPSHOT_EVERY_SECONDS = 6 * 3600
STATUS_EVERY_SECONDS = 60
RECENT_SECONDS = 600


@dataclass(frozen=True)
class SyncState:
    """What the header says about the floor, and what the sync screen lists."""

    terminal: str
    at: datetime
    pending: int = 0
    unsigned: int = 0
    conflicts: int = 0
    away_since: datetime | None = None
    problem: str = ""
    stopped: str = ""
    waiting: dict[str, str] = field(default_factory=dict)
    applied: int = 0
    refused: int = 0
    published: int = 0
    entities: frozenset[str] = frozenset()

    def summary(self, local_time: Callable[[datetime], str]) -> str:
        parts = []
        if self.stopped:
            parts.append(_("sharing stopped"))
        elif self.away_since is not None:
            parts.append(_("share away since {t}").format(t=local_time(self.away_since)))
        if self.pending:
            text = ngettext("{n} change not yet shared", "{n} changes not yet shared", self.pending)
            parts.append(text.format(n=self.pending))
        if self.unsigned:
            text = ngettext("{n} change not signed", "{n} changes not signed", self.unsigned)
            parts.append(text.format(n=self.unsigned))
        if self.conflicts:
            text = ngettext("{n} conflict to resolve", "{n} conflicts to resolve", self.conflicts)
            parts.append(text.format(n=self.conflicts))
        if self.waiting:
            text = ngettext("{n} terminal waiting", "{n} terminals waiting", len(self.waiting))
            parts.append(text.format(n=len(self.waiting)))
        return " · ".join(parts) or _("synced")


class FloorSync:
    def __init__(
        self,
        db: Database,
        sync_dir: Path,
        data_dir: Path,
        files: ShareFiles | None = None,
        key: FloorKey | None = None,
        auto_snapshot: bool = True,
    ) -> None:
        self.db = db
        self.folder = FloorFolder(sync_dir, files or DiskShare())
        self.data_dir = data_dir
        self.key = key or load_key(data_dir, sync_dir)
        record = read_record(sync_dir, self.key)
        self.record = record
        self._start_as(local.ensure_terminal(db))
        self.away_since: datetime | None = None
        self._requested: set[str] = set()
        self.auto_snapshot = auto_snapshot
        self._last_status: object = None
        self._status_at = 0.0
        self.last: SyncState | None = None
        # At start the floor may hold more of this terminal's stream than its store: it
        # was restored from a backup. Found later, it is another terminal with its id.
        self._stream_checked = False
        try:
            self._rejoin_if_restored()
            self._stream_checked = True
        except (OSError, OperationalError):
            pass  # the share is away: checked at the first round that reaches it

    def _start_as(self, terminal: str) -> None:
        self.terminal = terminal
        quarantine = self.data_dir / "quarantine"
        self.publisher = Publisher(self.db, self.folder, self.key, terminal, quarantine)
        if self.record.cutoffs:
            self.publisher.cutoff = self.record.cutoffs.get(terminal, 0)
        self.ingester = Ingester(
            self.db, self.folder, self.key, terminal, quarantine, Tables(), self.record
        )

    def rejoin(self) -> str:
        """A new id for this terminal (sync/rejoin.py); its ops found on the floor past
        its stream are not sent again."""
        with self.db.connect() as connection:
            stream = int(local.terminal_row(connection).stream_seq)
        return self._rejoin(own_ops_beyond(self.folder, self.publisher.keys, self.terminal, stream))

    def _rejoin(self, beyond: set[uuid.UUID]) -> str:
        self._start_as(rejoin(self.db, beyond))
        return self.terminal

    def _rejoin_if_restored(self) -> None:
        """The floor holds more of this terminal's stream than its store remembers (it
        was restored from a backup): its old sequence numbers are taken, so it rejoins."""
        listed = Ingested()
        self.ingester.list_streams(listed)
        statuses = self._read_statuses(listed)
        with self.db.connect() as connection:
            row = local.terminal_row(connection)
            unshared = unshared_ops(connection)
        said, held = stream_on_floor(self.folder, self.publisher.keys, self.terminal, statuses)
        on_floor, stream = max(said, held), int(row.stream_seq)
        if row.stopped or on_floor <= stream:
            return
        beyond = own_ops_beyond(self.folder, self.publisher.keys, self.terminal, stream)
        if said <= held and beyond <= unshared:
            return  # sealed just before a crash, not yet recorded: the publisher adopts it
        old = self.terminal
        new = self._rejoin(beyond)
        self.ingester.record_issue(
            "rejoined",
            old,
            _(
                "the floor holds this terminal's changes up to {floor}, its store up to "
                "{store} (restored from a backup?): it goes on as {new}"
            ).format(floor=on_floor, store=stream, new=new),
            old,
        )

    def round(self) -> SyncState:
        problem = ""
        published = stopped = None
        ingested = Ingested()
        try:
            self._check_floor()
            if not self._stream_checked:
                self._rejoin_if_restored()
                self._stream_checked = True
            published = self.publisher.run(self._requested)
            stopped = published.stopped
            ingested = self.ingester.run()
            statuses = self._read_statuses(ingested)
            self._requested = {
                name
                for status in statuses.values()
                for terminal, name in status.get("quarantined", [])
                if terminal == self.terminal
            }
            if self._requested:  # the reports are on the share: this run acts on them now
                published.ops += self.publisher.run(self._requested).ops
            self._write_status(ingested)
            self._compact(statuses)
            if self.auto_snapshot and self._snapshot_duty(statuses):
                self.snapshot_if_due()
            self.away_since = None
        except OSError as error:
            problem = _share_problem(error, self.folder.root)
            if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                self.away_since = self.away_since or utcnow()
        except OperationalError as error:  # the local disk is full or the store is busy
            problem = _("the local store could not take the changes: {e}").format(e=error.orig)
        self.last = self.state(problem, ingested, published.ops if published else 0, stopped or "")
        return self.last

    def state(
        self,
        problem: str = "",
        ingested: Ingested | None = None,
        published: int = 0,
        stopped: str = "",
    ) -> SyncState:
        with self.db.connect() as connection:
            row = local.terminal_row(connection)
            pending = local.unpublished_count(connection)
            unsigned = local.unpublished_count(connection, unsigned=True) if self.key.signed else 0
            conflicts = local.open_conflicts(connection)
        ingested = ingested or Ingested()
        return SyncState(
            terminal=self.terminal,
            at=utcnow(),
            pending=pending,
            unsigned=unsigned,
            conflicts=conflicts,
            away_since=self.away_since,
            problem=problem,
            stopped=_stop_reason(stopped or row.stopped),
            waiting=dict(ingested.waiting),
            applied=ingested.outcome.applied,
            refused=ingested.outcome.refused,
            published=published,
            entities=frozenset(ingested.outcome.entities),
        )

    def report(self) -> list[str]:
        """One line per other terminal and per file set aside or op refused."""
        lines = []
        with self.db.connect() as connection:
            for terminal, peer in sorted(local.peers(connection).items()):
                line = _("{terminal}: read up to {seq}").format(
                    terminal=terminal, seq=peer.applied_seq
                )
                if peer.waiting:
                    line += f"; {peer.waiting}"
                if peer.skew_seconds:
                    line += "; " + _("its clock is {s} s off").format(s=f"{peer.skew_seconds:+d}")
                lines.append(line)
            issues = connection.execute(
                select(ISSUE.c.at, ISSUE.c.kind, ISSUE.c.subject, ISSUE.c.detail).order_by(
                    ISSUE.c.at
                )
            ).all()
        lines.extend(f"{row.kind}: {row.subject}: {row.detail}" for row in issues)
        return lines

    def _check_floor(self) -> None:
        """floor.json, read every round: a folder that went away (an unmounted share, a
        renamed folder) or holds another floor is away, and nothing is written there."""
        try:
            document = json.loads(self.folder.files.read(self.folder.root / FLOOR_FILE))
        except FileNotFoundError as error:
            raise OSError(errno.ENOENT, _("no floor.json"), str(self.folder.root)) from error
        except ValueError as error:
            raise OSError(
                errno.EIO, _("floor.json cannot be read"), str(self.folder.root)
            ) from error
        if not isinstance(document, dict) or document.get("floor_id") != self.key.floor_id:
            raise OSError(errno.ESTALE, _("another floor's folder"), str(self.folder.root))

    # -- status files: how far this terminal has read, signed -------------------------

    def _write_status(self, ingested: Ingested) -> None:
        """Only when something changed, or once a minute: a quiet floor stays quiet."""
        with self.db.connect() as connection:
            cursors = local.cursors(connection)
        said = (cursors, sorted(ingested.quarantined))
        if said == self._last_status and time.monotonic() - self._status_at < STATUS_EVERY_SECONDS:
            return
        self._last_status, self._status_at = said, time.monotonic()
        document: dict[str, Any] = {
            "terminal": self.terminal,
            "at": time.time(),
            "applied": cursors,
            "quarantined": [list(item) for item in ingested.quarantined],
        }
        document["hmac"] = self._sign(document)
        folder = self.folder.terminal_folder(self.terminal)
        name = f"{STATUS_PREFIX}{time.time_ns() // 1_000_000:013d}-{secrets.token_hex(4)}.json"
        self.folder.files.publish(folder / name, json.dumps(document).encode())
        for entry in self.folder.files.list(folder):
            if entry.name.startswith(STATUS_PREFIX) and entry.name < name:
                self.folder.files.remove(folder / entry.name)

    def _read_statuses(self, ingested: Ingested) -> dict[str, dict[str, Any]]:
        statuses = {}
        for peer, entry in ingested.statuses.items():
            try:
                document = json.loads(
                    self.folder.files.read(self.folder.terminal_folder(peer) / entry.name)
                )
            except (OSError, ValueError):
                continue  # replaced meanwhile: the next round reads the newer one
            if isinstance(document, dict) and hmac.compare_digest(
                str(document.get("hmac", "")), self._sign(document)
            ):
                statuses[peer] = document
        return statuses

    def _sign(self, document: dict[str, Any]) -> str:
        unsigned = {name: value for name, value in document.items() if name != "hmac"}
        body = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self.key.secret, body, hashlib.sha256).hexdigest()

    # -- compaction and snapshots ------------------------------------------------------

    def _compact(self, statuses: dict[str, dict[str, Any]]) -> None:
        """Remove this terminal's segments that every active terminal has read and that
        the newest snapshot already holds."""
        active = [
            s for s in statuses.values() if time.time() - float(s.get("at", 0)) < ACTIVE_SECONDS
        ]
        newest = next(iter(snapshots(self.folder, self.key)), None)
        if not active or newest is None:
            return
        read_by_all = min(int(s.get("applied", {}).get(self.terminal, 0)) for s in active)
        limit = min(read_by_all, newest.cursors.get(self.terminal, 0))
        folder = self.folder.terminal_folder(self.terminal)
        with self.db.connect() as connection:
            old = (
                connection.execute(
                    select(SEGMENT.c.name).where(
                        SEGMENT.c.last_seq <= limit, SEGMENT.c.gone.is_(False)
                    )
                )
                .scalars()
                .all()
            )
        for name in old:
            self.folder.files.remove(folder / name)
            with local.writing(self.db) as connection:
                connection.execute(update(SEGMENT).where(SEGMENT.c.name == name).values(gone=True))

    def _snapshot_duty(self, statuses: dict[str, dict[str, Any]]) -> bool:
        """One terminal of the floor keeps the snapshot fresh: the lowest id of those
        heard from in the last ten minutes (every terminal knows the same ones)."""
        recent = {
            terminal
            for terminal, status in statuses.items()
            if time.time() - float(status.get("at", 0)) < RECENT_SECONDS
        }
        return min(recent | {self.terminal}) == self.terminal

    def snapshot(self) -> SnapshotInfo:
        return publish_snapshot(self.db, self.folder, self.key, self.data_dir / "snapshots")

    def snapshot_if_due(self) -> SnapshotInfo | None:
        newest = next(iter(snapshots(self.folder, self.key)), None)
        if newest is not None:
            created = datetime.strptime(newest.created[:15], "%Y%m%dT%H%M%S").timestamp()
            if time.time() - created < SNAPSHOT_EVERY_SECONDS:
                return None
        return self.snapshot()


def _stop_reason(reason: str) -> str:
    """The stored reason sharing stopped, in the current language when it is the
    workstation's own (a copied terminal) rather than a reason from elsewhere."""
    return _(CLONED) if reason == CLONED else reason


def _share_problem(error: OSError, root: Path) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("the floor folder {path} is read-only here; working locally").format(path=root)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the floor folder {path} is full; changes wait here").format(path=root)
    if error.errno in (errno.ENOENT, errno.ESTALE):
        return _(
            "share away: the floor folder {path} is not there (an unmounted share or a "
            "renamed folder?); working locally"
        ).format(path=root)
    return _("the floor folder {path} is away ({e}); working locally").format(
        path=root, e=error.strerror or error
    )
