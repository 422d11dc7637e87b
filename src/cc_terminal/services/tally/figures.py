"""One operator's figures for one period, as the tally, the team view and payroll see them.

``tally_figures`` reads everything for a set of operators in one pass per kind of record;
the KPIs are ratios of sums over the period (TALLY_PAY_ROSTER.md), never averages of
daily averages, and every ratio of nothing is None."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import Operator, PayLine, PayPeriod, PayPlan, SuccessKind
from cc_terminal.services.tally import kpi_reads, reads
from cc_terminal.services.tally.pay import (
    PayFigures,
    PayLineItem,
    PayResult,
    PlanTerms,
    compute_pay,
    what_if,
)
from cc_terminal.services.tally.periods import Period
from cc_terminal.services.tally.plan_terms import plan_terms, targets_of
from cc_terminal.services.tally.reconcile import Claim, ReconciledItem, SuccessRecord, reconcile

SUCCESS_LINE, REVERSAL_LINE = "paid_item", "reversed_item"


@dataclass(frozen=True)
class OperatorRef:
    id: uuid.UUID
    username: str
    full_name: str
    plan_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Kpis:
    handled: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    valid_calls: int = 0
    valid_messages: int = 0
    chats: int = 0  # of the calls handled, those that were chats
    letters: int = 0  # and those that were letters (e-mail)
    signed_in_seconds: int = 0
    paid_seconds: int = 0
    ready_seconds: int = 0
    worked_days: int = 0
    successes: int = 0  # credited and not cancelled, pending ones included
    by_kind: dict[str, int] = field(default_factory=dict)
    sales_minor: int = 0
    refusals: int = 0
    outbound_successes: int = 0
    qa_earned: int = 0
    qa_possible: int = 0
    evaluations: int = 0
    complaints: int = 0
    follow_ups: int = 0  # calls an order promised: paid as talk time, not successes
    # chats first answered and their waits for it, summed (kpi_reads.first_responses)
    first_answers: tuple[int, int] = (0, 0)

    @property
    def first_response_seconds_each(self) -> float | None:
        count, seconds = self.first_answers
        return seconds / count if count else None

    @property
    def chats_per_hour(self) -> float | None:
        return self.chats * 3600 / self.paid_seconds if self.chats and self.paid_seconds else None

    @property
    def aht_seconds(self) -> int | None:
        handling = self.talk_seconds + self.wrap_seconds
        return round(handling / self.handled) if self.handled else None

    @property
    def occupancy(self) -> float | None:
        handling = self.talk_seconds + self.wrap_seconds
        return min(1.0, handling / self.ready_seconds) if self.ready_seconds > 0 else None

    @property
    def utilisation(self) -> float | None:
        handling = self.talk_seconds + self.wrap_seconds
        return min(1.0, handling / self.paid_seconds) if self.paid_seconds > 0 else None

    @property
    def conversion(self) -> float | None:
        tried = self.outbound_successes + self.refusals
        return self.outbound_successes / tried if tried else None

    @property
    def qa(self) -> float | None:
        return self.qa_earned / self.qa_possible if self.qa_possible else None

    @property
    def paid_hours(self) -> Fraction:
        return Fraction(self.paid_seconds, 3600)  # exact: priced before anything is rounded


@dataclass(frozen=True)
class PayPreview:
    result: PayResult
    figures: PayFigures
    pending: int
    pending_minor: int  # sales still in their window
    two_more_sales: Decimal
    closed: bool  # the period is closed: the lines are the stored ones
    reversed_items: tuple[tuple[str, int], ...] = ()  # paid successes cancelled since


@dataclass(frozen=True)
class OperatorFigures:
    operator: OperatorRef
    kpis: Kpis
    items: list[ReconciledItem]
    plan: PlanTerms | None
    pay: PayPreview | None
    targets: dict[str, int] = field(default_factory=dict)

    @property
    def open_disputes(self) -> int:
        return sum(
            1 for item in self.items if item.disputed and item.claim and not item.claim.decision
        )


def operator_refs(session: Session, ids: list[uuid.UUID] | None = None) -> list[OperatorRef]:
    query = select(Operator).order_by(col(Operator.full_name))
    if ids is not None:
        query = query.where(col(Operator.id).in_(ids))
    return [
        OperatorRef(row.id, row.username, row.full_name, row.pay_plan_id)
        for row in session.scalars(query)
    ]


def closed_period(session: Session, period: Period) -> PayPeriod | None:
    """The closed pay period that is exactly this one."""
    return session.scalars(
        select(PayPeriod).where(
            col(PayPeriod.starts_on) == period.start, col(PayPeriod.ends_on) == period.end
        )
    ).first()


def tally_figures(
    session: Session,
    operators: list[OperatorRef],
    period: Period,
    zone: ZoneInfo,
    now: datetime,
) -> dict[uuid.UUID, OperatorFigures]:
    ids = [operator.id for operator in operators]
    start, end = period.bounds(zone)
    plan_rows = session.scalars(
        select(PayPlan).where(col(PayPlan.id).in_({o.plan_id for o in operators if o.plan_id}))
    ).all()
    plans = {row.id: plan_terms(row) for row in plan_rows}
    targets = {row.id: targets_of(row) for row in plan_rows}
    counts = _read_counts(session, operators, plans, start, end, now, zone)
    items = _reconciled(session, ids, start, end)
    closed = closed_period(session, period)
    stored = _stored_lines(session, closed.id) if closed is not None else {}
    reversals = _reversals(session, ids, start, end)
    result: dict[uuid.UUID, OperatorFigures] = {}
    for operator in operators:
        in_period = [item for item in items.get(operator.id, []) if start <= item.at < end]
        plan = plans.get(operator.plan_id) if operator.plan_id else None
        kpis = _kpis(counts, operator.id, in_period)
        pay = None
        if plan is not None:
            pay = _preview(plan, kpis, in_period, reversals.get(operator.id, []), now)
            if closed is not None:
                pay = _stored_preview(pay, stored.get(operator.id, []), plan)
        aims = targets.get(operator.plan_id, {}) if operator.plan_id else {}
        result[operator.id] = OperatorFigures(operator, kpis, in_period, plan, pay, aims)
    return result


@dataclass(frozen=True)
class _Counts:
    """What the KPIs count, read for every operator at once."""

    calls: dict[uuid.UUID, kpi_reads.CallFigures]
    times: dict[uuid.UUID, kpi_reads.WorkTime]
    qa: dict[uuid.UUID, tuple[int, int, int]]
    complaints: dict[uuid.UUID, int]
    refusals: dict[uuid.UUID, int]
    follow_ups: dict[uuid.UUID, int]
    first_responses: dict[uuid.UUID, tuple[int, int]]


def _read_counts(
    session: Session,
    operators: list[OperatorRef],
    plans: dict[uuid.UUID, PlanTerms],
    start: datetime,
    end: datetime,
    now: datetime,
    zone: ZoneInfo,
) -> _Counts:
    """One read per kind of record; the calls again for an operator whose plan counts a
    call as valid from a longer talk than the shortest plan's."""
    ids = [operator.id for operator in operators]
    min_talk = min((plan.min_talk_seconds for plan in plans.values()), default=0)
    calls = kpi_reads.call_figures(session, ids, start, end, min_talk)
    for operator in operators:
        plan = plans.get(operator.plan_id) if operator.plan_id else None
        if plan is not None and plan.min_talk_seconds != min_talk:
            one = kpi_reads.call_figures(session, [operator.id], start, end, plan.min_talk_seconds)
            calls[operator.id] = one.get(operator.id, kpi_reads.CallFigures())
    return _Counts(
        calls,
        kpi_reads.work_time(session, ids, start, end, now, zone),
        kpi_reads.qa_totals(session, ids, start, end),
        kpi_reads.complaint_counts(session, ids, start, end),
        kpi_reads.refusal_counts(session, ids, start, end),
        kpi_reads.follow_up_counts(session, ids, start, end),
        kpi_reads.first_responses(session, ids, start, end),
    )


