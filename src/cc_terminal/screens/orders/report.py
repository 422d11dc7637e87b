"""The team lead's report of missed visits: each field team's visits and misses over the
last weeks, the worst first."""

from __future__ import annotations

from datetime import timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.orders.services import OrdersServices
from cc_terminal.services.orders.queries import TeamMisses
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import percent
from cc_terminal.widgets.worker_results import show_latest

WEEKS = 4


class MissReport(WorkstationAccess[OrdersServices], ModalScreen[None]):
    AREA = N_("Missed visits")
    BINDINGS = [Binding("escape", "close", N_("Close"), id="misses.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="miss-report", classes="dialog"):
            yield Static(
                plain(_("Missed visits by team, the last {weeks} weeks").format(weeks=WEEKS)),
                classes="dialog-title",
            )
            yield RowTable(
                ((_("Team"), 24), (_("Visits"), 8), (_("Missed"), 8), (_("Share"), 8)),
                id="miss-table",
                share_width=True,
            )
            yield Static("", id="miss-summary", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#miss-table"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="misses")
    def load(self) -> None:
        today = self.workstation.clock().astimezone(self.workstation.zone).date()
        rows = self.services.order_book.misses(today - timedelta(weeks=WEEKS), today)
        show_latest(self.app, self.show, rows)

    def show(self, rows: list[TeamMisses]) -> None:
        self.query_one("#miss-table", RowTable).show(
            [(row.team_name, str(row.visits), str(row.missed), percent(row.share)) for row in rows]
        )
        missed = sum(row.missed for row in rows)
        visits = sum(row.visits for row in rows)
        self.query_one("#miss-summary", Static).update(
            plain(
                ngettext(
                    "{missed} of {visits} visit missed.",
                    "{missed} of {visits} visits missed.",
                    visits,
                ).format(missed=missed, visits=visits)
            )
        )

    def action_close(self) -> None:
        self.dismiss(None)
