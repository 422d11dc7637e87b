"""One ledger per customer: calls, offers, requests and their steps, escalations, orders and
their steps, newest first. Each source is one indexed query (customer, time) limited to the
ledger's length, so a customer with years of history costs the same as one with a year."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, bindparam, func, select, type_coerce
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import NullType, TypeEngine
from sqlmodel import col

from cc_terminal.models import (
    Call,
    Campaign,
    CustomerOrder,
    Disposition,
    Escalation,
    LeadAttempt,
    Offer,
    Operator,
    OrderEvent,
    RequestEvent,
    ServiceRequest,
)
from cc_terminal.services.common.views import EntryKind, LedgerEntry, Timeline
from cc_terminal.store.driver_reads import DriverRead

LEDGER_LENGTH = 500


_CUSTOMER: BindParameter[uuid.UUID] = bindparam("customer_id")
_LIMIT: BindParameter[int] = bindparam("limit")

_CALLS = (
    select(
        col(Call.started_at),
        col(Call.reason),
        col(Call.outcome),
        col(Call.notes),
        col(Operator.full_name),
        col(Call.id),
        col(Call.talk_seconds),
    )
    .join(Operator, col(Operator.id) == col(Call.operator_id))
    # Outbound calls show as their attempts, with the campaign and the disposition.
    .where(col(Call.customer_id) == _CUSTOMER, col(Call.direction) == "in")
    .order_by(col(Call.started_at).desc())
    .limit(_LIMIT)
)
_OFFERS = (
    select(
        col(Offer.offered_at),
        col(Offer.product_name),
        col(Offer.accepted),
        col(Offer.refusal_reason),
        col(Offer.refusal_note),
        col(Operator.full_name),
        col(Offer.id),
        col(Offer.price_minor),
        col(Offer.currency),
    )
    .join(Operator, col(Operator.id) == col(Offer.operator_id))
    .where(col(Offer.customer_id) == _CUSTOMER)
    .order_by(col(Offer.offered_at).desc())
    .limit(_LIMIT)
)
_REQUESTS = (
    select(
        col(ServiceRequest.created_at),
        col(ServiceRequest.category),
        col(ServiceRequest.status),
        col(ServiceRequest.summary),
        col(Operator.full_name),
        col(ServiceRequest.id),
        col(ServiceRequest.department),
        col(ServiceRequest.due_at),
    )
    .join(Operator, col(Operator.id) == col(ServiceRequest.created_by))
    .where(col(ServiceRequest.customer_id) == _CUSTOMER)
    .order_by(col(ServiceRequest.created_at).desc())
    .limit(_LIMIT)
)
_step_request = aliased(ServiceRequest)
_STEPS = (
    select(
        col(RequestEvent.at),
        col(_step_request.category),
        col(RequestEvent.to_status),
        col(RequestEvent.note),
        col(Operator.full_name),
        col(RequestEvent.request_id),
        col(RequestEvent.department),
    )
    .join(_step_request, col(_step_request.id) == col(RequestEvent.request_id))
    .join(Operator, col(Operator.id) == col(RequestEvent.actor_id))
    .where(col(_step_request.customer_id) == _CUSTOMER, col(RequestEvent.from_status) != "")
    .order_by(col(RequestEvent.at).desc())
    .limit(_LIMIT)
)
_ESCALATIONS = (
    select(
        col(Escalation.raised_at),
        col(Escalation.reason),
        col(Escalation.status),
        col(Escalation.notes),
        col(Operator.full_name),
        col(Escalation.id),
        col(Escalation.elapsed_seconds),
    )
    .join(Operator, col(Operator.id) == col(Escalation.operator_id))
    .where(col(Escalation.customer_id) == _CUSTOMER)
    .order_by(col(Escalation.raised_at).desc())
    .limit(_LIMIT)
)


_ATTEMPTS = (
    select(
        col(LeadAttempt.at),
        col(Campaign.name),
        func.coalesce(col(Disposition.label), col(LeadAttempt.disposition)),
        col(LeadAttempt.note),
        col(Operator.full_name),
        col(LeadAttempt.id),
        col(LeadAttempt.refusal_reason),
    )
    .join(Campaign, col(Campaign.id) == col(LeadAttempt.campaign_id))
    .join(Operator, col(Operator.id) == col(LeadAttempt.operator_id))
    .outerjoin(
        Disposition,
        and_(
            col(Disposition.campaign_id) == col(LeadAttempt.campaign_id),
            col(Disposition.code) == col(LeadAttempt.disposition),
        ),
    )
    .where(col(LeadAttempt.customer_id) == _CUSTOMER)
    .order_by(col(LeadAttempt.at).desc())
    .limit(_LIMIT)
)


_ORDER_STEPS = (
    select(
        col(OrderEvent.at),
        col(CustomerOrder.kind),
        col(OrderEvent.to_status),
        col(OrderEvent.note),
        col(Operator.full_name),
        col(OrderEvent.order_id),
        col(CustomerOrder.number),
    )
    .join(CustomerOrder, col(CustomerOrder.id) == col(OrderEvent.order_id))
    .join(Operator, col(Operator.id) == col(OrderEvent.actor_id))
    .where(col(CustomerOrder.customer_id) == _CUSTOMER)
    .order_by(col(OrderEvent.at).desc(), col(OrderEvent.seq).desc())
    .limit(_LIMIT)
)


def _call(row: Sequence[Any]) -> LedgerEntry:
    at, reason, outcome, notes, name, call_id, talk = row
    return LedgerEntry(at, EntryKind.CALL, reason, outcome, notes, name, call_id, seconds=talk)


def _offer(row: Sequence[Any]) -> LedgerEntry:
    at, product, accepted, reason, note, name, offer_id, price, currency = row
    result = "accepted" if accepted else reason
    return LedgerEntry(at, EntryKind.OFFER, product, result, note, name, offer_id, price, currency)


def _request(row: Sequence[Any]) -> LedgerEntry:
    at, category, status, summary, name, request_id, department, due = row
    return LedgerEntry(
        at,
        EntryKind.REQUEST,
        category,
        status,
        summary,
        name,
        request_id,
        department=department,
        due_at=due,
    )


def _request_step(row: Sequence[Any]) -> LedgerEntry:
    at, category, status, note, name, request_id, department = row
    return LedgerEntry(
        at, EntryKind.REQUEST_STEP, category, status, note, name, request_id, department=department
    )


def _escalation(row: Sequence[Any]) -> LedgerEntry:
    at, reason, status, notes, name, escalation_id, elapsed = row
    return LedgerEntry(
        at, EntryKind.ESCALATION, reason, status, notes, name, escalation_id, seconds=elapsed
    )


def _attempt(row: Sequence[Any]) -> LedgerEntry:
    at, campaign, label, note, name, attempt_id, reason = row
    return LedgerEntry(
        at, EntryKind.OUTBOUND, campaign, label, note, name, attempt_id, reason=reason
    )


def _order_step(row: Sequence[Any]) -> LedgerEntry:
    at, kind, status, note, name, order_id, number = row
    detail = f"{number}: {note}" if note else number
    return LedgerEntry(at, EntryKind.ORDER, kind, status, detail, name, order_id)


# Each source's query, how one of its rows reads as a ledger entry, and that entry's kind.
_SOURCES: tuple[
    tuple[Select[*tuple[Any, ...]], Callable[[Sequence[Any]], LedgerEntry], EntryKind], ...
] = (
    (_CALLS, _call, EntryKind.CALL),
    (_OFFERS, _offer, EntryKind.OFFER),
    (_REQUESTS, _request, EntryKind.REQUEST),
    (_STEPS, _request_step, EntryKind.REQUEST_STEP),
    (_ESCALATIONS, _escalation, EntryKind.ESCALATION),
    (_ATTEMPTS, _attempt, EntryKind.OUTBOUND),
    (_ORDER_STEPS, _order_step, EntryKind.ORDER),
)


def _as_stored(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The query with its columns as the driver gives them: converting every time and id
    of 500 rows cost more than the queries; an entry's are converted when it is read."""
    stored = (type_coerce(column, NullType()) for column in query.selected_columns)
    return query.with_only_columns(*stored, maintain_column_froms=True)


