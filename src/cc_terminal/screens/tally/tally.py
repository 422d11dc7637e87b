"""F5, the tally: my figures against my targets for today, this week, this month or a
chosen period, with progress and regress against the period before; the chart; the pay
preview; my claims as the records class them; my quality evaluations. A team lead also
gets the team's figures, the disputes, the pay plans and the quality forms
(screens/tally/team.py), and sees any operator's tally from the team view."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import NARROW, WorkstationScreen
from cc_terminal.screens.tally.dialogs import PeriodForm
from cc_terminal.screens.tally.panes import DisputesPane, FormsPane, LeadPane, PlansPane
from cc_terminal.screens.tally.services import TallyServices
from cc_terminal.screens.tally.team import LEAD_TABS, TeamPane
from cc_terminal.screens.tally.views import (
    claim_row,
    comparison,
    evaluation_row,
    evaluation_text,
    figure_rows,
    pay_text,
    titled,
)
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.tally.periods import Period, day_of, month_of, week_of
from cc_terminal.services.tally.quality import EvaluationView
from cc_terminal.services.tally.tally import TallyReport
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import InOrderRowTable, RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_results import show_latest

MY_TABS = ("figures", "chart", "pay", "claims", "quality")
TAB_TITLES = {
    "figures": N_("Figures"),
    "chart": N_("Chart"),
    "pay": N_("Pay"),
    "claims": N_("Claims"),
    "quality": N_("Quality"),
    "team": N_("Team"),
    "disputes": N_("Disputes"),
    "plans": N_("Pay plans"),
    "forms": N_("QA forms"),
}
# Below 100 columns a team lead's nine tabs fit on one line with this (and app.tcss's
# narrower gaps between the tabs).
NARROW_TAB_TITLES = {"quality": N_("QA")}
# ... and these too where a language's words are longer (Czech at 80 columns).
SHORTEST_TAB_TITLES = {"plans": N_("Plans"), "forms": N_("Forms")}
FIGURE_COLUMNS = (
    (N_("Measure"), 48),
    (N_("This period"), 14),
    (N_("Target"), 14),
    (N_("Before"), 12),
    (N_("Trend"), 10),
)
CLAIM_COLUMNS = (
    (N_("When"), 12),
    (N_("Class"), 22),
    (N_("Kind"), 12),
    (N_("Claimed"), 12),
    (N_("Recorded"), 14),
    (N_("Decision"), 30),
)
QA_COLUMNS = (
    (N_("Call"), 12),
    (N_("Form"), 20),
    (N_("Score"), 8),
    (N_("By"), 18),
    (N_("Note"), 30),
)


class TallyScreen(WorkstationScreen[TallyServices]):
    AREA = N_("Tally")
    BINDINGS = [
        Binding("t", "period('day')", N_("Today"), id="tally.today"),
        Binding("w", "period('week')", N_("Week"), id="tally.week"),
        Binding("m", "period('month')", N_("Month"), id="tally.month"),
        Binding("p", "choose_period", N_("Period…"), id="tally.choose"),
        Binding(
            "left_square_bracket", "step(-1)", N_("Earlier"), id="tally.earlier", key_display="["
        ),
        Binding("right_square_bracket", "step(1)", N_("Later"), id="tally.later", key_display="]"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="tally.refresh"),
        Binding("escape", "mine", N_("My own tally"), id="tally.mine"),
        *(
            Binding(str(n), f"tab({n})", N_("The tab of that number"), show=False)
            for n in range(1, 10)
        ),
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
        yield WorkstationHeader(_(self.AREA))
        yield InPlaceText(_("Loading…"), id="tally-title")
        with TabbedContent(id="tally-tabs"):
            for number, name in enumerate(self.tabs(), 1):
                with TabPane(f"{number} {_(TAB_TITLES[name])}", id=f"tally-tab-{name}"):
                    yield from self._tab_body(name)
        yield KeyBar()

    def fit_to(self, size: Size) -> None:
        super().fit_to(size)
        labels = self.tab_labels(size.width)
        for tabs in self.query("#tally-tabs").results(TabbedContent):
            for name, label in labels.items():
                tab = tabs.get_tab(f"tally-tab-{name}")
                if tab.label.plain != label:
                    tab.label = label

    def tab_labels(self, width: int) -> dict[str, str]:
        """Each tab's label: shorter below 100 columns, shortest where one line needs it."""
        narrow = width < NARROW
        labels = self._labels(TAB_TITLES | (NARROW_TAB_TITLES if narrow else {}))
        if narrow and sum(cell_len(label) + 1 for label in labels.values()) > width:  # a gap each
            labels = self._labels(TAB_TITLES | NARROW_TAB_TITLES | SHORTEST_TAB_TITLES)
        return labels

    def _labels(self, titles: dict[str, str]) -> dict[str, str]:
        return {name: f"{number} {_(titles[name])}" for number, name in enumerate(self.tabs(), 1)}

    def _tab_body(self, name: str) -> ComposeResult:
        if name == "figures":
            yield InOrderRowTable(titled(FIGURE_COLUMNS), id="tally-figures", share_width=True)
        elif name == "chart":
            with VerticalScroll(id="tally-chart-scroll", can_focus=True):
                yield Static("", id="tally-chart")
        elif name == "pay":
            with VerticalScroll(id="tally-pay-scroll", can_focus=True):
                yield Static("", id="tally-pay")
        elif name == "claims":
            yield InOrderRowTable(titled(CLAIM_COLUMNS), id="tally-claims", share_width=True)
        elif name == "quality":
            with Vertical():
                yield InOrderRowTable(titled(QA_COLUMNS), id="tally-evaluations", share_width=True)
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
            show_latest(self.app, self.show_report, report, evaluations)

    def _title(self, text: str) -> None:
        self.query_one("#tally-title", InPlaceText).text = text

    def show_report(self, report: TallyReport, evaluations: list[EvaluationView]) -> None:
        wanted = self.operator_id or self.workstation.require_actor().operator_id
        if report.period != self.period or report.current.operator.id != wanted:
            return  # answered after another period or operator was chosen
        self.report, self.evaluations = report, evaluations
        current = report.current
        zone, region = self.workstation.zone, self.workstation.settings.default_region
        pay = current.pay
        state = _("closed") if pay is not None and pay.closed else _("open")
        whose = current.operator.full_name
        self._title(
            _("{period} · {whose} · pay period {state} · t w m p choose, [ ] step").format(
                period=self.period.label(), whose=whose, state=state
            )
        )
        self.query_one("#tally-figures", RowTable).show(figure_rows(report, region))
        self.query_one("#tally-pay", Static).update(
            plain(pay_text(current, region), multi_line=True)
        )
        self.query_one("#tally-claims", RowTable).show(
            [claim_row(i, zone, region) for i in current.items]
        )
        self.query_one("#tally-evaluations", RowTable).show(
            [evaluation_row(e, zone) for e in evaluations]
        )
        self.show_evaluation(0)
        if self.query_one("#tally-tabs", TabbedContent).active == "tally-tab-chart":
            self.draw_chart()

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
        measures = comparison(report.current.kpis, report.previous.kpis)
        compared = compare_chart(measures, width, 12)
        text = Text(no_wrap=True, overflow="crop")
        text.append_text(daily)
        text.append("\n")
        text.append_text(compared)
        chart.update(plain(text, multi_line=True))

    @on(RowTable.Highlighted, "#tally-evaluations")
    def evaluation_highlighted(self, event: RowTable.Highlighted) -> None:
        self.show_evaluation(event.index)

    def show_evaluation(self, index: int) -> None:
        detail = self.query_one("#tally-evaluation", Static)
        if index >= len(self.evaluations):
            detail.update(_("No evaluations in this period."))
        else:
            detail.update(plain(evaluation_text(self.evaluations[index]), multi_line=True))
