"""The team lead's Team tab of F5: every operator's figures side by side for the period,
sortable; from it an operator's tally, scoring a random or chosen call, a complaint, the
pay plan, the payroll export and closing the period."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.binding import Binding

from cc_terminal.formats import local_time, money
from cc_terminal.i18n import N_, _, ngettext, pgettext
from cc_terminal.screens.tally.dialogs import (
    ClosePeriodForm,
    ComplaintForm,
    ExportForm,
    PickList,
    PlanPicker,
)
from cc_terminal.screens.tally.panes import LeadPane
from cc_terminal.screens.tally.setup import ScoreForm
from cc_terminal.screens.tally.views import titled
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.export_files import EXPORT_FOLDER
from cc_terminal.services.tally.figures import OperatorFigures
from cc_terminal.services.tally.periods import Period
from cc_terminal.services.tally.quality import CallRef, FormView, Score
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.words import percent
from cc_terminal.widgets.worker_results import show_latest

LEAD_TABS = ("team", "disputes", "plans", "forms")
TEAM_COLUMNS = (
    (N_("Operator"), 18),
    (N_("Plan"), 8),
    (N_("Calls"), 6),
    (N_("AHT"), 6),
    (N_("Succ."), 6),
    (N_("Sales"), 12),
    (N_("Conv."), 6),
    (N_("QA"), 5),
    (N_("Compl."), 6),
    (N_("Disp."), 5),
    (N_("Earned"), 12),
)
# Each sort's name (N_: said in the language of the moment), key and order.
SORTS: tuple[tuple[str, Callable[[OperatorFigures], Any], bool], ...] = (
    (N_("name"), lambda f: f.operator.full_name, False),
    (N_("calls"), lambda f: f.kpis.handled, True),
    (N_("successes"), lambda f: f.kpis.successes, True),
    (N_("sales"), lambda f: f.kpis.sales_minor, True),
    (N_("QA"), lambda f: f.kpis.qa or 0, True),
    (N_("complaints"), lambda f: f.kpis.complaints, True),
    (N_("earnings"), lambda f: f.pay.result.total if f.pay else 0, True),
    (N_("AHT"), lambda f: f.kpis.aht_seconds or 0, False),
)


class TeamPane(LeadPane):
    MONEY_COLUMNS = (5, 10)  # Sales, Earned
    BINDINGS = [
        Binding("enter", "open", N_("Open tally"), id="team.open"),
        Binding("s", "sort", N_("Sort"), id="team.sort"),
        Binding("q", "score_random", N_("Score a random call"), id="team.score"),
        Binding("c", "score_chosen", N_("Score a chosen call"), id="team.score_chosen"),
        Binding("k", "complaint", N_("Complaint"), id="team.complaint"),
        Binding("a", "assign_plan", N_("Pay plan"), id="team.plan"),
        Binding("e", "export", N_("Export"), id="team.export"),
        Binding("l", "close_period", N_("Close period"), id="team.close"),
    ]

    def columns(self) -> tuple[tuple[str, int], ...]:
        return tuple(titled(TEAM_COLUMNS))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[OperatorFigures] = []
        self.period: Period | None = None  # the period of the rows shown
        self.sort = 0

    def load(self) -> None:
        self.fetch(self.tally.period)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team")
    def fetch(self, period: Period) -> None:
        try:
            rows = self.services.tally.team_view(self.workstation.require_actor(), period)
        except ServiceError as error:
            self.app.call_from_thread(self.say, str(error))
            return
        show_latest(self.app, self.show, period, rows)

    def show(self, period: Period, rows: list[OperatorFigures]) -> None:
        if period == self.tally.period:  # else answered after another period was chosen
            self.period, self.rows = period, rows
            self.draw()

    def draw(self) -> None:
        label, key, reverse = SORTS[self.sort]
        self.rows = sorted(self.rows, key=key, reverse=reverse)
        self.table.show([self._row(figures) for figures in self.rows])
        period = self.period.label() if self.period is not None else ""
        self.say(
            ngettext(
                "{period}: {n} operator, by {sort} · S sorts · Enter opens a tally",
                "{period}: {n} operators, by {sort} · S sorts · Enter opens a tally",
                len(self.rows),
            ).format(period=period, n=len(self.rows), sort=_(label))
        )

    def _row(self, figures: OperatorFigures) -> tuple[Text | str, ...]:
        kpis = figures.kpis
        region = self.workstation.settings.default_region
        pay = figures.pay
        earned = "—"
        if pay is not None:
            earned = money(int(pay.result.total * 100), pay.result.currency, region)
        disputes = Text(
            str(figures.open_disputes), style="bold yellow" if figures.open_disputes else ""
        )
        return (
            figures.operator.full_name,
            figures.plan.code if figures.plan else "—",
            str(kpis.handled),
            "—"
            if kpis.aht_seconds is None
            else f"{kpis.aht_seconds // 60}:{kpis.aht_seconds % 60:02d}",
            str(kpis.successes),
            money(kpis.sales_minor, "CZK", region),
            "—" if kpis.conversion is None else percent(kpis.conversion),
            "—" if kpis.qa is None else percent(kpis.qa),
            Text(str(kpis.complaints), style="bold red" if kpis.complaints else ""),
            disputes,
            earned,
        )

    def selected_figures(self) -> OperatorFigures | None:
        index = self.table.cursor_row
        return self.rows[index] if index < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"sort", "export", "close_period"}:
            return True
        return self.selected_figures() is not None

    @on(RowTable.Selected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        figures = self.selected_figures()
        if figures is not None:
            self.tally.show_operator(figures.operator.id)

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.draw()

    def action_export(self) -> None:
        folder = self.workstation.settings.data_dir / EXPORT_FOLDER
        self.app.push_screen(ExportForm(self.tally.period, folder), self.after(""))

    def action_close_period(self) -> None:
        self.app.push_screen(
            ClosePeriodForm(self.tally.period), self.after(_("The pay period is closed."))
        )

    def action_complaint(self) -> None:
        figures = self.selected_figures()
        if figures is not None:
            self.open_complaint(figures.operator.id, figures.operator.full_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-dialog")
    def open_complaint(self, operator_id: uuid.UUID, name: str) -> None:
        calls = self._calls(operator_id)
        choices = [(self._call_label(call), str(call.id)) for call in calls]
        form = ComplaintForm(operator_id, name, choices)
        self.app.call_from_thread(self.app.push_screen, form, self.after(_("Complaint recorded.")))

    def action_assign_plan(self) -> None:
        figures = self.selected_figures()
        if figures is not None:
            self.pick_plan(figures.operator.id, figures.operator.full_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-dialog")
    def pick_plan(self, operator_id: uuid.UUID, name: str) -> None:
        plans = self.services.pay_plans.plans(self.workstation.require_actor())
        options = [(f"{plan.terms.code}  {plan.terms.name}", plan.id) for plan in plans]

        def picked(plan_id: uuid.UUID | None) -> None:
            self.assign(operator_id, plan_id)

        self.app.call_from_thread(self.app.push_screen, PlanPicker(name, options), picked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-dialog")
    def assign(self, operator_id: uuid.UUID, plan_id: uuid.UUID | None) -> None:
        try:
            self.services.pay_plans.assign(self.workstation.require_actor(), operator_id, plan_id)
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.tally.action_refresh)

    def action_score_random(self) -> None:
        figures = self.selected_figures()
        if figures is not None:
            self.score(figures.operator.id, chosen=False)

    def action_score_chosen(self) -> None:
        figures = self.selected_figures()
        if figures is not None:
            self.score(figures.operator.id, chosen=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-dialog")
    def score(self, operator_id: uuid.UUID, *, chosen: bool) -> None:
        actor = self.workstation.require_actor()
        forms = self.services.quality.forms()
        if not forms:
            self.app.call_from_thread(
                self.app.notify, _("Set up a quality form first (tab 9)."), severity="warning"
            )
            return
        if chosen:
            calls = self._calls(operator_id)
        else:
            calls = self.services.quality.sample(
                actor, operator_id, self.tally.period, 1, random.Random()
            )
        if not calls:
            self.app.call_from_thread(
                self.app.notify, _("No calls left to score in this period."), severity="warning"
            )
            return
        self.app.call_from_thread(self._pick_and_score, forms, calls, chosen)

    def _pick_and_score(self, forms: list[FormView], calls: list[CallRef], chosen: bool) -> None:
        by_id = {str(call.id): call for call in calls}

        def with_call(call: CallRef) -> None:
            if len(forms) == 1:
                self._score_with(forms[0], call)
                return
            options = [(form.name, str(form.id)) for form in forms]

            def form_picked(form_id: str | None) -> None:
                if form_id is not None:
                    self._score_with(next(f for f in forms if str(f.id) == form_id), call)

            self.app.push_screen(PickList(_("Which form?"), options), form_picked)

        if not chosen:
            with_call(calls[0])
            return

        def call_picked(call_id: str | None) -> None:
            if call_id is not None:
                with_call(by_id[call_id])

        options = [(self._call_label(call), str(call.id)) for call in calls]
        self.app.push_screen(PickList(_("Which call?"), options), call_picked)

    def _score_with(self, form: FormView, call: CallRef) -> None:
        def scored(score: Score | None) -> None:
            if score is not None:
                self.app.notify(_("Scored {ratio}.").format(ratio=percent(score.ratio)), timeout=4)
                self.tally.action_refresh()

        self.app.push_screen(ScoreForm(form, call.id, self._call_label(call)), scored)

    def _calls(self, operator_id: uuid.UUID) -> list[CallRef]:
        return self.services.quality.calls(
            self.workstation.require_actor(), operator_id, self.tally.period
        )

    def _call_label(self, call: CallRef) -> str:
        when = local_time(call.started_at, self.workstation.zone, "%d.%m. %H:%M")
        scored = " ✓" if call.evaluated else ""
        what = f"{call.reason} → {call.outcome}"
        way = pgettext("call", "in") if call.direction == "in" else pgettext("call", "out")
        seconds = _("{n} s").format(n=call.talk_seconds)
        return f"{when}  {way}  {what}  {seconds}{scored}"
