"""The team lead's tabs of F5 but the team itself (screens/tally/team.py): what every
tab shares, the disputes to accept or reject with a note, the pay plans and the quality
forms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from cc_terminal.formats import local_time, money, money_of
from cc_terminal.i18n import N_, _, ngettext, pgettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.tally.dialogs import DecisionForm, success_label
from cc_terminal.screens.tally.services import TallyServices
from cc_terminal.screens.tally.setup import PlanForm, QaFormEditor
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.tally.pay_plans import SCHEME_LABELS, PlanInfo
from cc_terminal.services.tally.periods import Period
from cc_terminal.services.tally.quality import FormView
from cc_terminal.services.tally.reconcile import CLASS_LABELS
from cc_terminal.services.tally.tally import Dispute
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import InOrderRowTable, RowTable
from cc_terminal.widgets.words import percent
from cc_terminal.widgets.worker_results import show_latest


class TallyFace(Protocol):
    """What a pane uses of the F5 screen it sits on (screens/tally/tally.py)."""

    period: Period

    def action_refresh(self) -> None: ...

    def show_operator(self, operator_id: uuid.UUID) -> None: ...


class LeadPane(WorkstationAccess[TallyServices], Vertical):
    """One of the lead's tabs: a line saying what is shown, and a table."""

    MONEY_COLUMNS: tuple[int, ...] = ()  # as wide as their amounts, never cut

    def columns(self) -> tuple[tuple[str, int], ...]:
        """The table's titles (in the language of the moment) and widths."""
        return ()

    def compose(self) -> ComposeResult:
        yield InPlaceText(_("Loading…"))
        yield InOrderRowTable(self.columns(), share_width=True, whole=self.MONEY_COLUMNS)

    @property
    def tally(self) -> TallyFace:
        return self.screen  # type: ignore[return-value]

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    def focus_table(self) -> None:
        self.screen.set_focus(self.table)  # now, before the keys typed behind the tab's digit

    def say(self, text: str) -> None:
        self.query_one(InPlaceText).text = text

    def after(self, message: str) -> Callable[[object], None]:
        """A dialog's callback: say what happened and load everything again."""

        def done(result: object) -> None:
            if result is not None:
                self.app.notify(message if not isinstance(result, str) else result, timeout=4)
                self.tally.action_refresh()

        return done


