"""The tally: an operator's own figures and pay, their claims, the team lead's team view,
the disputes, and closing a pay period. An operator sees only themself; a team lead sees
their team (operators whose lead they are, and those with no lead)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    DisputeDecision,
    Operator,
    PayLine,
    PayPeriod,
    Role,
    SuccessKind,
    TallyClaim,
)
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally import kpi_reads
from cc_terminal.services.tally.figures import (
    REVERSAL_LINE,
    SUCCESS_LINE,
    OperatorFigures,
    OperatorRef,
    cleared,
    closed_period,
    operator_refs,
    tally_figures,
)
from cc_terminal.services.tally.periods import Period, PeriodKind, day_of
from cc_terminal.services.tally.reconcile import ReconciledItem
from cc_terminal.store.database import Database

LARGEST_SALE_MINOR = 10_000_000_00  # ten million: anything above is a typing slip
CHART_DAYS = 30


@dataclass(frozen=True)
class ClaimDraft:
    kind: str
    amount: str = ""
    call_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    note: str = ""


@dataclass(frozen=True)
class DayPoint:
    day: date
    calls: int
    successes: int


@dataclass(frozen=True)
class TallyReport:
    period: Period
    current: OperatorFigures
    previous: OperatorFigures
    days: tuple[DayPoint, ...]  # the last CHART_DAYS days up to the period's end


@dataclass(frozen=True)
class Dispute:
    operator: OperatorRef
    item: ReconciledItem


@refusals_audited
class TallyService:
    def __init__(self, db: Database, timezone: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    def today(self) -> date:
        return self.clock().astimezone(self.zone).date()

    # -- reading ---------------------------------------------------------------------

    def team(self, actor: Actor) -> list[OperatorRef]:
        """Whom this person may see the tally of: themself, or a lead's team."""
        with self.db.read() as session:
            return visible_operators(session, actor)

    def report(
        self, actor: Actor, period: Period, operator_id: uuid.UUID | None = None
    ) -> TallyReport:
        operator_id = operator_id or actor.operator_id
        now = self.clock()
        with self.db.read() as session:
            operator = one_visible(session, actor, operator_id)
            current = tally_figures(session, [operator], period, self.zone, now)[operator.id]
            previous_period = period.previous()
            previous = tally_figures(session, [operator], previous_period, self.zone, now)
            days = self._days(session, operator, min(period.end, self.today()), now)
        return TallyReport(period, current, previous[operator.id], days)

    def _days(
        self, session: Session, operator: OperatorRef, last: date, now: datetime
    ) -> tuple[DayPoint, ...]:
        span = Period(PeriodKind.CHOSEN, last - timedelta(days=CHART_DAYS - 1), last)
        start, end = span.bounds(self.zone)
        calls = kpi_reads.calls_per_day(session, operator.id, start, end, self.zone)
        figures = tally_figures(session, [operator], span, self.zone, now)[operator.id]
        successes: dict[date, int] = {}
        for item in figures.items:
            if item.credited is not None:
                day = item.at.astimezone(self.zone).date()
                successes[day] = successes.get(day, 0) + 1
        return tuple(
            DayPoint(day, calls.get(day, 0), successes.get(day, 0))
            for day in (span.start + timedelta(days=n) for n in range(CHART_DAYS))
        )

    def today_figures(self, actor: Actor) -> OperatorFigures:
        """Successes and earnings so far today, for the header's strip."""
        with self.db.read() as session:
            me = one_visible(session, actor, actor.operator_id)
            period = day_of(self.today())
            return tally_figures(session, [me], period, self.zone, self.clock())[me.id]

    def warm_today(self) -> None:
        """``today_figures``' statements run once for nobody (a new id, a plan that does not
        exist), before anyone signs in: the first run of each in a process compiles it, and
        a sign-in's first read of today's figures took 40-46 ms against 14-16 ms warm. It
        reads nothing of a person, whatever name is typed."""
        nobody = OperatorRef(uuid.uuid4(), "", "", plan_id=uuid.uuid4())
        with self.db.read() as session:
            operator_refs(session, [nobody.id])
            tally_figures(session, [nobody], day_of(self.today()), self.zone, self.clock())

    def team_view(self, actor: Actor, period: Period) -> list[OperatorFigures]:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sees the team's figures."))
        with self.db.read() as session:
            team = [ref for ref in visible_operators(session, actor) if ref.id != actor.operator_id]
            figures = tally_figures(session, team, period, self.zone, self.clock())
        return [figures[ref.id] for ref in team]

    def disputes(self, actor: Actor, period: Period) -> list[Dispute]:
        return [
            Dispute(figures.operator, item)
            for figures in self.team_view(actor, period)
            for item in figures.items
            if item.disputed
        ]

    # -- claims and decisions -------------------------------------------------------

    def add_claim(self, actor: Actor, draft: ClaimDraft) -> uuid.UUID:
        """The operator's own tally keystroke: a success, with its amount for a sale."""
        form = FormErrors()
        kinds = {kind.value for kind in SuccessKind}
        if draft.kind not in kinds:
            form.add("kind", _("Choose what kind of success it was."))
        amount = _claim_amount(form, draft)
        note = form.text("note", draft.note, limits.SHORT_NOTE)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            self._refuse_closed(session, now.astimezone(self.zone).date())
            form.raise_if_any()
            claim = TallyClaim(
                operator_id=actor.operator_id,
                at=now,
                kind=draft.kind,
                amount_minor=amount,
                call_id=draft.call_id,
                lead_id=draft.lead_id,
                note=note,
            )
            session.add(claim)
        return claim.id

    def decide(self, actor: Actor, claim_id: uuid.UUID, accepted: bool, note: str) -> None:
        """A team lead accepts or rejects a disputed claim, always with a note."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead decides disputes."))
        form = FormErrors()
        note = form.text("note", note, limits.SHORT_NOTE, required=True)
        with self.db.write(actor.operator_id) as session:
            claim = session.get(TallyClaim, claim_id)
            if claim is None:
                raise NotFound(_("No such claim."))
            one_visible(session, actor, claim.operator_id)
            self._refuse_closed(session, claim.at.astimezone(self.zone).date())
            decided = session.scalars(
                select(DisputeDecision).where(col(DisputeDecision.claim_id) == claim_id)
            ).first()
            if decided is not None:
                form.add("note", _("This dispute was decided already."))
            form.raise_if_any()
            session.add(
                DisputeDecision(
                    claim_id=claim_id,
                    accepted=accepted,
                    note=note,
                    decided_by=actor.operator_id,
                    decided_at=self.clock(),
                )
            )

    # -- closing a pay period --------------------------------------------------------

    def closed_periods(self) -> list[tuple[date, date]]:
        with self.db.read() as session:
            rows = session.scalars(select(PayPeriod).order_by(col(PayPeriod.starts_on)))
            return [(row.starts_on, row.ends_on) for row in rows]

    def close_period(self, actor: Actor, period: Period) -> int:
        """Write every operator's pay lines for a finished period; returns how many lines.
        Closed once and never changed: later cancellations are lines of a later period."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead closes a pay period."))
        now = self.clock()
        if period.end >= now.astimezone(self.zone).date():
            raise ValidationFailed({"period": _("Only a finished period can be closed.")})
        with self.db.write(actor.operator_id) as session:
            overlapping = session.scalars(
                select(PayPeriod).where(
                    col(PayPeriod.starts_on) <= period.end, col(PayPeriod.ends_on) >= period.start
                )
            ).first()
            if overlapping is not None:
                message = _("It overlaps the closed period {start:%d.%m.} – {end:%d.%m.%Y}.")
                raise ValidationFailed(
                    {"period": message.format(start=overlapping.starts_on, end=overlapping.ends_on)}
                )
            paid = [ref for ref in operator_refs(session) if ref.plan_id is not None]
            figures = tally_figures(session, paid, period, self.zone, now)
            _refuse_pending(figures.values(), now)
            row = PayPeriod(
                starts_on=period.start,
                ends_on=period.end,
                closed_at=now,
                closed_by=actor.operator_id,
            )
            session.add(row)
            session.flush()
            lines = [line for one in figures.values() for line in _pay_lines(row.id, one)]
            session.add_all(lines)
        return len(lines)

    def _refuse_closed(self, session: Session, day: date) -> None:
        closed = session.scalars(
            select(PayPeriod).where(col(PayPeriod.starts_on) <= day, col(PayPeriod.ends_on) >= day)
        ).first()
        if closed is not None:
            message = _(
                "The pay period {start:%d.%m.} – {end:%d.%m.%Y} is closed; nothing in it changes."
            )
            raise ValidationFailed(
                {"period": message.format(start=closed.starts_on, end=closed.ends_on)}
            )

    def is_closed(self, period: Period) -> bool:
        with self.db.read() as session:
            return closed_period(session, period) is not None


