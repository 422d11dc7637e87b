"""Open conflicts: a kept losing value that still differs from the field's value (or was
written to a record deleted meanwhile) and that no team lead has decided yet."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cc_terminal.models import SyncConflict, SyncIssue
from cc_terminal.store.outbox import json_value
from cc_terminal.sync.audit_links import CUT_ISSUE
from cc_terminal.sync.merge_rules import same_value
from cc_terminal.sync.ops import Tables

CONFLICT = SyncConflict.__table__  # type: ignore[attr-defined]
ISSUE = SyncIssue.__table__  # type: ignore[attr-defined]
REFUSED_LISTED = 500
# What names a record for a person: the first of these columns its table has.
LABELS = ("full_name", "name", "username", "code", "title")


@dataclass(frozen=True)
class OpenConflict:
    entity: str
    row_id: str
    field: str
    current: Any  # None when the record was deleted
    losing: Any
    hlc: int
    terminal: str
    actor_id: Any
    deleted: bool
    label: str = ""


def open_conflicts(connection: Connection, tables: Tables | None = None) -> list[OpenConflict]:
    tables = tables or Tables()
    found = []
    rows = connection.execute(
        select(CONFLICT).where(CONFLICT.c.resolved.is_(False)).order_by(CONFLICT.c.hlc.desc())
    ).all()
    for row in rows:
        losing = json.loads(row.value)
        current, label = None, ""
        if not row.deleted and row.entity in tables.tables:
            table = tables.tables[row.entity]
            named = next((c for c in LABELS if c in table.c and c != row.field), None)
            columns = [table.c[row.field]] + ([table.c[named]] if named else [])
            record = connection.execute(
                select(*columns).where(tables.key(row.entity, row.row_id))
            ).first()
            if record is None:
                continue
            current = json_value(record[0])
            label = str(record[1]) if named else ""
            if same_value(current, losing):
                continue
        found.append(
            OpenConflict(
                row.entity,
                row.row_id,
                row.field,
                current,
                losing,
                int(row.hlc),
                row.terminal,
                row.actor_id,
                bool(row.deleted),
                label,
            )
        )
    return found


@dataclass(frozen=True)
class RefusedChange:
    """An op another terminal sent that this one refused (sync/judge.py), newest first."""

    at: Any
    terminal: str
    subject: str
    reason: str


def refused_changes(connection: Connection) -> list[RefusedChange]:
    rows = connection.execute(
        select(ISSUE)
        .where(ISSUE.c.kind.in_(("refused", CUT_ISSUE)))
        .order_by(ISSUE.c.at.desc())
        .limit(REFUSED_LISTED)
    )
    return [RefusedChange(row.at, row.terminal, row.subject, row.detail) for row in rows]
