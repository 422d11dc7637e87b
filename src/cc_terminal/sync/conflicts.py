"""Open conflicts: a kept losing value that still differs from the field's value (or was
written to a record deleted meanwhile) and that no team lead has decided yet."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cc_terminal.models import SyncConflict
from cc_terminal.store.outbox import json_value
from cc_terminal.sync.ops import Tables

CONFLICT = SyncConflict.__table__  # type: ignore[attr-defined]
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
            if current == losing:
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
