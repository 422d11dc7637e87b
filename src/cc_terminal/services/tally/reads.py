"""The records a tally counts, read for a set of operators and a stretch of time.

Every read is grouped by operator so one query serves one operator's tally and the whole
team's view alike; each walks an (operator, time) index."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Mapped, Session
from sqlmodel import col

from cc_terminal.models import (
    Call,
    Campaign,
    CampaignKind,
    Channel,
    CustomerOrder,
    Disposition,
    DisputeDecision,
    LeadAttempt,
    Offer,
    OperatorComplaint,
    OrderEvent,
    OrderKind,
    OrderStatus,
    PauseReason,
    QaEvaluation,
    SuccessKind,
    TallyClaim,
    WorkPause,
    WorkSession,
)
from cc_terminal.services.tally.reconcile import Claim, Decision, SuccessRecord

Ids = Collection[uuid.UUID]
UNPAID_PAUSES = frozenset({PauseReason.LUNCH.value})
ORDER_SUCCESS_KIND = {
    OrderKind.LOAN.value: SuccessKind.APPLICATION.value,
    OrderKind.EQUIPMENT.value: SuccessKind.APPOINTMENT.value,
}


@dataclass
class CallFigures:
    handled: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    valid_calls: int = 0
    valid_messages: int = 0
    outbound: int = 0


@dataclass
class WorkTime:
    signed_in_seconds: int = 0
    paid_seconds: int = 0
    ready_seconds: int = 0  # signed in and not paused
    days: set[date] = field(default_factory=set)


def call_figures(
    session: Session, operators: Ids, start: datetime, end: datetime, min_talk: int
) -> dict[uuid.UUID, CallFigures]:
    voice = col(Call.channel) == Channel.VOICE.value
    query = (
        select(
            col(Call.operator_id),
            func.count(),
            func.coalesce(func.sum(col(Call.talk_seconds)), 0),
            func.coalesce(func.sum(col(Call.wrap_seconds)), 0),
            func.sum(case((and_(voice, col(Call.talk_seconds) >= min_talk), 1), else_=0)),
            func.sum(case((voice, 0), else_=1)),
            func.sum(case((col(Call.direction) == "out", 1), else_=0)),
        )
        .where(col(Call.operator_id).in_(operators), *_within(col(Call.started_at), start, end))
        .group_by(col(Call.operator_id))
    )
    return {
        row[0]: CallFigures(*(int(value or 0) for value in row[1:]))
        for row in session.execute(query)
    }


def calls_per_day(
    session: Session, operator_id: uuid.UUID, start: datetime, end: datetime, zone: ZoneInfo
) -> dict[date, int]:
    query = select(col(Call.started_at)).where(
        col(Call.operator_id) == operator_id, *_within(col(Call.started_at), start, end)
    )
    counts: dict[date, int] = defaultdict(int)
    for (started,) in session.execute(query):
        counts[started.astimezone(zone).date()] += 1
    return counts


def work_time(
    session: Session, operators: Ids, start: datetime, end: datetime, now: datetime, zone: ZoneInfo
) -> dict[uuid.UUID, WorkTime]:
    """Signed-in, paid and ready time inside the stretch; an open session runs until now."""
    times: dict[uuid.UUID, WorkTime] = defaultdict(WorkTime)
    sessions = select(
        col(WorkSession.operator_id), col(WorkSession.started_at), col(WorkSession.ended_at)
    ).where(
        col(WorkSession.operator_id).in_(operators),
        col(WorkSession.started_at) < end,
        or_(col(WorkSession.ended_at).is_(None), col(WorkSession.ended_at) > start),
    )
    for operator_id, started, ended in session.execute(sessions):
        seconds = _overlap(started, ended or now, start, end)
        if seconds <= 0:
            continue
        time = times[operator_id]
        time.signed_in_seconds += seconds
        time.paid_seconds += seconds
        time.ready_seconds += seconds
        time.days.add(max(started, start).astimezone(zone).date())
    pauses = select(
        col(WorkPause.operator_id),
        col(WorkPause.reason),
        col(WorkPause.started_at),
        col(WorkPause.ended_at),
    ).where(
        col(WorkPause.operator_id).in_(operators),
        col(WorkPause.started_at) < end,
        or_(col(WorkPause.ended_at).is_(None), col(WorkPause.ended_at) > start),
    )
    for operator_id, reason, started, ended in session.execute(pauses):
        seconds = max(0, _overlap(started, ended or now, start, end))
        time = times[operator_id]
        time.ready_seconds -= seconds
        if reason in UNPAID_PAUSES:
            time.paid_seconds -= seconds
    return times


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
    when = _during(col(CustomerOrder.created_at), start, end)
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
        _or_linked(when, col(CustomerOrder.call_id), calls, col(CustomerOrder.lead_id), leads),
    )
    rows = session.execute(query).all()
    cancelled = {row.id for row in rows if row.status == OrderStatus.CANCELLED.value}
    cancelled_at: dict[uuid.UUID, datetime] = {}
    if cancelled:
        events = select(col(OrderEvent.order_id), func.min(col(OrderEvent.at))).where(
            col(OrderEvent.order_id).in_(cancelled),
            col(OrderEvent.to_status) == OrderStatus.CANCELLED.value,
        )
        grouped = events.group_by(col(OrderEvent.order_id))
        cancelled_at = {row[0]: row[1] for row in session.execute(grouped)}
    return [
        SuccessRecord(
            key=f"order:{row.id}",
            operator_id=row.created_by,
            at=row.created_at,
            kind=ORDER_SUCCESS_KIND.get(row.kind, SuccessKind.ORDER.value),
            amount_minor=row.amount_minor,
            call_id=row.call_id,
            lead_id=row.lead_id,
            label=row.number,
            cancelled_at=cancelled_at.get(row.id),
        )
        for row in rows
    ]


def _attempts(
    session: Session, operators: Ids, start: datetime, end: datetime, calls: Ids, leads: Ids
) -> list[SuccessRecord]:
    when = _during(col(LeadAttempt.at), start, end)
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
        .join(
            Disposition,
            and_(
                col(Disposition.campaign_id) == col(LeadAttempt.campaign_id),
                col(Disposition.code) == col(LeadAttempt.disposition),
            ),
        )
        .join(Campaign, col(Campaign.id) == col(LeadAttempt.campaign_id))
        .where(
            col(LeadAttempt.operator_id).in_(operators),
            col(Disposition.success),
            _or_linked(when, col(LeadAttempt.call_id), calls, col(LeadAttempt.lead_id), leads),
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
    when = _during(col(Offer.offered_at), start, end)
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
    first: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, datetime, str]] = {}
    totals: dict[uuid.UUID, int] = defaultdict(int)
    for offer_id, call_id, operator_id, at, price, name in session.execute(
        query.order_by(col(Offer.offered_at))
    ):
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
    query = (
        select(col(QaEvaluation.call_id), func.min(col(QaEvaluation.at)))
        .where(col(QaEvaluation.call_id).in_(calls), col(QaEvaluation.auto_failed))
        .group_by(col(QaEvaluation.call_id))
    )
    failed = {row[0]: row[1] for row in session.execute(query)}
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
    when = _during(col(TallyClaim.at), start, end)
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
            _or_linked(when, col(TallyClaim.call_id), calls, col(TallyClaim.lead_id), leads),
        )
    )
    return [
        Claim(
            *row[:8],
            decision=None if row[8] is None else Decision(row[8], row[9], row[10]),
        )
        for row in session.execute(query)
    ]


def qa_totals(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Points earned, points possible and evaluations, by the evaluated calls' time."""
    query = (
        select(
            col(QaEvaluation.operator_id),
            func.sum(col(QaEvaluation.earned)),
            func.sum(col(QaEvaluation.possible)),
            func.count(),
        )
        .where(
            col(QaEvaluation.operator_id).in_(operators),
            *_within(col(QaEvaluation.call_started_at), start, end),
        )
        .group_by(col(QaEvaluation.operator_id))
    )
    return {
        row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3])) for row in session.execute(query)
    }


