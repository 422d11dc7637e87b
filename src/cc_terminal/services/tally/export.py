"""The period for payroll: one row per operator (CSV or the first XLSX sheet), and in the
XLSX one sheet per operator with their pay lines and every counted item (export_files'
rules: numbers, amounts and times typed). Team leads only; files are private (0600)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cc_terminal.i18n import _, pgettext
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.export_files import (
    Cell,
    Number,
    Sheet,
    amount,
    titled,
    write_csv,
    write_xlsx,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.figures import OperatorFigures
from cc_terminal.services.tally.pay import COMPONENT_LABELS, hours_span
from cc_terminal.services.tally.periods import Period
from cc_terminal.services.tally.reconcile import CLASS_LABELS, ReconciledItem
from cc_terminal.services.tally.tally import TallyService

FORMATS = ("csv", "xlsx")
SUMMARY = (
    "username",
    "name",
    "plan",
    "paid_hours",
    "handled",
    "aht_seconds",
    "valid_calls",
    "valid_messages",
    "successes",
    "sales",
    "conversion",
    "qa",
    "complaints",
    "open_disputes",
    "pending",
    "withheld",
    "top_up",
    "pay",
    "currency",
    "period_closed",
)


def column_titles() -> dict[str, str]:
    """The summary's columns in the current language (the English are the names above)."""
    return {
        "username": pgettext("export column", "username"),
        "name": pgettext("export column", "name"),
        "plan": pgettext("export column", "plan"),
        "paid_hours": pgettext("export column", "paid_hours"),
        "handled": pgettext("export column", "handled"),
        "aht_seconds": pgettext("export column", "aht_seconds"),
        "valid_calls": pgettext("export column", "valid_calls"),
        "valid_messages": pgettext("export column", "valid_messages"),
        "successes": pgettext("export column", "successes"),
        "sales": pgettext("export column", "sales"),
        "conversion": pgettext("export column", "conversion"),
        "qa": pgettext("export column", "qa"),
        "complaints": pgettext("export column", "complaints"),
        "open_disputes": pgettext("export column", "open_disputes"),
        "pending": pgettext("export column", "pending"),
        "withheld": pgettext("export column", "withheld"),
        "top_up": pgettext("export column", "top_up"),
        "pay": pgettext("export column", "pay"),
        "currency": pgettext("export column", "currency"),
        "period_closed": pgettext("export column", "period_closed"),
    }


@dataclass(frozen=True)
class TallyExportResult:
    path: Path
    operators: int


@refusals_audited
class TallyExport:
    def __init__(self, tally: TallyService) -> None:
        self.tally = tally
        self.db = tally.db

    def export(self, actor: Actor, period: Period, path: Path, kind: str) -> TallyExportResult:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead exports the team's pay."))
        if kind not in FORMATS:
            raise ValidationFailed({"format": _("csv or xlsx.")})
        team = self.tally.team_view(actor, period)
        rows = [summary_row(figures) for figures in team]
        with audited_file(
            self.db, actor, AuditKind.EXPORT, f"team pay {period.start}", path
        ) as written:
            header = titled(SUMMARY, column_titles())
            if kind == "csv":
                write_csv(path, header, rows, ";")
            else:
                summary = Sheet(_("Pay {period}").format(period=period.label()), [header, *rows])
                write_xlsx(path, [summary, *(self._sheet(period, f) for f in team)])
            written.rows = len(team)
        return TallyExportResult(path, len(team))

    def _sheet(self, period: Period, figures: OperatorFigures) -> Sheet:
        """One operator's pay lines and every counted item."""
        currency = _currency(figures)
        rows: list[list[Cell]] = [
            [figures.operator.full_name, period.label()],
            [_("Line"), _("Quantity"), _("Amount")],
        ]
        if figures.pay is not None:
            result = figures.pay.result
            for line in result.lines:
                label = (
                    _(COMPONENT_LABELS[line.component])
                    if line.component in COMPONENT_LABELS
                    else line.component
                )
                rows.append([label, _quantity(line.quantity), amount(line.amount, currency)])
            if result.withheld:
                rows.append(
                    [_("Withheld by the quality gate"), None, amount(-result.withheld, currency)]
                )
            rows.append([_("Total"), None, amount(result.total, currency)])
        rows.append([])
        rows.append([_("When"), _("Class"), _("Kind"), _("Amount"), _("Record"), _("Decision")])
        rows.extend(self._item_row(item, currency) for item in figures.items)
        return Sheet(figures.operator.username, rows)

    def _item_row(self, item: ReconciledItem, currency: str) -> list[Cell]:
        credited = item.credited
        decision = item.claim.decision if item.claim else None
        return [
            item.at.astimezone(self.tally.zone),
            _(CLASS_LABELS[item.cls]),
            credited[0] if credited else (item.claim.kind if item.claim else ""),
            amount(credited[1], currency, minor=True) if credited else None,
            item.record.label if item.record else "",
            "" if decision is None else f"{'+' if decision.accepted else '-'} {decision.note}",
        ]


def summary_row(figures: OperatorFigures) -> list[Cell]:
    kpis, pay = figures.kpis, figures.pay
    result = pay.result if pay else None
    currency = _currency(figures)
    return [
        figures.operator.username,
        figures.operator.full_name,
        figures.plan.code if figures.plan else "",
        hours_span(kpis.paid_hours),
        kpis.handled,
        kpis.aht_seconds,
        kpis.valid_calls,
        kpis.valid_messages,
        kpis.successes,
        amount(kpis.sales_minor, currency, minor=True),
        _ratio(kpis.conversion),
        _ratio(kpis.qa),
        kpis.complaints,
        figures.open_disputes,
        pay.pending if pay else None,
        amount(result.withheld, currency) if result else None,
        amount(result.top_up, currency) if result else None,
        amount(result.total, currency) if result else None,
        result.currency if result else "",
        _("yes") if pay and pay.closed else _("no"),
    ]


def _currency(figures: OperatorFigures) -> str:
    if figures.pay is not None:
        return figures.pay.result.currency
    return figures.plan.currency if figures.plan else ""


def _ratio(value: float | None) -> Cell:
    """A share (conversion, quality) to four places, shown in XLSX as a percentage."""
    return None if value is None else Number(Decimal(f"{value:.4f}"), "0.00%")


def _quantity(quantity: str) -> Cell:
    try:
        return Decimal(quantity) if quantity else None
    except InvalidOperation:
        return quantity