_STORED = tuple(DriverRead(_as_stored(query)) for query, _make, _kind in _SOURCES)
_Processors = tuple[tuple[Callable[[Any], Any] | None, ...], ...]
_PROCESSORS: dict[str, _Processors] = {}


def _processors(dialect: Dialect) -> _Processors:
    """Each source's columns' conversions from what this dialect's driver gives."""
    found = _PROCESSORS.get(dialect.name)
    if found is None:
        found = _PROCESSORS[dialect.name] = tuple(
            tuple(_processor(column.type, dialect) for column in query.selected_columns)
            for query, _make, _kind in _SOURCES
        )
    return found


def _processor(kind: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    return kind.dialect_impl(dialect).result_processor(dialect, None)


def timeline(
    connection: Connection, customer_id: uuid.UUID, length: int = LEDGER_LENGTH
) -> Timeline:
    """The newest ``length`` entries of every source, newest first. Sorted by the time as
    stored (an ISO text on SQLite, a timestamp on PostgreSQL: both sort as times do); each
    entry is made when first read (views.Timeline)."""
    params = {"customer_id": customer_id, "limit": length}
    rows = [
        (row[0], source, row)
        for source, query in enumerate(_STORED)
        for row in query.rows(connection, params)
    ]
    rows.sort(key=itemgetter(0), reverse=True)  # stable: equal times keep the sources' order
    del rows[length:]
    processors = _processors(connection.dialect)

    def entry(index: int) -> LedgerEntry:
        _at, source, row = rows[index]
        converted = [
            convert(value) if convert else value
            for convert, value in zip(processors[source], row, strict=True)
        ]
        return _SOURCES[source][1](converted)

    return Timeline([_SOURCES[source][2] for _at, source, _row in rows], entry)


def order_read_back(connection: Connection, customer_id: uuid.UUID, order_id: uuid.UUID) -> str:
    """An order of this customer as it was read back to them (its lines, the visit, the
    amount); "" when the order is not theirs or was never read back (a draft)."""
    found = connection.execute(
        select(col(CustomerOrder.read_back)).where(
            col(CustomerOrder.id) == order_id, col(CustomerOrder.customer_id) == customer_id
        )
    ).scalar_one_or_none()
    return found or ""
