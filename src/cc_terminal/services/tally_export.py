"""The period for payroll: one row per operator (CSV or the first XLSX sheet), and in the
XLSX one sheet per operator with their pay lines and every counted item. Team leads only;
files are private to the user (0600)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cc_terminal.i18n import _
from cc_terminal.services.audit import audited_file, refusals_audited
from cc_terminal.services.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.export_files import private_file, safe_cell, write_csv
from cc_terminal.services.pay import COMPONENT_LABELS, hours_text
from cc_terminal.services.reconcile import CLASS_LABELS
from cc_terminal.services.tally import TallyService
from cc_terminal.services.tally_figures import OperatorFigures
from cc_terminal.services.tally_periods import Period
from cc_terminal.services.views import Actor

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
        rows = [[safe_cell(value) for value in summary_row(figures)] for figures in team]
        with audited_file(self.db, actor, "export", f"team pay {period.start}", path) as written:
            if kind == "csv":
                write_csv(path, SUMMARY, rows, ";")
            else:
                self._xlsx(path, period, team, rows)
            written.rows = len(team)
        return TallyExportResult(path, len(team))

    def _xlsx(
        self, path: Path, period: Period, team: list[OperatorFigures], rows: list[list[object]]
    ) -> None:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        summary = book.create_sheet(_("Pay {period}").format(period=period.label())[:31])
        summary.append(list(SUMMARY))
        for row in rows:
            summary.append(row)
        for figures in team:
            sheet = book.create_sheet(figures.operator.username[:31])
            sheet.append([figures.operator.full_name, period.label()])
            sheet.append([_("Line"), _("Quantity"), _("Amount")])
            if figures.pay is not None:
                for line in figures.pay.result.lines:
                    label = COMPONENT_LABELS.get(line.component, line.component)
                    sheet.append([label, line.quantity, float(line.amount)])
                if figures.pay.result.withheld:
                    sheet.append(
                        [_("Withheld by the quality gate"), "", -float(figures.pay.result.withheld)]
                    )
                sheet.append([_("Total"), "", float(figures.pay.result.total)])
            sheet.append([])
            sheet.append(
                [_("When"), _("Class"), _("Kind"), _("Amount"), _("Record"), _("Decision")]
            )
            for item in figures.items:
                credited = item.credited
                decision = item.claim.decision if item.claim else None
                sheet.append(
                    [
                        item.at.isoformat(timespec="minutes"),
                        CLASS_LABELS[item.cls],
                        credited[0] if credited else (item.claim.kind if item.claim else ""),
                        credited[1] / 100 if credited else "",
                        safe_cell(item.record.label) if item.record else "",
                        ""
                        if decision is None
                        else safe_cell(f"{'+' if decision.accepted else '-'} {decision.note}"),
                    ]
                )
        private_file(path)
        book.save(path)


def summary_row(figures: OperatorFigures) -> list[object]:
    kpis, pay = figures.kpis, figures.pay
    result = pay.result if pay else None
    return [
        figures.operator.username,
        figures.operator.full_name,
        figures.plan.code if figures.plan else "",
        hours_text(kpis.paid_hours),
        kpis.handled,
        kpis.aht_seconds if kpis.aht_seconds is not None else "",
        kpis.valid_calls,
        kpis.valid_messages,
        kpis.successes,
        str(Decimal(kpis.sales_minor) / 100),
        "" if kpis.conversion is None else f"{kpis.conversion:.4f}",
        "" if kpis.qa is None else f"{kpis.qa:.4f}",
        kpis.complaints,
        figures.open_disputes,
        pay.pending if pay else "",
        str(result.withheld) if result else "",
        str(result.top_up) if result else "",
        str(result.total) if result else "",
        result.currency if result else "",
        "yes" if pay and pay.closed else "no",
    ]