def _reconciled(
    session: Session, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[ReconciledItem]]:
    claims = reads.claims(session, ids, start, end)
    records = reads.success_records(session, ids, start, end)
    # A claim about a call or lead of another period meets its record there, and back.
    calls = {c.call_id for c in claims if c.call_id} - {r.call_id for r in records}
    leads = {c.lead_id for c in claims if c.lead_id} - {r.lead_id for r in records}
    if calls or leads:
        records += reads.success_records(session, ids, start, start, calls=calls, leads=leads)
    calls = {r.call_id for r in records if r.call_id} - {c.call_id for c in claims}
    leads = {r.lead_id for r in records if r.lead_id} - {c.lead_id for c in claims}
    if calls or leads:
        claims += reads.claims(session, ids, start, start, calls=calls, leads=leads)
    claims_of: dict[uuid.UUID, dict[uuid.UUID, Claim]] = defaultdict(dict)
    for claim in claims:
        claims_of[claim.operator_id][claim.id] = claim
    records_of: dict[uuid.UUID, dict[str, SuccessRecord]] = defaultdict(dict)
    for record in records:
        records_of[record.operator_id][record.key] = record
    return {
        operator: reconcile(list(claims_of[operator].values()), list(records_of[operator].values()))
        for operator in ids
    }