def complaint_counts(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, int]:
    query = (
        select(col(OperatorComplaint.operator_id), func.count())
        .where(
            col(OperatorComplaint.operator_id).in_(operators),
            *_within(col(OperatorComplaint.at), start, end),
        )
        .group_by(col(OperatorComplaint.operator_id))
    )
    return {row[0]: row[1] for row in session.execute(query)}


def _within(
    column: Mapped[datetime], start: datetime, end: datetime
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return column >= start, column < end


def _during(column: Mapped[datetime], start: datetime, end: datetime) -> ColumnElement[bool] | None:
    """The stretch as a condition; None for an empty one (a read of linked rows only)."""
    return and_(*_within(column, start, end)) if start < end else None


def _or_linked(
    when: ColumnElement[bool] | None,
    call_column: Mapped[uuid.UUID] | Mapped[uuid.UUID | None],
    calls: Ids,
    lead_column: Mapped[uuid.UUID] | Mapped[uuid.UUID | None],
    leads: Ids,
) -> ColumnElement[bool]:
    """In the stretch, or about one of these calls or leads (each column has an index, so a
    read of linked rows only never walks an operator's whole history)."""
    conditions = [] if when is None else [when]
    if calls:
        conditions.append(call_column.in_(calls))
    if leads:
        conditions.append(lead_column.in_(leads))
    return or_(*conditions) if conditions else false()


def _overlap(first: datetime, last: datetime, start: datetime, end: datetime) -> int:
    return int((min(last, end) - max(first, start)).total_seconds())


def refusal_counts(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, int]:
    """Outbound attempts that ended in a refusal, for conversion."""
    query = (
        select(col(LeadAttempt.operator_id), func.count())
        .join(
            Disposition,
            and_(
                col(Disposition.campaign_id) == col(LeadAttempt.campaign_id),
                col(Disposition.code) == col(LeadAttempt.disposition),
            ),
        )
        .where(
            col(LeadAttempt.operator_id).in_(operators),
            col(Disposition.refusal),
            *_within(col(LeadAttempt.at), start, end),
        )
        .group_by(col(LeadAttempt.operator_id))
    )
    return {row[0]: row[1] for row in session.execute(query)}


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
        orders = select(col(CustomerOrder.id), col(CustomerOrder.call_id)).where(
            col(CustomerOrder.id).in_(ids["order"])
        )
        for order_id, call_id in session.execute(orders):
            if call_id is not None:
                call_of[call_id] = f"order:{order_id}"
        events = (
            select(col(OrderEvent.order_id), func.min(col(OrderEvent.at)))
            .where(
                col(OrderEvent.order_id).in_(ids["order"]),
                col(OrderEvent.to_status) == OrderStatus.CANCELLED.value,
            )
            .group_by(col(OrderEvent.order_id))
        )
        found |= {f"order:{order}": at for order, at in session.execute(events)}
    if ids["attempt"]:
        attempts = select(col(LeadAttempt.id), col(LeadAttempt.call_id)).where(
            col(LeadAttempt.id).in_(ids["attempt"])
        )
        call_of |= {call: f"attempt:{attempt}" for attempt, call in session.execute(attempts)}
    call_of |= {call: f"offer:{call}" for call in ids["offer"]}
    if call_of:
        failed = (
            select(col(QaEvaluation.call_id), func.min(col(QaEvaluation.at)))
            .where(col(QaEvaluation.call_id).in_(call_of), col(QaEvaluation.auto_failed))
            .group_by(col(QaEvaluation.call_id))
        )
        for call_id, at in session.execute(failed):
            key = call_of[call_id]
            found[key] = min(at, found.get(key, at))
    return found
