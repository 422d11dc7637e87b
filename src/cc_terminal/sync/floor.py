"""A floor folder on the share, and the floor key every terminal of it holds locally.

Layout of the folder::

    floor.json                      the floor's id and a check of its key (never the key)
    terminals/<id>/seg-*.jsonl      each terminal's sealed segments (only it writes there)
    terminals/<id>/status-*.json    how far it has read the others (for compaction)
    snapshots/<id>/snap-*.sqlite3   whole-database snapshots for joining terminals

The key lives in the terminal's data folder (0600), never on the share: someone who can
write to the share but has not got the key can neither read a segment nor make one any
terminal accepts. On a signed floor the key text also pins the floor's two trust anchors
(sync/floor_record.py), and the key alone no longer lets anyone speak for an account.
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
from cc_terminal.sync.share import FOLDER_MODE, DiskShare, ShareFiles

FLOOR_FILE = "floor.json"
KEY_FILE = "floor.key"
FORMAT = "cc-terminal-floor"


class FloorError(StoreError):
    """The floor folder or its key cannot be used; the message says what to do."""


@dataclass(frozen=True)
class FloorKey:
    """The floor's id and secret; on a signed floor also its two trust anchors (the root
    and recovery public keys, hex), pinned here: floor.json must name the same ones."""

    floor_id: str
    secret: bytes
    root: str = ""
    recovery: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.root)

    def check_value(self) -> str:
        return hmac.new(self.secret, f"floor {self.floor_id}".encode(), hashlib.sha256).hexdigest()

    def as_text(self) -> str:
        text = f"{self.floor_id}:{self.secret.hex()}"
        return f"{text}:{self.root}:{self.recovery}" if self.signed else text

    @classmethod
    def from_text(cls, text: str) -> FloorKey:
        """``FLOOR-ID:SECRET-HEX:ROOT-PUBKEY-HEX:RECOVERY-PUBKEY-HEX`` (a signed floor) or
        ``FLOOR-ID:SECRET-HEX`` (a floor from before signing)."""
        parts = text.strip().split(":")
        wrong = FloorError(_("that is not a floor key (FLOOR-ID:SECRET:ROOT-KEY:RECOVERY-KEY)"))
        if len(parts) not in (2, 4):
            raise wrong
        try:
            uuid.UUID(parts[0])
            raw = [bytes.fromhex(part) for part in parts[1:]]
        except ValueError as error:
            raise wrong from error
        if any(len(value) != 32 for value in raw):
            raise wrong
        root, recovery = (parts[2].lower(), parts[3].lower()) if len(parts) == 4 else ("", "")
        return cls(parts[0], raw[0], root, recovery)


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


def make_floor_folder(root: Path) -> None:
    """The floor folder and its two subfolders (0750): only ``floor create`` makes them."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FloorError(
            _("{path} is not empty; a floor needs a folder of its own").format(path=root)
        )
    os.chmod(root, FOLDER_MODE)
    share = DiskShare()
    share.makedirs(root / "terminals")
    share.makedirs(root / "snapshots")


def new_key() -> FloorKey:
    return FloorKey(str(uuid.uuid4()), secrets.token_bytes(32))


def read_floor_id(root: Path) -> tuple[str, str]:
    floor_id, check, _signed = floor_document(root)
    return floor_id, check


def floor_document(root: Path) -> tuple[str, str, bool]:
    """The floor's id, its key check, and whether it is a signed floor."""
    try:
        document = json.loads((root / FLOOR_FILE).read_text())
        return str(document["floor_id"]), str(document["check"]), document.get("version") == 2
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


def store_key(data_dir: Path, key: FloorKey) -> None:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / KEY_FILE
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key.as_text() + "\n")
    os.chmod(path, 0o600)
