"""Pay plans a team lead defines and assigns. Rates are typed as text (``6.00``, ``3 %``)
and each scheme says which of them it needs (a missing one is a message, not a zero) and
which it may have (the per-chat rate); a rate its scheme has no place for is not stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models import Operator, PayPlan, PayScheme
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.pay import PlanTerms
from cc_terminal.services.tally.plan_terms import plan_terms, targets_of
from cc_terminal.store.database import Database

RATES = ("hourly", "per_call", "per_message", "per_chat", "per_success", "sales_share")
NEEDED: dict[PayScheme, tuple[str, ...]] = {
    PayScheme.HOURLY: ("hourly",),
    PayScheme.PER_CONTACT: ("per_call", "per_message"),
    PayScheme.PER_SUCCESS: ("per_success",),
    PayScheme.SALES_SHARE: ("sales_share",),
    PayScheme.MIX: ("hourly", "per_call", "per_message", "per_success", "sales_share"),
}
OPTIONAL: dict[PayScheme, tuple[str, ...]] = {  # empty: the plan does not pay it
    PayScheme.PER_CONTACT: ("per_chat",),
    PayScheme.MIX: ("per_chat",),
}
SCHEME_LABELS = {
    PayScheme.HOURLY: N_("Hourly"),
    PayScheme.PER_CONTACT: N_("Per call, chat and message"),
    PayScheme.PER_SUCCESS: N_("Per success"),
    PayScheme.SALES_SHARE: N_("Share of net sales"),
    PayScheme.MIX: N_("Mix with a quality gate"),
}
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@dataclass(frozen=True)
class PlanDraft:
    """A plan as typed: every figure is text; empty means not part of the plan."""

    code: str
    name: str
    scheme: str
    rates: dict[str, str] = field(default_factory=dict)  # RATES, money or percent
    min_talk_seconds: str = "0"
    sales_quota: str = ""
    sales_share_above: str = ""
    qa_gate: str = ""  # percent
    floor_hourly: str = ""
    hold_days: str = "14"
    targets: dict[str, str] = field(default_factory=dict)  # TARGETS


TARGETS = ("calls_per_day", "successes_per_day", "sales_per_day", "aht_seconds", "qa")


@dataclass(frozen=True)
class PlanInfo:
    id: uuid.UUID
    terms: PlanTerms
    targets: dict[str, int]
    operators: int


@refusals_audited
class PayPlans:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def plans(self, actor: Actor) -> list[PlanInfo]:
        with self.db.read() as session:
            counts: dict[uuid.UUID, int] = {}
            for (plan_id,) in session.execute(select(col(Operator.pay_plan_id))):
                if plan_id is not None:
                    counts[plan_id] = counts.get(plan_id, 0) + 1
            rows = list(session.scalars(select(PayPlan).order_by(col(PayPlan.code))))
            if not actor.is_lead:
                mine = session.get(Operator, actor.operator_id)
                rows = [row for row in rows if mine is not None and row.id == mine.pay_plan_id]
            return [
                PlanInfo(row.id, plan_terms(row), targets_of(row), counts.get(row.id, 0))
                for row in rows
            ]

    @config_change(AuditKind.CONFIG_PAY)
    def save(self, actor: Actor, draft: PlanDraft) -> uuid.UUID:
        """Add a plan or change the one with this code (team leads). Closed periods keep
        the lines they were paid with."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead defines pay plans."))
        form = FormErrors()
        code = draft.code.strip().upper()
        if not code or not set(code) <= CODE_CHARS or len(code) > limits.CODE:
            form.add("code", _("Capital letters, digits, - or _."))
        name = form.text("name", draft.name, limits.LABEL, required=True)
        try:
            scheme = PayScheme(draft.scheme)
        except ValueError:
            form.add("scheme", _("Choose a pay scheme."))
            scheme = PayScheme.MIX
        values = _checked_values(form, draft, scheme)
        with self.db.write(actor.operator_id) as session:
            form.raise_if_any()
            row = session.scalars(select(PayPlan).where(col(PayPlan.code) == code)).first()
            if row is None:
                row = PayPlan(code=code, name=name, scheme=scheme.value, created_at=self.clock())
                session.add(row)
            else:
                row.version += 1
            row.name, row.scheme = name, scheme.value
            for key, value in values.items():
                setattr(row, key, value)
        return row.id

    @config_change(AuditKind.CONFIG_PAY)
    def assign(self, actor: Actor, operator_id: uuid.UUID, plan_id: uuid.UUID | None) -> None:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead assigns pay plans."))
        with self.db.write(actor.operator_id) as session:
            operator = session.get(Operator, operator_id)
            if operator is None:
                raise NotFound(_("No such operator."))
            if operator.team_lead_id not in {None, actor.operator_id}:
                raise PermissionDenied(_("That operator is in another team lead's team."))
            if plan_id is not None and session.get(PayPlan, plan_id) is None:
                raise NotFound(_("No such pay plan."))
            operator.pay_plan_id = plan_id


