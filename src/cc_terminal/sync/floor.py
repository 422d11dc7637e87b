"""A floor folder on the share, and the floor key every terminal of it holds locally.

Layout of the folder::

    floor.json                      the floor's id and a check of its key (never the key)
    terminals/<id>/seg-*.jsonl      each terminal's sealed segments (only it writes there)
    terminals/<id>/status-*.json    how far it has read the others (for compaction)
    snapshots/<id>/snap-*.sqlite3   whole-database snapshots for joining terminals

The key lives in the terminal's data folder (0600), never on the share: someone who can
write to the share but has not got the key cannot make a segment any terminal accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from cc_terminal.i18n import _
from cc_terminal.store.errors import StoreError
from cc_terminal.sync.share import DiskShare, ShareFiles

FLOOR_FILE = "floor.json"
KEY_FILE = "floor.key"
FORMAT = "cc-terminal-floor"


class FloorError(StoreError):
    """The floor folder or its key cannot be used; the message says what to do."""


@dataclass(frozen=True)
class FloorKey:
    floor_id: str
    secret: bytes

    def check_value(self) -> str:
        return hmac.new(self.secret, f"floor {self.floor_id}".encode(), hashlib.sha256).hexdigest()

    def as_text(self) -> str:
        return f"{self.floor_id}:{self.secret.hex()}"

    @classmethod
    def from_text(cls, text: str) -> FloorKey:
        floor_id, _sep, secret = text.strip().partition(":")
        try:
            uuid.UUID(floor_id)
            raw = bytes.fromhex(secret)
        except ValueError as error:
            raise FloorError(_("that is not a floor key (FLOOR-ID:HEX)")) from error
        if len(raw) != 32:
            raise FloorError(_("that is not a floor key (FLOOR-ID:HEX)"))
        return cls(floor_id, raw)


@dataclass(frozen=True)
class FloorFolder:
    root: Path
    files: ShareFiles

    @property
    def terminals(self) -> Path:
        return self.root / "terminals"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    def terminal_folder(self, terminal: str) -> Path:
        return self.terminals / terminal

    def snapshot_folder(self, terminal: str) -> Path:
        return self.snapshots / terminal


def create_floor(root: Path, data_dir: Path) -> FloorKey:
    """Make a new floor folder and keep its key in this terminal's data folder."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FloorError(
            _("{path} is not empty; a floor needs a folder of its own").format(path=root)
        )
    key = FloorKey(str(uuid.uuid4()), secrets.token_bytes(32))
    share = DiskShare()
    share.makedirs(root / "terminals")
    share.makedirs(root / "snapshots")
    document = {
        "format": FORMAT,
        "version": 1,
        "floor_id": key.floor_id,
        "check": key.check_value(),
    }
    share.publish(root / FLOOR_FILE, json.dumps(document, indent=2).encode())
    store_key(data_dir, key)
    return key


def read_floor_id(root: Path) -> tuple[str, str]:
    try:
        document = json.loads((root / FLOOR_FILE).read_text())
        return str(document["floor_id"]), str(document["check"])
    except FileNotFoundError as error:
        raise FloorError(
            _("{path} is not a floor folder (no floor.json); make one with 'floor create'").format(
                path=root
            )
        ) from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FloorError(
            _("cannot read {path}: {error}").format(path=root / FLOOR_FILE, error=error)
        ) from error


def join_floor(root: Path, data_dir: Path, key: FloorKey) -> None:
    """Check a key against the floor folder and keep it in this terminal's data folder."""
    floor_id, check = read_floor_id(root)
    if key.floor_id != floor_id or not hmac.compare_digest(key.check_value(), check):
        raise FloorError(_("that key is not the key of the floor in {path}").format(path=root))
    store_key(data_dir, key)


def store_key(data_dir: Path, key: FloorKey) -> None:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / KEY_FILE
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key.as_text() + "\n")
    os.chmod(path, 0o600)


def load_key(data_dir: Path, root: Path) -> FloorKey:
    """The key kept for the floor in ``root``, checked against its floor.json."""
    floor_id, check = read_floor_id(root)
    try:
        key = FloorKey.from_text((data_dir / KEY_FILE).read_text())
    except FileNotFoundError as error:
        raise FloorError(
            _(
                "this terminal has no key for the floor in {path}; "
                "run 'cc-terminal floor join {path}' with the key from the team lead"
            ).format(path=root)
        ) from error
    if key.floor_id != floor_id or not hmac.compare_digest(key.check_value(), check):
        raise FloorError(
            _("the key kept here belongs to another floor than {path}").format(path=root)
        )
    return key
