"""Reading the other terminals' segments into the local store.

Each terminal's stream is read in order from this terminal's cursor for it: the next
segment must start right after the cursor and chain from its hash. A segment that fails
any check is set aside (a copy goes to the local quarantine folder, the share is not
touched) and that stream waits at its last good op while the others go on. A segment is
applied only after everything its writer had read (its header says how far), so a change
never arrives before what it was made on. Applying a segment and moving the cursor are
one local transaction: a crash in between changes nothing twice.

On a signed floor each segment's runs are verified (sync/verify.py) and each op is ruled
by who signed it (sync/judge.py); an unsigned segment (format 1) is taken only up to where
its terminal stood when the floor was upgraded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update

from cc_terminal.i18n import _
from cc_terminal.models import SyncIssue
from cc_terminal.models.base import utcnow
from cc_terminal.store import schema
from cc_terminal.store.bulk_cache import bulk_cache, enlarge
from cc_terminal.store.database import Database
from cc_terminal.sync import local
from cc_terminal.sync.apply import Applier, Outcome
from cc_terminal.sync.audit_links import check_links
from cc_terminal.sync.digests_ahead import AHEAD_FROM, DigestsAhead
from cc_terminal.sync.floor import FloorFolder, FloorKey
from cc_terminal.sync.floor_record import FloorRecord
from cc_terminal.sync.judge import SignatureJudge
from cc_terminal.sync.ops import Incoming, Tables
from cc_terminal.sync.sealing import open_any
from cc_terminal.sync.segment import (
    GENESIS,
    Segment,
    SegmentError,
    SegmentTooNew,
    parse_name,
)
from cc_terminal.sync.share import Entry
from cc_terminal.sync.trust import Trust
from cc_terminal.sync.verify import proofs

ISSUE = SyncIssue.__table__  # type: ignore[attr-defined]
SKEW_FLAG_SECONDS = 300
STATUS_PREFIX = "status-"
# Segments of one stream applied in one transaction: fewer commits (each an fsync), while
# the local write lock is held for about half a second at most (measured in bench/sync.py).
OPS_PER_TRANSACTION = 4_000


@dataclass
class Ingested:
    outcome: Outcome = field(default_factory=Outcome)
    segments: int = 0
    waiting: dict[str, str] = field(default_factory=dict)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    statuses: dict[str, Entry] = field(default_factory=dict)


class Ingester:
    def __init__(
        self,
        db: Database,
        folder: FloorFolder,
        key: FloorKey,
        terminal: str,
        quarantine_dir: Path,
        tables: Tables,
        record: FloorRecord | None = None,
    ) -> None:
        self.db, self.folder, self.key, self.terminal = db, folder, key, terminal
        self.quarantine_dir = quarantine_dir
        self.tables = tables
        self.record = record or FloorRecord()
        self.keys = self.record.segment_keys(key)
        self.trust: Trust | None = None
        self.ahead: DigestsAhead | None = None

    def run(self) -> Ingested:
        result = Ingested()
        streams = self.list_streams(result)
        with self.db.connect() as connection:
            if self.key.signed:  # the certificates as they stand, once per ingest
                trust = Trust(self.key.root, self.key.recovery, self.record.since)
                self.trust = trust.load(connection, self.record.certs)
            set_aside = {
                row.subject
                for row in connection.execute(
                    select(ISSUE.c.subject).where(ISSUE.c.kind == "quarantined")
                )
            }
        result.quarantined = [tuple(item.split("/", 1)) for item in sorted(set_aside)]
        self.ahead = self._digests_ahead(streams)
        progress = True
        try:
            with bulk_cache():  # a round of many segments keeps its connection's larger cache
                while progress:
                    progress = False
                    for peer, entries in streams.items():
                        while self._step(peer, entries, set_aside, result):
                            progress = True
        finally:
            if self.ahead is not None:
                self.ahead.close()
                self.ahead = None
        if result.segments:
            self.db.checkpoint()  # the pages the applying commits left in the WAL
        return result

    def _digests_ahead(self, streams: dict[str, dict[str, Entry]]) -> DigestsAhead | None:
        """A helper process for the digests of a big round's segments (sync/digests_ahead.py)."""
        if not self.key.signed or sum(map(len, streams.values())) < AHEAD_FROM:
            return None
        order = [
            self.folder.terminal_folder(peer) / name
            for peer, entries in streams.items()
            for name in sorted(entries)
        ]
        return DigestsAhead(self.folder.files, order, self.keys, self.key.secret)

    def _read(self, path: Path) -> bytes:
        return self.ahead.read(path) if self.ahead is not None else self.folder.files.read(path)

    def list_streams(self, result: Ingested) -> dict[str, dict[str, Entry]]:
        files = self.folder.files
        streams: dict[str, dict[str, Entry]] = {}
        for name in files.folders(self.folder.terminals):
            if name == self.terminal:
                continue
            try:
                uuid.UUID(name)
            except ValueError:
                self._report_foreign(f"terminals/{name}", _("a folder that is not a terminal's"))
                continue
            entries = {}
            for entry in files.list(self.folder.terminal_folder(name)):
                if parse_name(entry.name):
                    entries[entry.name] = entry
                elif entry.name.startswith(STATUS_PREFIX):
                    newest = result.statuses.get(name)
                    if newest is None or entry.name > newest.name:
                        result.statuses[name] = entry
                else:
                    self._report_foreign(f"terminals/{name}/{entry.name}", _("not a segment"))
            streams[name] = entries
        return streams

    def _step(
        self, peer: str, entries: dict[str, Entry], set_aside: set[str], result: Ingested
    ) -> bool:
        """Apply the next segments of one stream (up to a bounded run, one transaction)."""
        with self.db.connect() as connection:
            cursor = local.peers(connection).get(peer)
            cursors = local.cursors(connection)
        applied = int(cursor.applied_seq) if cursor is not None else 0
        last_hash = (cursor.last_hash if cursor is not None else "") or GENESIS
        run: list[tuple[Segment, Entry]] = []
        ops, why = 0, ""
        while ops < OPS_PER_TRANSACTION:
            found, why = self._next(peer, entries, applied, last_hash, cursors, set_aside, result)
            if found is None:
                break
            run.append(found)
            applied, last_hash = found[0].last_seq, found[0].last_hash
            ops += len(found[0].ops)
        if run:
            self._apply(peer, run, result)
            return True
        if why:
            self._wait(peer, result, why)
        elif cursor is not None and cursor.waiting:
            with local.writing(self.db) as connection:
                local.set_peer(connection, peer, waiting="")
        return False

    def _next(
        self,
        peer: str,
        entries: dict[str, Entry],
        applied: int,
        last_hash: str,
        cursors: dict[str, int],
        set_aside: set[str],
        result: Ingested,
    ) -> tuple[tuple[Segment, Entry] | None, str]:
        """The verified segment after ``applied``, or why the stream waits there."""
        candidates = sorted(
            name
            for name in entries
            if (parse_name(name) or (0, 0))[0] == applied + 1 and f"{peer}/{name}" not in set_aside
        )
        for name in candidates:
            data = self._read(self.folder.terminal_folder(peer) / name)
            try:
                segment = self._verified(data, peer, name, last_hash)
            except SegmentTooNew as held:
                return None, _("held: {why}; upgrade cc-terminal").format(why=held)
            except SegmentError as error:
                self._quarantine(peer, name, data, str(error))
                set_aside.add(f"{peer}/{name}")
                result.quarantined.append((peer, name))
                continue
            unread = _unread(segment, cursors, {self.terminal, peer})
            if unread:
                return None, _("waits for {streams}").format(streams=unread)
            return (segment, entries[name]), ""
        return None, _why_stuck(entries, applied, unverified=bool(candidates))

    def _verified(self, data: bytes, peer: str, name: str, last_hash: str) -> Segment:
        """The segment, opened and checked in its place; ``SegmentError`` when not."""
        segment = open_any(data, self.keys, schema.REVISIONS)
        _check_place(segment, peer, name, last_hash)
        self._check_epoch(segment, peer)
        return segment

    def _apply(self, peer: str, run: list[tuple[Segment, Entry]], result: Ingested) -> None:
        last, entry = run[-1]
        skew = last.written_at - entry.mtime if last.written_at else 0.0
        newest = 0
        # not durable: a power cut may take the last applied segments back, with the
        # peer's cursor beside them, and the next round reads them from the share again;
        # any durable commit after it (a change made on what was applied) keeps them
        with local.writing(self.db, durable=False) as connection:
            enlarge(connection)
            judge = SignatureJudge(connection, self.trust) if self.trust is not None else None
            applier = Applier(
                connection, self.terminal, self.tables, self.key.secret, judge, self.keys.plain
            )
            for segment, its_entry in run:
                ops = self._incoming(peer, segment, its_entry)
                check_links(connection, peer, ops)
                applier.apply(ops, result.outcome)
                newest = max([newest, *(op.hlc for op in ops)])
            local.set_peer(
                connection,
                peer,
                applied_seq=last.last_seq,
                last_hash=last.last_hash,
                waiting="",
                skew_seconds=int(skew) if abs(skew) > SKEW_FLAG_SECONDS else 0,
                last_seen=utcnow(),
            )
            connection.execute(
                update(local.TERMINAL)
                .where(local.TERMINAL.c.id == 1, local.TERMINAL.c.seen_hlc < newest)
                .values(seen_hlc=newest)
            )
        result.segments += len(run)
        result.waiting.pop(peer, None)

    def _incoming(self, peer: str, segment: Segment, entry: Entry) -> list[Incoming]:
        """The segment's ops with who signed each; its certificates learnt first (each is
        checked on its own signature, so where it stands in the stream does not matter)."""
        path = self.folder.terminal_folder(peer) / entry.name
        known = self.ahead.digests(path, segment) if self.ahead is not None else None
        signed = zip(segment.ops, proofs(segment, self.key.secret, known), strict=True)
        ops = [Incoming.from_json(peer, document, proof) for document, proof in signed]
        if self.trust is not None:
            for op in ops:
                if op.entity == "account_key" and op.kind == "insert":
                    self.trust.learn(op.changes)
        return ops

    def _check_epoch(self, segment: Segment, peer: str) -> None:
        unsigned = self.key.signed and segment.version == 1
        if unsigned and segment.last_seq > self.record.cutoffs.get(peer, 0):
            raise SegmentError(_("unsigned, and written after the floor's upgrade"))

    def _wait(self, peer: str, result: Ingested, why: str) -> None:
        result.waiting[peer] = why
        with local.writing(self.db) as connection:
            local.set_peer(connection, peer, waiting=why[:500])

    def _quarantine(self, peer: str, name: str, data: bytes, reason: str) -> None:
        self.quarantine_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        copy = self.quarantine_dir / f"{peer}-{name}"
        copy.write_bytes(data)
        copy.chmod(0o600)
        self.record_issue("quarantined", f"{peer}/{name}", reason, peer)

    def _report_foreign(self, subject: str, reason: str) -> None:
        with self.db.connect() as connection:
            known = connection.execute(
                select(ISSUE.c.id).where(ISSUE.c.kind == "foreign file", ISSUE.c.subject == subject)
            ).first()
        if known is None:
            self.record_issue("foreign file", subject, reason, "")

    def record_issue(self, kind: str, subject: str, detail: str, terminal: str) -> None:
        with local.writing(self.db) as connection:
            connection.execute(
                ISSUE.insert(),
                [
                    {
                        "id": uuid.uuid4(),
                        "at": utcnow(),
                        "terminal": terminal,
                        "kind": kind,
                        "subject": subject[:200],
                        "detail": detail,
                    }
                ],
            )


