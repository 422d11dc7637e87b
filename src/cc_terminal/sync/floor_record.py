"""floor.json of a signed floor: its trust anchors and epoch, signed by the root key.

``floor create`` (and ``floor upgrade`` of an older floor) writes it once:

- the anchors: the root public key (the key of the team lead who created or upgraded the
  floor) and the recovery public key (its private half printed once, for a safe);
- the epoch: for an upgraded floor, how far each terminal had published unsigned
  segments (format 1), anything unsigned after that being refused; and the clock it
  began at: certificates issued before it (for keys the upgrade replaced) no longer count;
- sealed with the floor secret: the old floor secret (to read those format 1 segments)
  and the certificates made with the floor (they vouch for the accounts whose ops were
  written before the floor existed, wherever those ops come in the streams).

Every terminal pins the anchors from its key text and refuses a floor.json that names
others or whose signature does not verify: the share's writers cannot replace them.
"""

from __future__ import annotations

import base64
import hmac
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cc_terminal.i18n import _
from cc_terminal.store.keyring import new_key, public_hex
from cc_terminal.sync.floor import (
    FLOOR_FILE,
    FORMAT,
    KEY_FILE,
    FloorError,
    FloorKey,
    floor_document,
    store_key,
)
from cc_terminal.sync.floor import new_key as new_floor_key
from cc_terminal.sync.sealing import SegmentKeys
from cc_terminal.sync.secrets import SecretError, open_blob, seal_blob
from cc_terminal.sync.share import DiskShare

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

RECORD_VERSION = 2


@dataclass(frozen=True)
class FloorRecord:
    """What floor.json says, verified (empty for a floor from before signing)."""

    root_account: str = ""
    cutoffs: dict[str, int] = field(default_factory=dict)
    legacy: bytes | None = None
    certs: tuple[dict[str, Any], ...] = ()
    since: int = 0  # an upgraded floor: certificates count from this clock on

    def segment_keys(self, key: FloorKey) -> SegmentKeys:
        if key.signed:
            return SegmentKeys(sealed=key.secret, plain=self.legacy)
        return SegmentKeys(sealed=None, plain=key.secret)


@dataclass(frozen=True)
class Founding:
    """What the lead creating (or upgrading) the floor puts in its floor.json."""

    root: Ed25519PrivateKey
    root_account: uuid.UUID
    certs: list[dict[str, Any]]
    cutoffs: dict[str, int] = field(default_factory=dict)
    since: int = 0


def found_floor(
    root_path: Path, data_dir: Path, founding: Founding
) -> tuple[FloorKey, Ed25519PrivateKey]:
    """``floor create``, in the folder ``make_floor_folder`` made: a new secret, the
    anchors; the key kept here. Returns the key and the recovery private key (shown once,
    never stored)."""
    base = new_floor_key()
    return _write(root_path, data_dir, base, founding, legacy=None)


def upgrade_floor(
    root_path: Path, data_dir: Path, old: FloorKey, founding: Founding
) -> tuple[FloorKey, Ed25519PrivateKey]:
    """``floor upgrade``: the same floor id, a new secret (the old one kept in floor.json
    for the segments written before), the anchors and the epoch's cut-offs."""
    base = FloorKey(old.floor_id, new_floor_key().secret)
    return _write(root_path, data_dir, base, founding, legacy=old.secret)


def _write(
    root_path: Path, data_dir: Path, base: FloorKey, founding: Founding, legacy: bytes | None
) -> tuple[FloorKey, Ed25519PrivateKey]:
    recovery = new_key()
    key = FloorKey(base.floor_id, base.secret, public_hex(founding.root), public_hex(recovery))
    certs = json.dumps(founding.certs, sort_keys=True, default=str).encode()
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": RECORD_VERSION,
        "floor_id": key.floor_id,
        "check": key.check_value(),
        "root": key.root,
        "recovery": key.recovery,
        "root_account": str(founding.root_account),
        "epoch": {
            "cutoffs": founding.cutoffs,
            "since": founding.since,
            "at": datetime.now(UTC).isoformat(),
        },
        "legacy": _sealed(key, legacy, "legacy floor key") if legacy else "",
        "certs": _sealed(key, certs, "floor certificates"),
    }
    document["signature"] = founding.root.sign(_body(document)).hex()
    DiskShare().publish(root_path / FLOOR_FILE, json.dumps(document, indent=2).encode())
    store_key(data_dir, key)
    return key, recovery


