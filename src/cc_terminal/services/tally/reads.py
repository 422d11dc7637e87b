"""The successes a tally credits and the claims made about them, read for a set of
operators and a stretch of time (or about given calls and leads), and when paid successes
were cancelled since.

Every read is grouped by operator so one query serves one operator's tally and the whole
team's view alike; each walks an (operator, time) index."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.data.codes import SystemCampaign
from cc_terminal.models import (
    Campaign,
    CampaignKind,
    CustomerOrder,
    Disposition,
    DisputeDecision,
    LeadAttempt,
    Offer,
    OrderEvent,
    OrderKind,
    OrderStatus,
    QaEvaluation,
    SuccessKind,
    TallyClaim,
)
from cc_terminal.services.tally.read_conditions import Ids, attempt_disposition, during, or_linked
from cc_terminal.services.tally.reconcile import Claim, Decision, SuccessRecord

ORDER_SUCCESS_KIND = {
    OrderKind.LOAN.value: SuccessKind.APPLICATION.value,
    OrderKind.EQUIPMENT.value: SuccessKind.APPOINTMENT.value,
}
OrderRow = Row[
    uuid.UUID, uuid.UUID, datetime, str, int | None, uuid.UUID | None, uuid.UUID | None, str, str
]
OfferRow = Row[uuid.UUID, uuid.UUID | None, uuid.UUID, datetime, int, str]


def success_records(
    session: Session,
    operators: Ids,
    start: datetime,
    end: datetime,
    *,
    calls: Ids = (),
    leads: Ids = (),
) -> list[SuccessRecord]:
    """Orders that count, successful outbound attempts and accepted offers, one success per
    call (an order taken in the call stands for it); also those in ``calls`` or ``leads``
    at any time, for claims made about them."""
    orders = _orders(session, operators, start, end, calls, leads)
    attempts = _attempts(session, operators, start, end, calls, leads)
    offers = _offers(session, operators, start, end, calls)
    with_order = {record.call_id for record in orders if record.call_id is not None}
    records = list(orders)
    for record in attempts:
        if record.call_id in with_order:
            continue
        amount = offers.pop(record.call_id, None) if record.call_id is not None else None
        if amount is not None:
            record = SuccessRecord(**{**record.__dict__, "amount_minor": amount[1]})
        records.append(record)
    records += [rec for call_id, (rec, _total) in offers.items() if call_id not in with_order]
    return _with_quality_failures(session, records)


def _orders(
    session: Session, operators: Ids, start: datetime, end: datetime, calls: Ids, leads: Ids
) -> list[SuccessRecord]:
    when = during(col(CustomerOrder.created_at), start, end)
    query = select(
        col(CustomerOrder.id),
        col(CustomerOrder.created_by),
        col(CustomerOrder.created_at),
        col(CustomerOrder.kind),
        col(CustomerOrder.amount_minor),
        col(CustomerOrder.call_id),
        col(CustomerOrder.lead_id),
        col(CustomerOrder.number),
        col(CustomerOrder.status),
    ).where(
        col(CustomerOrder.created_by).in_(operators),
        col(CustomerOrder.counts_as_success),
        col(CustomerOrder.status) != OrderStatus.DRAFT.value,
        or_linked(when, col(CustomerOrder.call_id), calls, col(CustomerOrder.lead_id), leads),
    )
    rows = session.execute(query).all()
    cancelled = {row.id for row in rows if row.status == OrderStatus.CANCELLED.value}
    cancelled_at = _cancelled_at(session, cancelled) if cancelled else {}
    return [_order_record(row, cancelled_at.get(row.id)) for row in rows]


def _order_record(row: OrderRow, cancelled_at: datetime | None) -> SuccessRecord:
    return SuccessRecord(
        key=f"order:{row.id}",
        operator_id=row.created_by,
        at=row.created_at,
        kind=ORDER_SUCCESS_KIND.get(row.kind, SuccessKind.ORDER.value),
        amount_minor=row.amount_minor,
        call_id=row.call_id,
        lead_id=row.lead_id,
        label=row.number,
        cancelled_at=cancelled_at,
    )


def _attempts(
    session: Session, operators: Ids, start: datetime, end: datetime, calls: Ids, leads: Ids
) -> list[SuccessRecord]:
    when = during(col(LeadAttempt.at), start, end)
    query = (
        select(
            col(LeadAttempt.id),
            col(LeadAttempt.operator_id),
            col(LeadAttempt.at),
            col(LeadAttempt.call_id),
            col(LeadAttempt.lead_id),
            col(Campaign.kind),
            col(Campaign.code),
        )
        .join(Disposition, attempt_disposition())
        .join(Campaign, col(Campaign.id) == col(LeadAttempt.campaign_id))
        .where(
            col(LeadAttempt.operator_id).in_(operators),
            col(Disposition.success),
            col(Campaign.code) != SystemCampaign.ORDER_CALLS.value,  # a service, not a sale
            or_linked(when, col(LeadAttempt.call_id), calls, col(LeadAttempt.lead_id), leads),
        )
    )
    return [
        SuccessRecord(
            key=f"attempt:{attempt_id}",
            operator_id=operator_id,
            at=at,
            kind=(SuccessKind.SALE if kind == CampaignKind.SALES else SuccessKind.SURVEY).value,
            amount_minor=None,
            call_id=call_id,
            lead_id=lead_id,
            label=code,
        )
        for attempt_id, operator_id, at, call_id, lead_id, kind, code in session.execute(query)
    ]


def _offers(
    session: Session, operators: Ids, start: datetime, end: datetime, calls: Ids
) -> dict[uuid.UUID, tuple[SuccessRecord, int]]:
    """Accepted offers, one sale per call with the call's total."""
    when = during(col(Offer.offered_at), start, end)
    linked = col(Offer.call_id).in_(calls) if calls else None
    if when is None and linked is None:
        return {}
    query = select(
        col(Offer.id),
        col(Offer.call_id),
        col(Offer.operator_id),
        col(Offer.offered_at),
        col(Offer.price_minor),
        col(Offer.product_name),
    ).where(
        col(Offer.operator_id).in_(operators),
        col(Offer.accepted),
        or_(*(condition for condition in (when, linked) if condition is not None)),
    )
    return _sales_by_call(session.execute(query.order_by(col(Offer.offered_at))))