def _check_place(segment: Segment, peer: str, name: str, last_hash: str) -> None:
    first, last = parse_name(name) or (0, 0)
    if segment.terminal != peer:
        raise SegmentError(
            _("written by terminal {terminal}, found in {peer}'s folder").format(
                terminal=segment.terminal, peer=peer
            )
        )
    if (segment.first_seq, segment.last_seq) != (first, last):
        raise SegmentError(_("its content does not hold the range its name says"))
    if segment.prev_hash != last_hash:
        raise SegmentError(_("it does not follow the segment applied before it (a forked stream)"))


def _unread(segment: Segment, cursors: dict[str, int], skip: set[str]) -> str:
    """What the segment's writer had read of the other streams (but ``skip``) that this
    terminal has not read yet ("" when nothing)."""
    missing = {
        other: seq
        for other, seq in segment.after.items()
        if other not in skip and cursors.get(other, 0) < seq
    }
    up_to = _("{terminal} up to {seq}")
    return ", ".join(
        up_to.format(terminal=other[:8], seq=seq) for other, seq in sorted(missing.items())
    )


def _why_stuck(entries: dict[str, Entry], applied: int, unverified: bool) -> str:
    """Why a stream with no next segment to apply waits ("" when it is simply read up)."""
    if unverified:
        return _("waits at {seq}: the next segment did not verify").format(seq=applied)
    if any((parse_name(name) or (0, 0))[0] > applied + 1 for name in entries):
        return _("waits at {seq}: the next segment is not in the folder").format(seq=applied)
    return ""