def _kpis(counts: _Counts, operator_id: uuid.UUID, items: list[ReconciledItem]) -> Kpis:
    calls = counts.calls.get(operator_id, kpi_reads.CallFigures())
    time = counts.times.get(operator_id, kpi_reads.WorkTime())
    qa = counts.qa.get(operator_id, (0, 0, 0))
    by_kind: dict[str, int] = {}
    sales = outbound = 0
    for item in items:
        credited = item.credited
        if credited is None:
            continue
        kind, amount = credited
        by_kind[kind] = by_kind.get(kind, 0) + 1
        if kind == SuccessKind.SALE.value:
            sales += amount
        if item.record is not None and item.record.key.startswith("attempt:"):
            outbound += 1
    return Kpis(
        handled=calls.handled,
        talk_seconds=calls.talk_seconds,
        wrap_seconds=calls.wrap_seconds,
        valid_calls=calls.valid_calls,
        valid_messages=calls.valid_messages,
        chats=calls.chats,
        letters=calls.letters,
        signed_in_seconds=time.signed_in_seconds,
        paid_seconds=max(0, time.paid_seconds),
        ready_seconds=max(0, time.ready_seconds),
        worked_days=len(time.days),
        successes=sum(by_kind.values()),
        by_kind=by_kind,
        sales_minor=sales,
        refusals=counts.refusals.get(operator_id, 0),
        outbound_successes=outbound,
        qa_earned=qa[0],
        qa_possible=qa[1],
        evaluations=qa[2],
        complaints=counts.complaints.get(operator_id, 0),
        follow_ups=counts.follow_ups.get(operator_id, 0),
        first_answers=counts.first_responses.get(operator_id, (0, 0)),
    )


def cleared(item: ReconciledItem, plan: PlanTerms, now: datetime) -> bool:
    return item.at + timedelta(days=plan.hold_days) <= now


def _preview(
    plan: PlanTerms,
    kpis: Kpis,
    items: list[ReconciledItem],
    reversed_items: list[tuple[str, int]],
    now: datetime,
) -> PayPreview:
    successes = pending = pending_minor = 0
    sales = Decimal(0)
    for item in items:
        credited = item.credited
        if credited is None:
            continue
        kind, amount = credited
        if cleared(item, plan, now):
            successes += 1
            sales += Decimal(amount) / 100 if kind == SuccessKind.SALE.value else 0
        else:
            pending += 1
            pending_minor += amount if kind == SuccessKind.SALE.value else 0
    figures = PayFigures(
        paid_hours=kpis.paid_hours,
        valid_calls=kpis.valid_calls,
        valid_messages=kpis.valid_messages,
        chats=kpis.chats,
        successes=successes,
        net_sales=sales,
        qa=None if kpis.qa is None else Decimal(kpis.qa_earned) / Decimal(kpis.qa_possible),
        reversed_successes=len(reversed_items),
        reversed_sales=sum((Decimal(amount) / 100 for _k, amount in reversed_items), Decimal(0)),
    )
    result = compute_pay(plan, figures)
    two_more = what_if(plan, figures, 2)
    return PayPreview(
        result, figures, pending, pending_minor, two_more, False, tuple(reversed_items)
    )


def _reversals(
    session: Session, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[tuple[str, int]]]:
    """Successes paid in a closed period and cancelled in this one, not yet reversed."""
    paid = session.execute(
        select(
            col(PayLine.operator_id),
            col(PayLine.item),
            col(PayLine.component),
            col(PayLine.amount_minor),
            col(PayLine.quantity),
        ).where(
            col(PayLine.operator_id).in_(ids),
            col(PayLine.component).in_([SUCCESS_LINE, REVERSAL_LINE]),
        )
    )
    lines: dict[str, tuple[uuid.UUID, int, str]] = {}
    reversed_keys: set[str] = set()
    for operator, item, component, amount, kind in paid:
        if component == REVERSAL_LINE:
            reversed_keys.add(item)
        else:
            lines[item] = (operator, amount, kind)
    open_keys = [key for key in lines if key not in reversed_keys]
    due: dict[uuid.UUID, list[tuple[str, int]]] = {}
    for key, at in reads.cancellations(session, open_keys).items():
        if start <= at < end:
            operator, amount, kind = lines[key]
            sale = amount if kind == SuccessKind.SALE.value else 0
            due.setdefault(operator, []).append((key, sale))
    return due


def _stored_lines(session: Session, period_id: uuid.UUID) -> dict[uuid.UUID, list[PayLine]]:
    lines: dict[uuid.UUID, list[PayLine]] = {}
    for line in session.scalars(select(PayLine).where(col(PayLine.period_id) == period_id)):
        lines.setdefault(line.operator_id, []).append(line)
    return lines


def _stored_preview(preview: PayPreview, lines: list[PayLine], plan: PlanTerms) -> PayPreview:
    """A closed period shows what was paid, whatever the records say since."""
    items = tuple(
        PayLineItem(line.component, line.quantity, Decimal(line.amount_minor).scaleb(-2))
        for line in lines
        if line.component not in {SUCCESS_LINE, REVERSAL_LINE}
    )
    withheld = next(
        (Decimal(line.amount_minor).scaleb(-2) for line in lines if line.component == "withheld"),
        Decimal(0),
    )
    paid = tuple(item for item in items if item.component != "withheld")
    top_up = sum((item.amount for item in paid if item.component == "top_up"), Decimal(0))
    total = sum((item.amount for item in paid), Decimal(0)) - withheld
    result = PayResult(paid, withheld, top_up, total, plan.currency, not withheld)
    return PayPreview(result, preview.figures, 0, 0, Decimal(0), True)