def _sales_by_call(rows: Iterable[OfferRow]) -> dict[uuid.UUID, tuple[SuccessRecord, int]]:
    """One sale per call (or per offer made outside a call): the first offer's operator,
    time and product, with the total of the call's accepted offers."""
    first: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, datetime, str]] = {}
    totals: dict[uuid.UUID, int] = defaultdict(int)
    for offer_id, call_id, operator_id, at, price, name in rows:
        key = call_id or offer_id
        first.setdefault(key, (offer_id, operator_id, at, name))
        totals[key] += price
    return {
        key: (
            SuccessRecord(
                key=f"offer:{key}",
                operator_id=operator_id,
                at=at,
                kind=SuccessKind.SALE.value,
                amount_minor=totals[key],
                call_id=key if key != offer_id else None,
                lead_id=None,
                label=name,
            ),
            totals[key],
        )
        for key, (offer_id, operator_id, at, name) in first.items()
    }


def _with_quality_failures(session: Session, records: list[SuccessRecord]) -> list[SuccessRecord]:
    calls = {record.call_id for record in records if record.call_id is not None}
    if not calls:
        return records
    failed = _failed_at(session, calls)
    return [
        SuccessRecord(**{**r.__dict__, "cancelled_at": r.cancelled_at or failed[r.call_id]})
        if r.call_id in failed
        else r
        for r in records
    ]


def claims(
    session: Session,
    operators: Ids,
    start: datetime,
    end: datetime,
    *,
    calls: Ids = (),
    leads: Ids = (),
) -> list[Claim]:
    when = during(col(TallyClaim.at), start, end)
    query = (
        select(
            col(TallyClaim.id),
            col(TallyClaim.operator_id),
            col(TallyClaim.at),
            col(TallyClaim.kind),
            col(TallyClaim.amount_minor),
            col(TallyClaim.call_id),
            col(TallyClaim.lead_id),
            col(TallyClaim.note),
            col(DisputeDecision.accepted),
            col(DisputeDecision.note),
            col(DisputeDecision.decided_at),
        )
        .outerjoin(DisputeDecision, col(DisputeDecision.claim_id) == col(TallyClaim.id))
        .where(
            col(TallyClaim.operator_id).in_(operators),
            or_linked(when, col(TallyClaim.call_id), calls, col(TallyClaim.lead_id), leads),
        )
    )
    return [
        Claim(
            *row[:8],
            decision=None if row[8] is None else Decision(row[8], row[9], row[10]),
        )
        for row in session.execute(query)
    ]


def cancellations(session: Session, keys: Collection[str]) -> dict[str, datetime]:
    """When each named success was cancelled or failed its quality check, for those that
    were (the keys of paid pay lines)."""
    ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    for key in keys:
        source, _colon, value = key.partition(":")
        ids[source].add(uuid.UUID(value))
    found: dict[str, datetime] = {}
    call_of: dict[uuid.UUID, str] = {}
    if ids["order"]:
        call_of |= _order_calls(session, ids["order"])
        found |= {
            f"order:{order}": at for order, at in _cancelled_at(session, ids["order"]).items()
        }
    if ids["attempt"]:
        attempts = select(col(LeadAttempt.id), col(LeadAttempt.call_id)).where(
            col(LeadAttempt.id).in_(ids["attempt"])
        )
        call_of |= {call: f"attempt:{attempt}" for attempt, call in session.execute(attempts)}
    call_of |= {call: f"offer:{call}" for call in ids["offer"]}
    for call_id, at in _failed_at(session, call_of).items():
        key = call_of[call_id]
        found[key] = min(at, found.get(key, at))
    return found


def _order_calls(session: Session, orders: Ids) -> dict[uuid.UUID, str]:
    """The success key of each order taken in a call, by the call."""
    query = select(col(CustomerOrder.id), col(CustomerOrder.call_id)).where(
        col(CustomerOrder.id).in_(orders)
    )
    return {
        call_id: f"order:{order_id}"
        for order_id, call_id in session.execute(query)
        if call_id is not None
    }


def _cancelled_at(session: Session, orders: Ids) -> dict[uuid.UUID, datetime]:
    """When each of these orders was first cancelled, for those that were."""
    query = (
        select(col(OrderEvent.order_id), func.min(col(OrderEvent.at)))
        .where(
            col(OrderEvent.order_id).in_(orders),
            col(OrderEvent.to_status) == OrderStatus.CANCELLED.value,
        )
        .group_by(col(OrderEvent.order_id))
    )
    return {order_id: at for order_id, at in session.execute(query)}


def _failed_at(session: Session, calls: Ids) -> dict[uuid.UUID, datetime]:
    """When each of these calls first failed its quality check, for those that did."""
    if not calls:
        return {}
    query = (
        select(col(QaEvaluation.call_id), func.min(col(QaEvaluation.at)))
        .where(col(QaEvaluation.call_id).in_(calls), col(QaEvaluation.auto_failed))
        .group_by(col(QaEvaluation.call_id))
    )
    return {call_id: at for call_id, at in session.execute(query)}