def _claim_amount(form: FormErrors, draft: ClaimDraft) -> int | None:
    text = draft.amount.strip().replace(" ", "").replace(",", ".")
    if not text:
        if draft.kind == SuccessKind.SALE.value:
            form.add("amount", _("A sale needs its amount."))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        form.add("amount", _("An amount such as 599 or 599.50."))
        return None
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        form.add("amount", _("More than 0, at most two decimals."))
        return None
    minor = int(value * 100)
    if minor > LARGEST_SALE_MINOR:
        form.add("amount", _("That is more than any sale here; check the amount."))
        return None
    return minor


def _refuse_pending(figures: Iterable[OperatorFigures], now: datetime) -> None:
    latest: datetime | None = None
    for one in figures:
        if one.plan is None:
            continue
        for item in one.items:
            if item.credited is not None and not cleared(item, one.plan, now):
                clears = item.at + timedelta(days=one.plan.hold_days)
                latest = clears if latest is None else max(latest, clears)
    if latest is not None:
        message = _("Successes of this period are pending until {day:%d.%m.%Y}; close it then.")
        raise ValidationFailed({"period": message.format(day=latest)})


def _pay_lines(period_id: uuid.UUID, figures: OperatorFigures) -> list[PayLine]:
    pay = figures.pay
    if pay is None:
        return []
    currency = pay.result.currency

    def line(component: str, amount: Decimal, quantity: str = "", item: str = "") -> PayLine:
        return PayLine(
            period_id=period_id,
            operator_id=figures.operator.id,
            component=component,
            quantity=quantity,
            amount_minor=int(amount * 100),
            currency=currency,
            item=item,
        )

    lines = [line(one.component, one.amount, one.quantity) for one in pay.result.lines]
    if pay.result.withheld:
        lines.append(line("withheld", pay.result.withheld))
    for item in figures.items:
        credited = item.credited
        if credited is not None:
            lines.append(line(SUCCESS_LINE, Decimal(credited[1]) / 100, credited[0], item.key))
    for key, sale in pay.reversed_items:
        lines.append(line(REVERSAL_LINE, Decimal(sale) / 100, "", key))
    return lines


def visible_operators(session: Session, actor: Actor) -> list[OperatorRef]:
    if not actor.is_lead:
        return operator_refs(session, [actor.operator_id])
    query = select(col(Operator.id)).where(
        col(Operator.active),
        col(Operator.role) == Role.OPERATOR.value,
        or_(col(Operator.team_lead_id) == actor.operator_id, col(Operator.team_lead_id).is_(None)),
    )
    ids = list(session.scalars(query))
    return operator_refs(session, [actor.operator_id, *ids])


def one_visible(session: Session, actor: Actor, operator_id: uuid.UUID) -> OperatorRef:
    for ref in visible_operators(session, actor):
        if ref.id == operator_id:
            return ref
    if actor.is_lead:
        raise PermissionDenied(_("That operator is in another team lead's team."))
    raise PermissionDenied(_("An operator sees only their own tally and pay."))