def read_record(root_path: Path, key: FloorKey) -> FloorRecord:
    """floor.json checked against the anchors pinned in ``key``; FloorError if not."""
    if not key.signed:
        return FloorRecord()
    try:
        document = json.loads((root_path / FLOOR_FILE).read_text())
        anchors = (document["root"], document["recovery"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FloorError(
            _("cannot read {path}: {error}").format(path=root_path / FLOOR_FILE, error=error)
        ) from error
    if document.get("version") != RECORD_VERSION or anchors != (key.root, key.recovery):
        raise FloorError(_replaced(root_path))
    if not _root_signed(key.root, document):
        raise FloorError(_replaced(root_path))
    try:
        legacy = _opened(key, document["legacy"], "legacy floor key") or None
        certs = json.loads(_opened(key, document["certs"], "floor certificates"))
        epoch = dict(document["epoch"])
        cutoffs = {str(k): int(v) for k, v in dict(epoch["cutoffs"]).items()}
        since = int(epoch.get("since", 0))
    except (SecretError, ValueError, KeyError, TypeError) as error:
        raise FloorError(_replaced(root_path)) from error
    root_account = str(document.get("root_account", ""))
    return FloorRecord(root_account, cutoffs, legacy, tuple(certs), since)


def _replaced(root_path: Path) -> str:
    return _(
        "{path} does not carry this floor's signature (replaced or altered on the share); "
        "the floor is not trusted until the team lead checks it"
    ).format(path=root_path / FLOOR_FILE)


def _body(document: dict[str, Any]) -> bytes:
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()


def _root_signed(root: str, document: dict[str, Any]) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(root))
        public.verify(bytes.fromhex(str(document.get("signature", ""))), _body(document))
    except (ValueError, InvalidSignature):
        return False
    return True


def _sealed(key: FloorKey, data: bytes, purpose: str) -> str:
    return base64.b64encode(seal_blob(key.secret, data, purpose)).decode()


def _opened(key: FloorKey, text: str, purpose: str) -> bytes:
    if not text:
        return b""
    return open_blob(key.secret, base64.b64decode(text, validate=True), purpose)


def join_floor(root: Path, data_dir: Path, key: FloorKey) -> None:
    """Check a key against the floor folder (and a signed floor's floor.json against the
    anchors it names) and keep it in this terminal's data folder."""
    floor_id, check, signed = floor_document(root)
    if key.floor_id != floor_id or not hmac.compare_digest(key.check_value(), check):
        raise FloorError(_("that key is not the key of the floor in {path}").format(path=root))
    _check_anchors(root, key, signed)
    store_key(data_dir, key)


def _check_anchors(root: Path, key: FloorKey, signed: bool) -> None:
    if signed and not key.signed:
        four = _("the floor in {path} is signed: its key has four parts (ID:KEY:ROOT:RECOVERY)")
        raise FloorError(four.format(path=root))
    read_record(root, key)


def load_key(data_dir: Path, root: Path) -> FloorKey:
    """The key kept for the floor in ``root``, checked against its floor.json."""
    if (data_dir / KEY_FILE).exists() and not (root / FLOOR_FILE).exists():
        raise FloorError(  # this terminal was on that floor: the share went away
            _(
                "share away: {path} is not a floor folder now (no floor.json: an unmounted "
                "share or a renamed folder?); working locally"
            ).format(path=root)
        )
    floor_id, check, signed = floor_document(root)
    try:
        key = FloorKey.from_text((data_dir / KEY_FILE).read_text())
    except FileNotFoundError as error:
        raise FloorError(
            _(
                "this terminal has no key for the floor in {path}; "
                "run 'cc-terminal floor join {path}' with the key from the team lead"
            ).format(path=root)
        ) from error
    if key.floor_id == floor_id and not hmac.compare_digest(key.check_value(), check):
        raise FloorError(
            _(
                "the floor in {path} has a new key (it was upgraded); run "
                "'cc-terminal floor join {path}' with the new key from the team lead"
            ).format(path=root)
        )
    if key.floor_id != floor_id:
        raise FloorError(
            _("the key kept here belongs to another floor than {path}").format(path=root)
        )
    _check_anchors(root, key, signed)
    return key
