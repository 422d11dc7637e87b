"""A campaign's survey answers counted per question (Setup, Campaigns, A): what a team lead
reads off a bought competitor base, such as why people stay with their current provider."""

from __future__ import annotations

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cc_terminal.i18n import N_, _
from cc_terminal.models import QuestionKind
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.services.outbound.campaigns import CampaignView
from cc_terminal.services.outbound.surveys import QuestionView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.questionnaire import ANSWER_LABELS
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import label
from cc_terminal.widgets.worker_results import show_latest


class SurveyReport(WorkstationAccess[OutboundServices], ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", N_("Close"), id="report.close")]

    def __init__(self, campaign: CampaignView) -> None:
        super().__init__()
        self.campaign = campaign

    def compose(self) -> ComposeResult:
        with Vertical(id="survey-report", classes="dialog"):
            title = _("{campaign}: survey answers").format(campaign=self.campaign.name)
            yield Static(plain(title), classes="dialog-title")
            with VerticalScroll(id="survey-report-body"):
                yield Static(_("Counting…"), id="survey-report-tables")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#survey-report-body").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="survey-report")
    def load(self) -> None:
        report = self.services.surveys.report(self.campaign.code)
        show_latest(self.app, self.show, report)

    def show(self, report: list[tuple[QuestionView, dict[str, int]]]) -> None:
        tables = self.query_one("#survey-report-tables", Static)
        if not report:
            tables.update(_("This campaign has no questions (Q adds one)."))
            return
        tables.update(_tables(report))

    def action_close(self) -> None:
        self.dismiss(None)


def _tables(report: list[tuple[QuestionView, dict[str, int]]]) -> Table:
    grid = Table.grid(padding=(0, 0, 1, 0), expand=True)
    for question, counts in report:
        total = sum(counts.values())
        title = plain(f"{question.code}: {question.text}", style="table.title")
        table = Table(title=title, title_justify="left", expand=True)
        table.add_column(_("Answer"), ratio=1)
        table.add_column(_("Calls"), justify="right")
        table.add_column(_("Share"), justify="right")
        for answer, count in counts.items():
            share = f"{100 * count / total:.0f} %" if total else "—"
            said = label(ANSWER_LABELS, answer) if question.kind == QuestionKind.YES_NO else answer
            table.add_row(plain(said), str(count), share)
        if not counts:
            table.add_row(_("(no answers yet)"), "0", "—")
        grid.add_row(table)
    return grid
