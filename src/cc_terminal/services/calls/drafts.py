"""The open call, kept as a local draft while the operator types, so that a crash or a
closed terminal loses nothing. Drafts are this terminal's own: a private file per operator
in the data folder, written whole and renamed into place, never synced."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from cc_terminal.services.common.views import CallDraftState

FOLDER = "drafts"


class DraftStore:
    """Saves may come late from a worker thread; once a call is closed (saved or discarded),
    a late save of that same call is ignored, so no finished call comes back as a draft."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER
        self._lock = threading.Lock()
        self._closed: set[tuple[uuid.UUID, datetime]] = set()

    def save(self, operator_id: uuid.UUID, draft: CallDraftState) -> None:
        with self._lock:
            if (operator_id, draft.started_at) not in self._closed:
                self._write(operator_id, draft)

    def _write(self, operator_id: uuid.UUID, draft: CallDraftState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps(_to_json(draft), ensure_ascii=False)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".draft-")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._path(operator_id))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def load(self, operator_id: uuid.UUID) -> CallDraftState | None:
        """The operator's unfinished call, or None (also for an unreadable draft)."""
        try:
            return _from_json(json.loads(self._path(operator_id).read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def kept(self, operator_id: uuid.UUID) -> bool:
        """Whether the operator left a call unfinished (its draft is on this disk)."""
        return self._path(operator_id).exists()

    def discard(self, operator_id: uuid.UUID, started_at: datetime) -> None:
        """Close the call that started at ``started_at`` and remove its draft."""
        with self._lock:
            self._closed.add((operator_id, started_at))
            self._path(operator_id).unlink(missing_ok=True)

    def _path(self, operator_id: uuid.UUID) -> Path:
        return self.folder / f"{operator_id}.json"


def _to_json(draft: CallDraftState) -> dict[str, object]:
    values = asdict(draft)
    for key, value in values.items():
        if isinstance(value, datetime):
            values[key] = value.isoformat()
        elif isinstance(value, uuid.UUID):
            values[key] = str(value)
    return values


def _from_json(values: dict[str, object]) -> CallDraftState:
    def when(key: str) -> datetime | None:
        value = values.get(key)
        return datetime.fromisoformat(str(value)) if value else None

    started = when("started_at")
    if started is None or started.tzinfo is None:
        raise ValueError("a draft needs an aware start time")
    return CallDraftState(
        customer_id=uuid.UUID(str(values["customer_id"])),
        customer_name=str(values.get("customer_name", "")),
        phone_e164=str(values.get("phone_e164", "")),
        started_at=started,
        hung_up_at=when("hung_up_at"),
        reason=str(values.get("reason", "")),
        notes=str(values.get("notes", "")),
        call_id=uuid.UUID(str(values["call_id"])) if values.get("call_id") else uuid.uuid4(),
        phone_key=str(values.get("phone_key", "")),
        answered_at=when("answered_at"),
        callback_of=uuid.UUID(str(values["callback_of"])) if values.get("callback_of") else None,
    )
