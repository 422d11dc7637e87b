"""What applying keeps beside the rows: which ops are applied already, and the search
index of the customers the applied ops changed (a derived table, rebuilt here)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cc_terminal.models import AppliedOp, Customer
from cc_terminal.store import search_index
from cc_terminal.sync.ops import Incoming

CHUNK = 500


def not_applied(connection: Connection, ops: list[Incoming]) -> list[Incoming]:
    table = AppliedOp.__table__  # type: ignore[attr-defined]
    seen: set[uuid.UUID] = set()
    for start in range(0, len(ops), CHUNK):
        ids = [op.op_id for op in ops[start : start + CHUNK]]
        seen.update(
            connection.execute(select(table.c.op_id).where(table.c.op_id.in_(ids))).scalars()
        )
    return [op for op in ops if op.op_id not in seen]


def mark_applied(connection: Connection, ops: list[Incoming]) -> None:
    if ops:
        # straight to the driver: one row per op of a 100,000-op ingest
        connection.exec_driver_sql(
            "INSERT INTO sync_applied_op (op_id) VALUES (?)", [(op.op_id.hex,) for op in ops]
        )


def reindex(connection: Connection, customers: dict[uuid.UUID, dict[str, Any] | None]) -> None:
    """Index the customers again: from their inserted values, or read back (None)."""
    if not customers:
        return
    names = search_index.SEARCHED_NAMES
    columns = [Customer.__table__.c.id] + [Customer.__table__.c[name] for name in names]  # type: ignore[attr-defined]
    known = [(key, values) for key, values in customers.items() if values is not None]
    ids = [key for key, values in customers.items() if values is None]
    # inserted ones have no index rows yet: their terms in one batch (the bulk path)
    search_index.index_new_customers(
        connection, [(key, search_index.customer_terms(values)) for key, values in known]
    )
    for start in range(0, len(ids), CHUNK):
        rows = connection.execute(
            select(*columns).where(Customer.__table__.c.id.in_(ids[start : start + CHUNK]))  # type: ignore[attr-defined]
        )
        search_index.index_customers(
            connection,
            [(row.id, search_index.customer_terms(dict(row._mapping))) for row in rows],
        )
