"""Whole-store snapshots, so a terminal joining late (or one whose disk died) need not read
every segment since the floor began.

Publishing: ``VACUUM INTO`` a file on local disk, turn that copy into a store of no
terminal in particular (the publisher's own unpublished changes become ops already
applied, its stream becomes a cursor like any other), then publish it and a signed
description beside it by the same temp-and-rename rule as segments.

Joining: copy the newest snapshot to local disk, check its size, SHA-256, signature and
``PRAGMA integrity_check`` there, and only then move it into place. A database on the
share is never opened.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cc_terminal.i18n import _
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.store.errors import StoreError
from cc_terminal.sync.floor import FloorFolder, FloorKey
from cc_terminal.sync.secrets import SecretError, open_blob, seal_blob

NAME = re.compile(r"^snap-(\d{8}T\d{6}\d{3})-([0-9a-f]{8})\.json$")
FORMAT = "cc-terminal-snapshot"


class SnapshotError(StoreError):
    """No usable snapshot; the message says why."""


@dataclass(frozen=True)
class SnapshotInfo:
    path: Path
    created: str
    terminal: str
    cursors: dict[str, int]
    document: dict[str, Any]


def _signature(key: FloorKey, document: dict[str, Any]) -> str:
    unsigned = {name: value for name, value in document.items() if name != "hmac"}
    body = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.secret, body, hashlib.sha256).hexdigest()


def publish_snapshot(
    db: Database, folder: FloorFolder, key: FloorKey, work_dir: Path
) -> SnapshotInfo:
    work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    copy = work_dir / f"snapshot-{secrets.token_hex(4)}.sqlite3"
    try:
        # outside any transaction: VACUUM cannot run in one
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM INTO ?", (str(copy),))  # type: ignore[union-attr]
        finally:
            raw.close()
        os.chmod(copy, 0o600)
        terminal, cursors = _make_neutral(copy)
        # the whole store, personal data and account secrets too: only ciphertext on the share
        data = seal_blob(key.secret, copy.read_bytes(), "snapshot")
    finally:
        copy.unlink(missing_ok=True)
    created = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")[:18]
    stem = f"snap-{created}-{secrets.token_hex(4)}"
    target = folder.snapshot_folder(terminal)
    folder.files.makedirs(target)
    folder.files.publish(target / f"{stem}.sqlite3", data)
    document: dict[str, Any] = {
        "format": FORMAT,
        "terminal": terminal,
        "schema": schema.HEAD_REVISION,
        "created": created,
        "database": f"{stem}.sqlite3",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "cursors": cursors,
    }
    document["hmac"] = _signature(key, document)
    folder.files.publish(target / f"{stem}.json", json.dumps(document, indent=1).encode())
    return SnapshotInfo(target / f"{stem}.json", created, terminal, cursors, document)


LOCAL_TABLES = ("outbox_op", "outbox_run", "sync_segment", "sync_terminal", "sync_issue")


def _make_neutral(path: Path) -> tuple[str, dict[str, int]]:
    """Turn a copy of this terminal's store into a store of no terminal in particular."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        own = connection.execute(
            "SELECT terminal_id, published_outbox_seq, stream_seq, last_hash FROM sync_terminal"
        ).fetchone()
        terminal_hex, published, stream_seq, last_hash = own
        connection.execute(
            "UPDATE sync_field_version SET terminal = ? WHERE terminal = ''",
            (str(uuid.UUID(terminal_hex)),),
        )
        connection.execute(
            "INSERT OR IGNORE INTO sync_applied_op (op_id)"
            " SELECT op_id FROM outbox_op WHERE seq > ?",
            (published,),
        )
        connection.execute(
            "INSERT OR REPLACE INTO sync_peer"
            " (terminal_id, applied_seq, last_hash, waiting, skew_seconds, last_seen)"
            " VALUES (?, ?, ?, '', 0, NULL)",
            (terminal_hex, stream_seq, last_hash),
        )
        # this terminal's audit chain is another terminal's to the store made from the copy
        connection.execute("UPDATE audit_chain SET own = 0")
        for table in (*LOCAL_TABLES, "audit_check"):
            connection.execute(f"DELETE FROM {table}")
        cursors = {
            str(uuid.UUID(peer)): int(seq)
            for peer, seq in connection.execute("SELECT terminal_id, applied_seq FROM sync_peer")
        }
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()
    return str(uuid.UUID(terminal_hex)), cursors


def snapshots(folder: FloorFolder, key: FloorKey) -> list[SnapshotInfo]:
    """Every signed snapshot description on the share, newest first."""
    found = []
    try:
        publishers = folder.files.folders(folder.snapshots)
    except FileNotFoundError:
        return []
    for publisher in publishers:
        for entry in folder.files.list(folder.snapshot_folder(publisher)):
            if not NAME.match(entry.name):
                continue
            path = folder.snapshot_folder(publisher) / entry.name
            try:
                document = json.loads(folder.files.read(path))
            except (OSError, ValueError):
                continue
            if not isinstance(document, dict) or not hmac.compare_digest(
                str(document.get("hmac", "")), _signature(key, document)
            ):
                continue
            found.append(
                SnapshotInfo(
                    path,
                    str(document["created"]),
                    str(document["terminal"]),
                    {str(k): int(v) for k, v in document["cursors"].items()},
                    document,
                )
            )
    return sorted(found, key=lambda info: info.created, reverse=True)


def restore_newest(folder: FloorFolder, key: FloorKey, database: Path) -> SnapshotInfo:
    """Replace (or create) the local store with the newest snapshot that checks out."""
    reasons = []
    for info in snapshots(folder, key):
        if info.document.get("schema") not in schema.REVISIONS:
            reasons.append(_("{file}: written by a newer cc-terminal").format(file=info.path.name))
            continue
        try:
            _restore(folder, key, info, database)
        except SnapshotError as error:
            reasons.append(f"{info.path.name}: {error}")
            continue
        return info
    raise SnapshotError("; ".join(reasons) or _("the floor has no snapshot yet"))


def _restore(folder: FloorFolder, key: FloorKey, info: SnapshotInfo, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = database.with_name(f".restore-{secrets.token_hex(4)}.sqlite3")
    try:
        data = folder.files.read(info.path.with_name(str(info.document["database"])))
        if (
            len(data) != info.document["size"]
            or hashlib.sha256(data).hexdigest() != info.document["sha256"]
        ):
            raise SnapshotError(_("the copy does not match its size and SHA-256"))
        try:
            data = open_blob(key.secret, data, "snapshot")
        except SecretError as error:
            raise SnapshotError(str(error)) from error
        descriptor = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        connection = sqlite3.connect(temp)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            connection.close()
        if result != "ok":
            raise SnapshotError(_("integrity check: {result}").format(result=result))
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temp, database)
    except OSError as error:
        raise SnapshotError(str(error)) from error
    finally:
        temp.unlink(missing_ok=True)
