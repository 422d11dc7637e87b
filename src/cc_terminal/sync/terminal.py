"""Setting a terminal up on a floor: its store restored from a snapshot when it has none,
a new id after a clone was detected (sync/rejoin.py), one sync round for the CLI."""

from __future__ import annotations

from pathlib import Path

from cc_terminal.config import Settings
from cc_terminal.i18n import _
from cc_terminal.store.database import Database
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.floor import FLOOR_FILE, KEY_FILE, FloorError, FloorFolder
from cc_terminal.sync.floor_record import load_key
from cc_terminal.sync.rejoin import rejoin as rejoin
from cc_terminal.sync.share import DiskShare
from cc_terminal.sync.snapshot import SnapshotError, SnapshotInfo, restore_newest


def restore_if_missing(settings: Settings) -> SnapshotInfo | None:
    """A floor terminal without a local store (new, or its disk was lost) starts from the
    floor's newest snapshot; the segments after it arrive with the first sync round. Only
    what was never published is lost."""
    path = settings.database_path
    if settings.sync_dir is None or path is None or path.exists():
        return None
    if _on_the_share(path, settings.sync_dir):
        return None  # refused by open_floor, with its message
    try:
        key = load_key(settings.data_dir, settings.sync_dir)
        return restore_newest(FloorFolder(settings.sync_dir, DiskShare()), key, path)
    except SnapshotError:
        return None  # no snapshot yet: the store is built from every segment instead
    except FloorError:
        return None  # no key or no floor: open_floor says so, the terminal works alone


def open_floor(settings: Settings, db: Database) -> tuple[FloorSync | None, str]:
    """The terminal's sync, or why it works on its own for now (one clear line)."""
    if settings.sync_dir is None or settings.storage_mode != "floor":
        return None, ""
    database = settings.database_path
    if database is not None and _on_the_share(database, settings.sync_dir):
        # SQLite over a network share corrupts (its locks cannot be trusted there)
        return None, _(
            "the local database {path} is inside the floor folder; keep it on this "
            "computer's disk (--data-dir) — working without the floor"
        ).format(path=database)
    try:
        return FloorSync(db, settings.sync_dir, settings.data_dir), ""
    except FloorError as error:
        return None, str(error)


def share_away(sync_dir: Path | None, data_dir: Path) -> bool:
    """This data folder joined a floor (it has the floor key) whose folder is not there now
    (an unmounted share): the floor opens once it is back."""
    has_key = (data_dir / KEY_FILE).exists()
    return sync_dir is not None and has_key and not (sync_dir / FLOOR_FILE).exists()


def _on_the_share(database: Path, sync_dir: Path) -> bool:
    return database.resolve().is_relative_to(sync_dir.resolve())
