"""Setting a terminal up on a floor: its store restored from a snapshot when it has none,
a new id after a clone was detected, one sync round for the CLI."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, update

from cc_terminal.config import Settings
from cc_terminal.models import SyncSegment
from cc_terminal.store.database import Database
from cc_terminal.sync import local
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.floor import FloorError, FloorFolder, load_key
from cc_terminal.sync.share import DiskShare
from cc_terminal.sync.snapshot import SnapshotError, SnapshotInfo, restore_newest


def restore_if_missing(settings: Settings) -> SnapshotInfo | None:
    """A floor terminal without a local store (new, or its disk was lost) starts from the
    floor's newest snapshot; the segments after it arrive with the first sync round. Only
    what was never published is lost."""
    path = settings.database_path
    if settings.sync_dir is None or path is None or path.exists():
        return None
    key = load_key(settings.data_dir, settings.sync_dir)
    try:
        return restore_newest(FloorFolder(settings.sync_dir, DiskShare()), key, path)
    except SnapshotError:
        return None  # no snapshot yet: the store is built from every segment instead


def rejoin(db: Database) -> str:
    """After another terminal was found using this one's id: take a new id and publish
    every change again under it (the others apply each op once, by its id)."""
    new_id = uuid.uuid4()
    local.ensure_terminal(db)
    with local.writing(db) as connection:
        connection.execute(
            update(local.TERMINAL)
            .where(local.TERMINAL.c.id == 1)
            .values(
                terminal_id=new_id, published_outbox_seq=0, stream_seq=0, last_hash="", stopped=""
            )
        )
        connection.execute(delete(SyncSegment.__table__))  # type: ignore[attr-defined]
    return str(new_id)


def open_floor(settings: Settings, db: Database) -> tuple[FloorSync | None, str]:
    """The terminal's sync, or why it works on its own for now (one clear line)."""
    if settings.sync_dir is None or settings.storage_mode != "floor":
        return None, ""
    try:
        return FloorSync(db, settings.sync_dir, settings.data_dir), ""
    except FloorError as error:
        return None, str(error)