def _checked_values(form: FormErrors, draft: PlanDraft, scheme: PayScheme) -> dict[str, object]:
    needed, optional = NEEDED[scheme], OPTIONAL.get(scheme, ())
    values: dict[str, object] = {}
    for rate in RATES:
        text = draft.rates.get(rate, "").strip()
        if rate not in needed and rate not in optional:
            text = ""
        elif not text and rate in needed:
            form.add(rate, _("This scheme needs the rate (0 is a rate)."))
        column = "sales_bp" if rate == "sales_share" else f"{rate}_minor"
        read = _basis_points if rate == "sales_share" else _minor
        values[column] = read(form, rate, text)
    sharing = scheme in {PayScheme.SALES_SHARE, PayScheme.MIX}
    quota = _minor(form, "sales_quota", draft.sales_quota if sharing else "")
    above = _basis_points(form, "sales_share_above", draft.sales_share_above if sharing else "")
    if (quota is None) != (above is None):
        form.add("sales_share_above", _("A tier needs both the quota and the share above it."))
    values["sales_quota_minor"], values["sales_above_quota_bp"] = quota, above
    values["qa_gate_bp"] = _basis_points(form, "qa_gate", draft.qa_gate)
    values["floor_hourly_minor"] = _minor(form, "floor_hourly", draft.floor_hourly)
    values["min_talk_seconds"] = _whole(form, "min_talk_seconds", draft.min_talk_seconds, 3600)
    values["hold_days"] = _whole(form, "hold_days", draft.hold_days, 365)
    for target in TARGETS:
        text = draft.targets.get(target, "").strip() or "0"
        if target == "sales_per_day":
            values["target_sales_per_day_minor"] = _minor(form, target, text) or 0
        elif target == "qa":
            values["target_qa_bp"] = _basis_points(form, target, text) or 0
        else:
            values[f"target_{target}"] = _whole(form, target, text, 100_000)
    return values


def _decimal(form: FormErrors, field: str, text: str) -> Decimal | None:
    text = text.strip().rstrip("%").strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        form.add(field, _("A number such as 6.00."))
        return None
    if value < 0 or not value.is_finite():
        form.add(field, _("Not below 0."))
        return None
    return value


def _minor(form: FormErrors, field: str, text: str) -> int | None:
    value = _decimal(form, field, text)
    if value is None:
        return None
    if value != value.quantize(Decimal("0.01")) or value > 10_000_000:
        form.add(field, _("At most two decimals and 10,000,000."))
        return None
    return int(value * 100)


def _basis_points(form: FormErrors, field: str, text: str) -> int | None:
    value = _decimal(form, field, text)
    if value is None:
        return None
    if value > 100 or value != value.quantize(Decimal("0.01")):
        form.add(field, _("A percentage of 0 to 100, at most two decimals."))
        return None
    return int(value * 100)


def _whole(form: FormErrors, field: str, text: str, largest: int) -> int:
    text = text.strip() or "0"
    if not text.isdigit() or int(text) > largest:
        form.add(field, _("A whole number of 0 to {n}.").format(n=largest))
        return 0
    return int(text)
