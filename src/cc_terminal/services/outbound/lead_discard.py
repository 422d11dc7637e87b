"""A failed staged import taken away (services.outbound.lead_staging): every row it stored,
their search index, change ops and signed runs, and the list it made; what the floor made
of its rows meanwhile stays (a new customer another import gave a lead keeps it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel, col

from cc_terminal.models import (
    Consent,
    Customer,
    CustomerPhone,
    Lead,
    LeadList,
    OutboxOp,
    OutboxRun,
    StagedImport,
    StagedRow,
)
from cc_terminal.store import search_index
from cc_terminal.store.database import Database

STAGED = "staged"  # a lead's status while its import is not shown
_CHUNK = 900  # ids in one IN (...), below SQLite's variable limit
# a customer's own rows, taken away with it
_CUSTOMERS_OWN = frozenset({"customer", "customer_phone", "customer_term"})


def chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def discard(db: Database, import_id: uuid.UUID) -> None:
    """Every row the import stored, their index, ops and signed runs, and the import;
    nothing when it was decided shown."""
    with db.write(None) as session:
        connection = session.connection()
        staged = connection.execute(
            select(StagedImport).where(col(StagedImport.id) == import_id)
        ).first()
        if staged is None or staged.shown_at is not None:
            return  # a shown import is never taken away: its showing is finished
        rows = _staged_rows(connection, import_id, staged.list_id, int(staged.first_seq))
        _drop_ops(connection, int(staged.first_seq), rows)
        _drop_rows(connection, rows)
        connection.execute(delete(StagedRow).where(col(StagedRow.import_id) == import_id))
        connection.execute(delete(StagedImport).where(col(StagedImport.id) == import_id))
        if staged.list_id is not None and _drop_empty_list(
            connection, staged.list_id, staged.started_at
        ):
            _drop_ops(connection, int(staged.first_seq), {"lead_list": [staged.list_id]})


def _staged_rows(
    connection: Connection, import_id: uuid.UUID, list_id: uuid.UUID | None, first_seq: int
) -> dict[str, list[uuid.UUID]]:
    """The ids of every row the import stored, by table: also its lead and phone of a new
    customer erased meanwhile (the lead made unworkable, the phone deleted); not a new
    customer that another row names now, nor its phones (``_named_elsewhere``)."""
    noted = connection.execute(
        select(col(StagedRow.entity), col(StagedRow.row_id)).where(
            col(StagedRow.import_id) == import_id
        )
    ).all()
    customers: list[uuid.UUID] = []
    phones: list[uuid.UUID] = []
    leads: list[uuid.UUID] = []
    for chunk in chunks([row_id for entity, row_id in noted if entity == "customer"]):
        named = _named_elsewhere(connection, chunk, list_id)
        mine = [customer for customer in chunk if customer not in named]
        customers += mine
        found = connection.execute(
            select(col(CustomerPhone.id), col(CustomerPhone.customer_id)).where(
                col(CustomerPhone.customer_id).in_(mine)
            )
        ).all()
        phones += [phone for phone, _customer in found]
        with_phone = {customer for _phone, customer in found}
        phones += _deleted_phones(connection, first_seq, set(mine) - with_phone)
        if list_id is not None:
            leads += connection.execute(
                select(col(Lead.id)).where(
                    col(Lead.list_id) == list_id,
                    col(Lead.customer_id).in_(chunk),
                    col(Lead.status) != STAGED,
                )
            ).scalars()
    if list_id is not None:
        leads += connection.execute(
            select(col(Lead.id)).where(col(Lead.list_id) == list_id, col(Lead.status) == STAGED)
        ).scalars()
    consents = [row_id for entity, row_id in noted if entity == "consent"]
    return {"lead": leads, "consent": consents, "customer_phone": phones, "customer": customers}


def _named_elsewhere(
    connection: Connection, customers: list[uuid.UUID], list_id: uuid.UUID | None
) -> set[uuid.UUID]:
    """Those of the import's new customers that a row the import did not store names now
    (another list's lead, a call, an order: the floor saw the customer meanwhile); they stay,
    whole, with their phones, index and ops, and their foreign keys hold."""
    named: set[uuid.UUID] = set()
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _CUSTOMERS_OWN:
            continue
        for key in table.foreign_keys:
            if key.column.table.name != "customer":
                continue
            query = select(key.parent).where(key.parent.in_(customers)).distinct()
            if table.name == "lead" and list_id is not None:  # the import's own list's go
                query = query.where(table.c.list_id != list_id)
            named.update(connection.execute(query).scalars())
    return named


def _deleted_phones(
    connection: Connection, first_seq: int, customers: set[uuid.UUID]
) -> list[uuid.UUID]:
    """The phones the import made for ``customers`` that are gone (an erasure), by their
    insert ops (so that those and the deletes after them go too)."""
    ops = OutboxOp.__table__  # type: ignore[attr-defined]
    found: list[uuid.UUID] = []
    for customer in customers:
        query = select(ops.c.row_id).where(
            ops.c.seq >= first_seq,
            ops.c.entity == "customer_phone",
            ops.c.kind == "insert",
            ops.c.changes.like(f'%"customer_id": "{customer}"%'),
        )
        found += [uuid.UUID(row_id) for row_id in connection.execute(query).scalars()]
    return found


def _drop_ops(connection: Connection, first_seq: int, rows: dict[str, list[uuid.UUID]]) -> None:
    """The import's ops (none published: the floor waits for it) and their runs."""
    ops, runs = OutboxOp.__table__, OutboxRun.__table__  # type: ignore[attr-defined]
    for entity, ids in rows.items():
        for chunk in chunks(ids):
            mine = (ops.c.seq >= first_seq, ops.c.entity == entity)
            where = (*mine, ops.c.row_id.in_([str(row_id) for row_id in chunk]))
            signed = {
                run for run in connection.execute(select(ops.c.run_id).where(*where)).scalars()
            }
            connection.execute(ops.delete().where(*where))
            signed.discard(None)
            if signed:
                connection.execute(runs.delete().where(runs.c.run_id.in_(list(signed))))


def _drop_rows(connection: Connection, rows: dict[str, list[uuid.UUID]]) -> None:
    """The rows, those that point at others first; the customers' index with them."""
    for model in (Lead, Consent, CustomerPhone):
        table = model.__table__  # type: ignore[union-attr]
        for chunk in chunks(rows[table.name]):
            connection.execute(table.delete().where(table.c.id.in_(chunk)))
    customers = rows["customer"]
    search_index.index_customers(connection, ((customer, set()) for customer in customers))
    for chunk in chunks(customers):
        connection.execute(delete(Customer).where(col(Customer.id).in_(chunk)))


def _drop_empty_list(connection: Connection, list_id: uuid.UUID, since: datetime) -> bool:
    """The list the import made, when no lead is left in it; whether it was dropped."""
    if connection.execute(select(col(Lead.id)).where(col(Lead.list_id) == list_id)).first():
        return False
    dropped = connection.execute(
        delete(LeadList).where(col(LeadList.id) == list_id, col(LeadList.created_at) >= since)
    )
    return bool(dropped.rowcount)
