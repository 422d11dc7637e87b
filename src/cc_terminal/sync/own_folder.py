"""Files in this terminal's own folder on the share that it did not write.

Anyone who can write the share can put a file there named like this terminal's next
segment. One that does not open with the floor key, or that says it belongs to another
terminal, is no rival publisher: it is moved aside (a copy in the local quarantine
folder, the file off the share), recorded for the report and the team lead's F11, and
audited here; sharing goes on. Only a file sealed with the floor key in this
terminal's name is taken as another terminal using this id (a copied disk), or as this
terminal's own past (a store restored from a backup).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cc_terminal.i18n import _
from cc_terminal.models import AuditEvent, SyncIssue
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import ordered_id, utcnow
from cc_terminal.store import schema
from cc_terminal.store.database import Database
from cc_terminal.sync import local
from cc_terminal.sync.floor import FloorFolder
from cc_terminal.sync.sealing import SegmentKeys, open_any
from cc_terminal.sync.segment import SegmentError, SegmentTooNew, parse_name


def why_not_ours(data: bytes, keys: SegmentKeys, terminal: str, name: str) -> str:
    """Why a file named like one of this terminal's segments is not one sealed with the
    floor key in its name ("" when it is)."""
    try:
        segment = open_any(data, keys, schema.REVISIONS)
    except SegmentTooNew:
        return ""  # sealed with the key by a newer version: not junk
    except SegmentError as error:
        return str(error)
    if segment.terminal != terminal:
        return _("written by terminal {terminal}, found in this terminal's folder").format(
            terminal=segment.terminal
        )
    if (segment.first_seq, segment.last_seq) != parse_name(name):
        return _("its content does not hold the range its name says")
    return ""


def set_aside(
    db: Database,
    folder: FloorFolder,
    keys: SegmentKeys,
    terminal: str,
    name: str,
    quarantine_dir: Path,
) -> bool:
    """Move a file that is not this terminal's own segment out of its folder; True when
    it was one (it does not verify), False when it is sealed in this terminal's name."""
    path = folder.terminal_folder(terminal) / name
    data = folder.files.read(path)
    reason = why_not_ours(data, keys, terminal, name)
    if not reason:
        return False
    copy = _quarantine(data, quarantine_dir / f"{terminal}-{name}")
    folder.files.remove(path)
    detail = _("in this terminal's own folder, not its segment: {why}; moved to {copy}").format(
        why=reason, copy=copy
    )
    _record(db, terminal, name, detail)
    return True


def _quarantine(data: bytes, copy: Path) -> Path:
    """Keep a copy of the file, readable by this user only, in the local quarantine folder."""
    copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    copy.write_bytes(data)
    copy.chmod(0o600)
    return copy


def _record(db: Database, terminal: str, name: str, detail: str) -> None:
    """Record the file set aside for the report and the team lead's F11, and audit it."""
    with local.writing(db) as connection:
        connection.execute(
            SyncIssue.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "id": uuid.uuid4(),
                    "at": utcnow(),
                    "terminal": terminal,
                    "kind": "quarantined",
                    "subject": f"{terminal}/{name}"[:200],
                    "detail": detail,
                }
            ],
        )
        # this terminal's own event (Core, no op), as for an op it refused
        connection.execute(
            AuditEvent.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "id": ordered_id(),
                    "at": utcnow(),
                    "actor_id": None,
                    "kind": AuditKind.SYNC_QUARANTINED,
                    "subject": f"terminals/{terminal}/{name}"[:120],
                    "detail": detail[:500],
                }
            ],
        )
