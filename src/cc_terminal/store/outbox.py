"""The outbox: every row a session inserts, updates or deletes leaves one change op.

The ops are written by a flush hook on the session class, inside the same transaction
as the change itself, so a rolled-back service call leaves neither rows nor ops.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import Session as SQLModelSession

from cc_terminal.models.base import utcnow
from cc_terminal.models.outbox import OutboxOp

ACTOR_KEY = "actor_id"


class OutboxSession(SQLModelSession):
    """The session every service uses; see ``_record_ops``."""


def json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _column_values(obj: Any, only_changed: bool) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if only_changed and not state.attrs[attr.key].history.has_changes():
            continue
        values[attr.key] = json_value(getattr(obj, attr.key))
    return values


def _row_id(obj: Any) -> str:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in identity)


def _op(obj: Any, kind: str, changes: dict[str, Any], actor: Any, at: datetime) -> dict[str, Any]:
    return {
        "op_id": uuid.uuid4(),
        "entity": obj.__tablename__,
        "row_id": _row_id(obj),
        "kind": kind,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
        "actor_id": actor,
        "at": at,
    }


def _tracked(obj: Any) -> bool:
    return getattr(type(obj), "__outbox__", True)


def _changes(session: Session) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for obj in session.new:
        if _tracked(obj):
            yield "insert", obj, _column_values(obj, only_changed=False)
    for obj in session.dirty:
        if _tracked(obj) and session.is_modified(obj):
            changes = _column_values(obj, only_changed=True)
            if changes:
                yield "update", obj, changes
    for obj in session.deleted:
        if _tracked(obj):
            yield "delete", obj, {}


@event.listens_for(OutboxSession, "after_flush")
def _record_ops(session: Session, _context: Any) -> None:
    actor, at = session.info.get(ACTOR_KEY), utcnow()
    ops = [_op(obj, kind, changes, actor, at) for kind, obj, changes in _changes(session)]
    if ops:
        session.connection().execute(OutboxOp.__table__.insert(), ops)  # type: ignore[attr-defined]


def insert_rows(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    actor: uuid.UUID | None,
    key: str = "id",
) -> None:
    """Insert many rows with Core, one statement, and their change ops beside them in the
    same transaction: the bulk path of imports, where a session per row would cost ten times
    the insert. Each op is what the flush hook writes for an inserted row."""
    if not rows:
        return
    connection.execute(table.insert(), rows)
    at = utcnow()
    ops = [
        {
            "op_id": uuid.uuid4(),
            "entity": table.name,
            "row_id": str(row[key]),
            "kind": "insert",
            # json calls json_value only for what it cannot write itself (ids, times)
            "changes": json.dumps(row, ensure_ascii=False, sort_keys=True, default=json_value),
            "actor_id": actor,
            "at": at,
        }
        for row in rows
    ]
    connection.execute(OutboxOp.__table__.insert(), ops)  # type: ignore[attr-defined]
