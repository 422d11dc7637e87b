"""F5, the tally: my figures against my targets for today, this week, this month or a
chosen period, with progress and regress against the period before; the chart; the pay
preview; my claims as the records class them; my quality evaluations. A team lead also
gets the team's figures, the disputes, the pay plans and the quality forms
(screens/tally_team.py), and sees any operator's tally from the team view."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from cc_terminal.formats import local_time, money
from cc_terminal.i18n import _
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.tally_dialogs import SUCCESS_LABELS, PeriodForm
from cc_terminal.screens.tally_team import (
    LEAD_TABS,
    DisputesPane,
    FormsPane,
    LeadPane,
    PlansPane,
    TeamPane,
)
from cc_terminal.services.errors import ServiceError
from cc_terminal.services.pay import COMPONENT_LABELS
from cc_terminal.services.quality import EvaluationView
from cc_terminal.services.reconcile import CLASS_LABELS, MatchClass, ReconciledItem
from cc_terminal.services.tally import TallyReport
from cc_terminal.services.tally_figures import Kpis, OperatorFigures
from cc_terminal.services.tally_periods import Period, day_of, month_of, week_of
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.today_strip import clock_duration

MY_TABS = ("figures", "chart", "pay", "claims", "quality")
TAB_TITLES = {
    "figures": _("Figures"),
    "chart": _("Chart"),
    "pay": _("Pay"),
    "claims": _("Claims"),
    "quality": _("Quality"),
    "team": _("Team"),
    "disputes": _("Disputes"),
    "plans": _("Pay plans"),
    "forms": _("QA forms"),
}
FIGURE_COLUMNS = (
    (_("Measure"), 22),
    (_("This period"), 14),
    (_("Target"), 14),
    (_("Before"), 12),
    (_("Trend"), 10),
)
CLAIM_COLUMNS = (
    (_("When"), 12),
    (_("Class"), 22),
    (_("Kind"), 12),
    (_("Claimed"), 12),
    (_("Recorded"), 14),
    (_("Decision"), 30),
)
QA_COLUMNS = ((_("Call"), 12), (_("Form"), 20), (_("Score"), 8), (_("By"), 18), (_("Note"), 30))
CLASS_STYLES = {
    MatchClass.MATCHED: "green",
    MatchClass.RECORD_ONLY: "cyan",
    MatchClass.CLAIM_ONLY: "bold yellow",
    MatchClass.MISMATCH: "bold yellow",
    MatchClass.CANCELLED: "red",
}


class TallyScreen(WorkstationScreen):
    AREA = _("Tally")
    BINDINGS = [
        Binding("t", "period('day')", _("Today"), id="tally.today"),
        Binding("w", "period('week')", _("Week"), id="tally.week"),
        Binding("m", "period('month')", _("Month"), id="tally.month"),
        Binding("p", "choose_period", _("Period…"), id="tally.choose"),
        Binding(
            "left_square_bracket", "step(-1)", _("Earlier"), id="tally.earlier", key_display="["
        ),
        Binding("right_square_bracket", "step(1)", _("Later"), id="tally.later", key_display="]"),
        Binding("ctrl+r", "refresh", _("Refresh"), id="tally.refresh"),
        Binding("escape", "mine", _("My own tally"), id="tally.mine"),
        *(Binding(str(n), f"tab({n})", _("Tab {n}").format(n=n), show=False) for n in range(1, 10)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period = day_of(date(2000, 1, 1))
        self.operator_id: uuid.UUID | None = None  # None: my own
        self.report: TallyReport | None = None
        self.evaluations: list[EvaluationView] = []

    @property
    def is_lead(self) -> bool:
        return self.workstation.require_actor().is_lead

    def tabs(self) -> tuple[str, ...]:
        return MY_TABS + (LEAD_TABS if self.is_lead else ())

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(self.AREA)
        yield InPlaceText(_("Loading…"), id="tally-title")
        with TabbedContent(id="tally-tabs"):
            for number, name in enumerate(self.tabs(), 1):
                with TabPane(f"{number} {TAB_TITLES[name]}", id=f"tally-tab-{name}"):
                    yield from self._tab_body(name)
        yield KeyBar()

    def _tab_body(self, name: str) -> ComposeResult:
        if name == "figures":
            yield RowTable(FIGURE_COLUMNS, id="tally-figures")
        elif name == "chart":
            with VerticalScroll(id="tally-chart-scroll", can_focus=True):
                yield Static("", id="tally-chart")
        elif name == "pay":
            with VerticalScroll(id="tally-pay-scroll", can_focus=True):
                yield Static("", id="tally-pay")
        elif name == "claims":
            yield RowTable(CLAIM_COLUMNS, id="tally-claims")
        elif name == "quality":
            with Vertical():
                yield RowTable(QA_COLUMNS, id="tally-evaluations")
                yield Static("", id="tally-evaluation")
        elif name == "team":
            yield TeamPane(id="team-pane")
        elif name == "disputes":
            yield DisputesPane(id="disputes-pane")
        elif name == "plans":
            yield PlansPane(id="plans-pane")
        elif name == "forms":
            yield FormsPane(id="forms-pane")

    def on_mount(self) -> None:
        self.period = day_of(self.today())
        self.set_focus(self.query_one("#tally-figures"))

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def today(self) -> date:
        return self.workstation.clock().astimezone(self.workstation.zone).date()

    # -- periods and whose tally ------------------------------------------------------

    def action_period(self, kind: str) -> None:
        today = self.today()
        makers: dict[str, Callable[[date], Period]] = {
            "day": day_of,
            "week": week_of,
            "month": month_of,
        }
        self.show_period(makers[kind](today))

    def action_step(self, direction: int) -> None:
        self.show_period(self.period.previous() if direction < 0 else self.period.following())

    def action_choose_period(self) -> None:
        def chosen(period: Period | None) -> None:
            if period is not None:
                self.show_period(period)

        self.app.push_screen(PeriodForm(self.period), chosen)

    def show_period(self, period: Period) -> None:
        self.period = period
        self.action_refresh()

    def show_operator(self, operator_id: uuid.UUID) -> None:
        """A team lead opens an operator's tally from the team view."""
        self.operator_id = operator_id
        self.action_tab(1)
        self.action_refresh()

    def action_mine(self) -> None:
        if self.operator_id is not None:
            self.operator_id = None
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mine":
            return self.operator_id is not None
        if action == "tab":
            return int(str(parameters[0])) <= len(self.tabs())
        return True

    def action_tab(self, number: int) -> None:
        name = self.tabs()[number - 1]
        self.query_one("#tally-tabs", TabbedContent).active = f"tally-tab-{name}"
        self._focus_tab(name)

    @on(TabbedContent.TabActivated, "#tally-tabs")
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        name = str(event.pane.id).removeprefix("tally-tab-")
        self._focus_tab(name)
        if name == "chart":
            self.draw_chart()

    def _focus_tab(self, name: str) -> None:
        targets = {
            "figures": "#tally-figures",
            "chart": "#tally-chart-scroll",
            "pay": "#tally-pay-scroll",
            "claims": "#tally-claims",
            "quality": "#tally-evaluations",
        }
        if name in targets:
            self.set_focus(self.query_one(targets[name]))
        else:
            self.query_one(f"#{name}-pane", LeadPane).focus_table()

    # -- loading --------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.load(self.period, self.operator_id)
        if self.is_lead:
            self.query_one(TeamPane).load()
            self.query_one(DisputesPane).load()
            self.query_one(PlansPane).load()
            self.query_one(FormsPane).load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="tally")
    def load(self, period: Period, operator_id: uuid.UUID | None) -> None:
        actor = self.workstation.require_actor()
        services = self.services
        try:
            report = services.tally.report(actor, period, operator_id)
            evaluations = services.quality.evaluations(actor, report.current.operator.id, period)
        except ServiceError as error:
            self.app.call_from_thread(self._title, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_report, report, evaluations)

    def _title(self, text: str) -> None:
        self.query_one("#tally-title", InPlaceText).text = text

    def show_report(self, report: TallyReport, evaluations: list[EvaluationView]) -> None:
        self.report, self.evaluations = report, evaluations
        current = report.current
        pay = current.pay
        state = _("closed") if pay is not None and pay.closed else _("open")
        whose = current.operator.full_name
        self._title(
            _("{period} · {whose} · pay period {state} · t w m p choose, [ ] step").format(
                period=self.period.label(), whose=whose, state=state
            )
        )
        self.query_one("#tally-figures", RowTable).show(self._figure_rows(report))
        self.query_one("#tally-pay", Static).update(self._pay_text(current))
        self.query_one("#tally-claims", RowTable).show([self._claim_row(i) for i in current.items])
        self.query_one("#tally-evaluations", RowTable).show(
            [self._evaluation_row(e) for e in evaluations]
        )
        self.show_evaluation(0)
        if self.query_one("#tally-tabs", TabbedContent).active == "tally-tab-chart":
            self.draw_chart()

    # -- my figures ------------------------------------------------------------------

    def _figure_rows(self, report: TallyReport) -> list[tuple[Text | str, ...]]:
        now, before = report.current.kpis, report.previous.kpis
        targets = report.current.targets
        days = max(now.worked_days, 1)
        region = self.workstation.settings.default_region

        def amount(minor: int) -> str:
            return money(minor, "CZK", region)

        rows: list[tuple[Text | str, ...]] = []

        def add(
            label: str,
            value: float | None,
            show: Callable[[float], str],
            target: float | None = None,
            higher_is_better: bool = True,
            previous: float | None = None,
        ) -> None:
            shown = "—" if value is None else show(value)
            aim = ""
            style = ""
            if target:
                sign = "≥" if higher_is_better else "≤"
                aim = f"{sign} {show(target)}"
                if value is not None:
                    met = value >= target if higher_is_better else value <= target
                    style = "green" if met else "bold red"
            rows.append(
                (
                    label,
                    Text(shown, style=style),
                    aim,
                    "—" if previous is None else show(previous),
                    _trend(value, previous, higher_is_better),
                )
            )

        add(
            _("Calls handled"),
            now.handled,
            _count,
            targets.get("calls_per_day", 0) * days,
            previous=before.handled,
        )
        add(_("Talk time"), now.talk_seconds, _duration, previous=before.talk_seconds)
        add(_("Wrap time"), now.wrap_seconds, _duration, previous=before.wrap_seconds)
        add(
            _("Average handling"),
            now.aht_seconds,
            _duration,
            targets.get("aht_seconds"),
            False,
            before.aht_seconds,
        )
        add(_("Paid hours"), now.paid_seconds, _duration, previous=before.paid_seconds)
        add(_("Occupancy"), now.occupancy, _percent, previous=before.occupancy)
        add(_("Utilisation"), now.utilisation, _percent, previous=before.utilisation)
        add(
            _("Successes"),
            now.successes,
            _count,
            targets.get("successes_per_day", 0) * days,
            previous=before.successes,
        )
        for kind, count in sorted(now.by_kind.items()):
            rows.append(("· " + SUCCESS_LABELS.get(kind, kind), str(count), "", "", ""))
        sales_target = targets.get("sales_per_day", 0) * days
        add(
            _("Sales"),
            now.sales_minor,
            lambda v: amount(int(v)),
            sales_target,
            previous=before.sales_minor,
        )
        add(_("Conversion"), now.conversion, _percent, previous=before.conversion)
        qa_target = targets.get("qa", 0) / 10000 if targets.get("qa") else None
        add(
            _("Quality score ({n})").format(n=now.evaluations),
            now.qa,
            _percent,
            qa_target,
            previous=before.qa,
        )
        add(_("Justified complaints"), now.complaints, _count, None, False, before.complaints)
        pay = report.current.pay
        earned = None if pay is None else float(pay.result.total)
        before_pay = (
            None if report.previous.pay is None else float(report.previous.pay.result.total)
        )
        currency = pay.result.currency if pay else "CZK"
        add(
            _("Earnings"),
            earned,
            lambda v: money(round(v * 100), currency, region),
            previous=before_pay,
        )
        return rows

    # -- the chart -------------------------------------------------------------------

    def draw_chart(self) -> None:
        report = self.report
        chart = self.query_one("#tally-chart", Static)
        if report is None:
            return
        from cc_terminal.widgets.tally_chart import compare_chart, daily_chart

        width = max(40, self.size.width - 8)
        target = report.current.targets.get("successes_per_day", 0)
        daily = daily_chart(report.days, width, 14, target)
        comparison = compare_chart(
            _comparison(report.current.kpis, report.previous.kpis), width, 12
        )
        text = Text(no_wrap=True, overflow="crop")
        text.append_text(daily)
        text.append("\n")
        text.append_text(comparison)
        chart.update(text)

    # -- pay -------------------------------------------------------------------------

    def _pay_text(self, figures: OperatorFigures) -> Text:
        pay = figures.pay
        if pay is None or figures.plan is None:
            return Text(_("No pay plan: a team lead assigns one (Team tab, key A)."), style="dim")
        result = pay.result
        currency = result.currency
        text = Text()
        title = _("Pay under {plan}").format(plan=figures.plan.name)
        text.append(
            title + (" · " + _("closed, as paid") if pay.closed else " · " + _("preview")) + "\n\n",
            style="bold",
        )
        for line in result.lines:
            label = COMPONENT_LABELS.get(line.component, line.component)
            quantity = line.quantity
            if line.component == "sales":
                quantity = _money(Decimal(line.quantity), "")
            text.append(f"{label:<32}{quantity:>12}{_money(line.amount, currency):>18}\n")
        if result.withheld:
            qa = "—" if pay.figures.qa is None else f"{float(pay.figures.qa):.0%}"
            gate = "" if figures.plan.qa_gate is None else f"{float(figures.plan.qa_gate):.0%}"
            withheld = _("Withheld by the quality gate (QA {qa} < {gate})").format(qa=qa, gate=gate)
            text.append(
                f"{withheld:<44}{'-' + _money(result.withheld, currency):>18}\n", style="bold red"
            )
        text.append(f"\n{_('Earned'):<44}{_money(result.total, currency):>18}\n", style="bold")
        if result.per_hour is not None:
            text.append(f"{_('Per paid hour'):<44}{_money(result.per_hour, currency):>18}\n")
        if pay.pending:
            pending = _("{n} successes pending (their {days}-day window is open)").format(
                n=pay.pending, days=figures.plan.hold_days
            )
            text.append(f"{pending}\n", style="yellow")
        if not pay.closed:
            more = _("What if: two more sales at your average: +{amount}").format(
                amount=_money(pay.two_more_sales, currency)
            )
            if result.top_up:
                more += " " + _("(the hourly floor tops you up still)")
            text.append(more + "\n", style="cyan")
        if figures.open_disputes:
            text.append(
                _("{n} disputes wait for a team lead; pay counts them once accepted.").format(
                    n=figures.open_disputes
                )
                + "\n",
                style="yellow",
            )
        return text

    # -- claims and quality ----------------------------------------------------------

    def _claim_row(self, item: ReconciledItem) -> tuple[Text | str, ...]:
        zone = self.workstation.zone
        claim, record = item.claim, item.record
        region = self.workstation.settings.default_region
        claimed = ""
        if claim is not None:
            claimed = SUCCESS_LABELS.get(claim.kind, claim.kind)
            if claim.amount_minor:
                claimed = money(claim.amount_minor, "CZK", region)
        recorded = ""
        if record is not None:
            recorded = record.label
            if record.amount_minor:
                recorded = money(record.amount_minor, "CZK", region)
        decision = ""
        if claim is not None and claim.decision is not None:
            verdict = _("accepted") if claim.decision.accepted else _("rejected")
            decision = f"{verdict}: {claim.decision.note}"
        elif item.disputed:
            decision = _("waits for a team lead")
        kind = (record or claim).kind if (record or claim) else ""  # type: ignore[union-attr]
        return (
            local_time(item.at, zone, "%d.%m. %H:%M"),
            Text(CLASS_LABELS[item.cls], style=CLASS_STYLES[item.cls]),
            SUCCESS_LABELS.get(kind, kind),
            claimed,
            recorded,
            decision,
        )

    def _evaluation_row(self, evaluation: EvaluationView) -> tuple[Text | str, ...]:
        zone = self.workstation.zone
        score = Text(f"{evaluation.score:.0%}", style="bold red" if evaluation.auto_failed else "")
        return (
            local_time(evaluation.call_started_at, zone, "%d.%m. %H:%M"),
            evaluation.form_name,
            score,
            evaluation.evaluator,
            evaluation.note,
        )

    @on(RowTable.Highlighted, "#tally-evaluations")
    def evaluation_highlighted(self, event: RowTable.Highlighted) -> None:
        self.show_evaluation(event.index)

    def show_evaluation(self, index: int) -> None:
        detail = self.query_one("#tally-evaluation", Static)
        if index >= len(self.evaluations):
            detail.update(_("No evaluations in this period."))
            return
        evaluation = self.evaluations[index]
        text = Text()
        for question, answer in evaluation.answers:
            mark = {"yes": "✓", "no": "✗", "na": "–"}[answer]
            critical = "!" if question.critical else " "
            style = "bold red" if answer == "no" and question.critical else ""
            text.append(f"{mark} {question.weight}{critical} {question.text}\n", style=style)
        if evaluation.auto_failed:
            text.append(
                _("A critical question failed: the call scores 0 and its success does not count."),
                style="bold red",
            )
        detail.update(text)


def _count(value: float) -> str:
    return str(int(value))


def _duration(value: float) -> str:
    return clock_duration(int(value))


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _money(amount: object, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", " ").strip()


def _trend(value: float | None, previous: float | None, higher_is_better: bool) -> Text:
    if value is None or previous is None or value == previous:
        return Text("=", style="dim")
    better = value > previous if higher_is_better else value < previous
    arrow = "▲" if value > previous else "▼"
    return Text(
        arrow + (" " + _("better") if better else " " + _("worse")),
        style="green" if better else "bold red",
    )


def _comparison(now: Kpis, before: Kpis) -> list[tuple[str, float | None]]:
    def ratio(value: float | None, previous: float | None) -> float | None:
        if value is None or not previous:
            return None
        return 100 * value / previous

    return [
        (_("calls"), ratio(now.handled, before.handled)),
        (_("successes"), ratio(now.successes, before.successes)),
        (_("sales"), ratio(now.sales_minor, before.sales_minor)),
        (_("QA"), ratio(now.qa, before.qa)),
        (_("speed (1/AHT)"), ratio(before.aht_seconds, now.aht_seconds)),
    ]
