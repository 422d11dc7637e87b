"""F6's roster tab for team leads: the week solved with CP-SAT (its progress said as it
goes), why requests were denied, a cell pinned, the week published and exported."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cc_terminal.formats import short_day
from cc_terminal.i18n import _
from cc_terminal.screens.rostering.days_off_base import DaysOffBase, day_columns
from cc_terminal.screens.rostering.views import (
    DAY_WIDTH,
    column_day,
    request_words,
    roster_legend,
    roster_rows,
    shift_short,
)
from cc_terminal.screens.tally.dialogs import PickList
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.export_files import EXPORT_FOLDER
from cc_terminal.services.rostering.roster import RosterView
from cc_terminal.widgets.row_table import InOrderRowTable, RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_results import show_latest


class RosterKeys(DaysOffBase):
    """The roster tab: what it shows and the keys that act on it."""

    def roster_body(self) -> ComposeResult:
        with Vertical():
            yield InOrderRowTable(
                ((_("Operator"), 18), *day_columns()), id="off-roster", share_width=True
            )
            yield Static(plain(roster_legend()), id="off-roster-legend", classes="hint")
            yield Static("", id="off-explained")

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-roster")
    def load_roster(self, week: date) -> None:
        view = self.services.roster.view(self.workstation.require_actor(), week)
        needs = self.services.roster.needs(week)
        show_latest(self.app, self.show_roster, view, needs)

    def show_roster(self, view: RosterView, needs: dict[tuple[date, str], int]) -> None:
        if view.week_start != self.week:
            return  # the lead has moved to another week meanwhile
        self.roster = view
        self.refresh_bindings()
        table = self.query_one("#off-roster", RowTable)
        table.set_columns(((_("Operator"), 18), *((column_day(d), DAY_WIDTH) for d in view.days)))
        table.show(roster_rows(view, needs))
        text = Text()
        state = {"": _("not solved yet"), "draft": _("draft"), "published": _("published")}[
            view.state
        ]
        text.append(
            _("Roster: {state}. {status}").format(state=state, status=view.status) + "\n",
            style="bold",
        )
        for request in self._denied(view):
            text.append(f"{request}\n", style="yellow")
        self.query_one("#off-explained", Static).update(plain(text, multi_line=True))

    def _denied(self, view: RosterView) -> list[str]:
        if not view.denied:  # a roster solved before requests were named
            return [f"✗ {why}" for why in view.explanations.values()]
        return [f"✗ {request_words(d.operator_name, d.day, d.shift)}: {d.why}" for d in view.denied]

    def action_solve(self) -> None:
        self.query_one("#off-explained", Static).update(_("Solving…"))
        self.solve(self.week)

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-solve")
    def solve(self, week: date) -> None:
        def progress(line: str) -> None:
            self.app.call_from_thread(self.query_one("#off-explained", Static).update, line)

        try:
            solution = self.services.roster.solve(self.workstation.require_actor(), week, progress)
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        message = _("Solved.") if solution.feasible else " ".join(solution.problems)
        self.app.call_from_thread(
            self.app.notify,
            message,
            severity="information" if solution.feasible else "error",
            timeout=8,
        )
        self.app.call_from_thread(self.load_roster, week)

    def action_pin(self) -> None:
        view = self.roster
        index = self.query_one("#off-roster", RowTable).cursor_row
        people = sorted(view.names.items(), key=lambda item: item[1]) if view else []
        if view is None or index >= len(people):
            return
        operator, name = people[index]
        options = [
            (f"{short_day(day)} {label}", f"{day.isoformat()}|{shift}")
            for day in view.days
            for shift, label in (
                ("early", shift_short("early")),
                ("late", shift_short("late")),
                ("", _("off")),
            )
        ]

        def picked(choice: str | None) -> None:
            if choice:
                day_text, shift = choice.split("|")
                day = date.fromisoformat(day_text)
                self.run_service(
                    lambda s, a: s.roster.pin(a, view.week_start, operator, day, shift),
                    _("Pinned; solve again."),
                )

        self.app.push_screen(PickList(_("Pin {name}:").format(name=name), options), picked)

    def action_publish(self) -> None:
        if self.roster is None:
            return
        week = self.roster.week_start  # the week on screen, whenever the worker runs
        self.run_service(
            lambda s, a: s.roster.publish(a, week),
            _("Published: every operator sees it on F6."),
        )

    def action_export(self) -> None:
        folder = self.workstation.settings.data_dir / EXPORT_FOLDER
        week = self.week
        self.run_service(
            lambda services, actor: services.roster.write_week(actor, week, folder),
            _("Written: {path}.csv, .xlsx and .txt (80 columns)."),
        )
