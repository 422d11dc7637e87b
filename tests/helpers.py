"""Reading the database directly, to check what the services stored."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from cc_terminal.services.workstation import Workstation


def rows(ws: Workstation, sql: str, **params: Any) -> list[Any]:
    with ws.db.engine.connect() as connection:
        return list(connection.execute(text(sql), params).all())


def count_rows(ws: Workstation, table: str) -> int:
    return rows(ws, f"SELECT count(*) FROM {table}")[0][0]


def max_seq(ws: Workstation) -> int:
    return rows(ws, "SELECT coalesce(max(seq), 0) FROM outbox_op")[0][0]


def ops_since(ws: Workstation, seq: int) -> list[dict[str, Any]]:
    found = rows(
        ws,
        "SELECT entity, row_id, kind, changes, actor_id FROM outbox_op "
        "WHERE seq > :seq ORDER BY seq",
        seq=seq,
    )
    return [
        {"entity": e, "row_id": r, "kind": k, "changes": json.loads(c), "actor_id": a}
        for e, r, k, c, a in found
    ]