class DisputesPane(LeadPane):
    BINDINGS = [
        Binding("y", "decide(True)", N_("Accept"), id="disputes.accept"),
        Binding("r", "decide(False)", N_("Reject"), id="disputes.reject"),
    ]

    def columns(self) -> tuple[tuple[str, int], ...]:
        return (
            (_("Operator"), 18),
            (_("When"), 12),
            (_("Class"), 18),
            (_("Kind"), 12),
            (_("Claimed"), 12),
            (_("Recorded"), 14),
            (_("Decision"), 24),
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Dispute] = []

    def load(self) -> None:
        self.fetch(self.tally.period)

    @work(thread=True, exclusive=True, exit_on_error=False, group="disputes")
    def fetch(self, period: Period) -> None:
        try:
            rows = self.services.tally.disputes(self.workstation.require_actor(), period)
        except ServiceError as error:
            self.app.call_from_thread(self.say, str(error))
            return
        show_latest(self.app, self.show, period, rows)

    def show(self, period: Period, rows: list[Dispute]) -> None:
        if period != self.tally.period:
            return  # answered after another period was chosen
        self.rows = rows
        waiting = sum(1 for row in rows if row.item.claim and row.item.claim.decision is None)
        self.table.show([self._row(row) for row in rows])
        self.say(
            ngettext(
                "{period}: {n} dispute, {w} waiting · Y accepts, R rejects (with a note)",
                "{period}: {n} disputes, {w} waiting · Y accepts, R rejects (with a note)",
                len(rows),
            ).format(period=period.label(), n=len(rows), w=waiting)
        )

    def _row(self, dispute: Dispute) -> tuple[Text | str, ...]:
        item = dispute.item
        claim, record = item.claim, item.record
        region = self.workstation.settings.default_region
        claimed = "" if claim is None else success_label(claim.kind)
        if claim is not None and claim.amount_minor:
            claimed = money(claim.amount_minor, "CZK", region)
        recorded = "" if record is None else record.label
        if record is not None and record.amount_minor:
            recorded = money(record.amount_minor, "CZK", region)
        decision = Text(_("waiting"), style="bold yellow")
        if claim is not None and claim.decision is not None:
            verdict = _("accepted") if claim.decision.accepted else _("rejected")
            decision = Text(f"{verdict}: {claim.decision.note}")
        kind = claim.kind if claim is not None else ""
        return (
            dispute.operator.full_name,
            local_time(item.at, self.workstation.zone, "%d.%m. %H:%M"),
            _(CLASS_LABELS[item.cls]),
            success_label(kind),
            claimed,
            recorded,
            decision,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        index = self.table.cursor_row
        if index >= len(self.rows):
            return False
        claim = self.rows[index].item.claim
        return claim is not None and claim.decision is None

    def action_decide(self, accept: bool) -> None:
        dispute = self.rows[self.table.cursor_row]
        claim = dispute.item.claim
        assert claim is not None
        summary = self._summary(dispute)
        self.app.push_screen(DecisionForm(claim.id, accept, summary), self.after(_("Decided.")))

    def _summary(self, dispute: Dispute) -> str:
        """Whose claim, when, what kind, the amount claimed and what the records show."""
        item = dispute.item
        claim, record = item.claim, item.record
        assert claim is not None
        region = self.workstation.settings.default_region
        parts = [
            dispute.operator.full_name,
            local_time(item.at, self.workstation.zone, "%d.%m. %H:%M"),
            _(CLASS_LABELS[item.cls]),
            success_label(claim.kind),
        ]
        if claim.amount_minor:
            amount = money_of(Decimal(claim.amount_minor).scaleb(-2), "CZK", region)
            parts.append(_("claimed {amount}").format(amount=amount))
        if record is not None and record.amount_minor:
            amount = money_of(Decimal(record.amount_minor).scaleb(-2), "CZK", region)
            parts.append(_("the records show {amount}").format(amount=amount))
        return " · ".join(parts)


class PlansPane(LeadPane):
    BINDINGS = [
        Binding("n", "new", N_("New plan"), id="plans.new"),
        Binding("enter", "edit", N_("Change"), id="plans.edit"),
    ]

    def columns(self) -> tuple[tuple[str, int], ...]:
        return (
            (_("Code"), 10),
            (pgettext("item", "Name"), 24),
            (_("Scheme"), 22),
            (_("Gate"), 6),
            (_("Floor/h"), 8),
            (_("Pending"), 8),
            (_("Operators"), 9),
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[PlanInfo] = []

    @work(thread=True, exclusive=True, exit_on_error=False, group="plans")
    def load(self) -> None:
        rows = self.services.pay_plans.plans(self.workstation.require_actor())
        show_latest(self.app, self.show, rows)

    def show(self, rows: list[PlanInfo]) -> None:
        self.rows = rows
        self.table.show(
            [
                (
                    plan.terms.code,
                    plan.terms.name,
                    _(SCHEME_LABELS[plan.terms.scheme]),
                    "—" if plan.terms.qa_gate is None else percent(float(plan.terms.qa_gate)),
                    "—" if plan.terms.floor_hourly is None else str(plan.terms.floor_hourly),
                    _("{n} d").format(n=plan.terms.hold_days),
                    str(plan.operators),
                )
                for plan in rows
            ]
        )
        self.say(
            ngettext(
                "{n} pay plan · N new, Enter changes; assign one in the Team tab (A)",
                "{n} pay plans · N new, Enter changes; assign one in the Team tab (A)",
                len(rows),
            ).format(n=len(rows))
        )

    @on(RowTable.Selected)
    def row_chosen(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        self.app.push_screen(PlanForm(), self.after(_("Pay plan saved.")))

    def action_edit(self) -> None:
        index = self.table.cursor_row
        if index < len(self.rows):
            self.app.push_screen(PlanForm(self.rows[index]), self.after(_("Pay plan saved.")))


class FormsPane(LeadPane):
    BINDINGS = [
        Binding("n", "new", N_("New form"), id="forms.new"),
        Binding("enter", "edit", N_("Change"), id="forms.edit"),
    ]

    def columns(self) -> tuple[tuple[str, int], ...]:
        return (
            (_("Code"), 10),
            (pgettext("item", "Name"), 28),
            (_("Questions"), 10),
            (_("Critical"), 9),
            (_("Weights"), 8),
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[FormView] = []

    @work(thread=True, exclusive=True, exit_on_error=False, group="forms")
    def load(self) -> None:
        rows = self.services.quality.forms(active_only=False)
        show_latest(self.app, self.show, rows)

    def show(self, rows: list[FormView]) -> None:
        self.rows = rows
        self.table.show(
            [
                (
                    form.code,
                    form.name,
                    str(len(form.questions)),
                    str(sum(q.critical for q in form.questions)),
                    str(sum(q.weight for q in form.questions)),
                )
                for form in rows
            ]
        )
        self.say(
            ngettext(
                "{n} quality form · N new, Enter changes; score calls in the Team tab (Q, C)",
                "{n} quality forms · N new, Enter changes; score calls in the Team tab (Q, C)",
                len(rows),
            ).format(n=len(rows))
        )

    @on(RowTable.Selected)
    def row_chosen(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        self.app.push_screen(QaFormEditor(), self.after(_("Quality form saved.")))

    def action_edit(self) -> None:
        index = self.table.cursor_row
        if index < len(self.rows):
            self.app.push_screen(
                QaFormEditor(self.rows[index]), self.after(_("Quality form saved."))
            )
