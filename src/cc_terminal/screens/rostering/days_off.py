"""F6, days off: the operator's form for the next two weeks (a day or a shift off, its
priority and note, submitted before the cutoff) with each request's state and why, and the
published shifts; the tabs, the weeks and what each tab's keys may do. For team leads the
review and the needs are review_keys.py, the roster roster_keys.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from cc_terminal.formats import day_with_year, short_day
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.roster import RequestState
from cc_terminal.screens.rostering.dialogs import DayOffForm
from cc_terminal.screens.rostering.review_keys import ReviewKeys
from cc_terminal.screens.rostering.roster_keys import RosterKeys
from cc_terminal.screens.rostering.services import RosteringServices
from cc_terminal.screens.rostering.views import day_row
from cc_terminal.services.rostering.days_off import RequestView
from cc_terminal.services.rostering.planning_reads import monday_of
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import InOrderRowTable, RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_results import show_latest

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

S = RequestState
TABS = ("mine", "review", "needs", "roster")
TAB_TITLES = {
    "mine": N_("My days off"),
    "review": N_("Review"),
    "needs": N_("Needs"),
    "roster": N_("Roster"),
}


def submitted_message(count: object) -> str:
    if not count:
        return _("No drafts to submit: O asks for a day off first.")
    number = int(str(count))
    return ngettext("Submitted {n} request.", "Submitted {n} requests.", number).format(n=number)


TAB_FOCUS = {
    "mine": "#off-days",
    "review": "#off-queue",
    "needs": "#off-needs",
    "roster": "#off-roster",
}
# Keys that act on what a tab shows of the week: greyed until that week has come in.
REVIEW_KEYS = {"decide", "mark", "revoke", "need"}
ROSTER_KEYS = {"pin", "publish", "export"}


class DaysOffScreen(ReviewKeys, RosterKeys):
    """F6: the operator's own tab here, the team lead's in review_keys.py and roster_keys.py."""

    AREA = N_("Days off")
    BINDINGS = [
        Binding("o,enter", "ask", N_("Ask for it off"), id="off.ask"),
        Binding("x", "cancel_request", N_("Cancel request"), id="off.cancel"),
        Binding("ctrl+s", "submit", N_("Submit drafts"), id="off.submit"),
        Binding("a", "decide('approved')", N_("Approve"), id="off.approve"),
        Binding("r", "decide('rejected')", N_("Reject"), id="off.reject"),
        Binding("w", "decide('waitlisted')", N_("Waitlist"), id="off.waitlist"),
        Binding("space", "mark", N_("Mark"), id="off.mark"),
        Binding("v", "revoke", N_("Revoke"), id="off.revoke"),
        Binding("f", "fair_order", N_("Fairest first"), id="off.fair"),
        Binding("n", "need", N_("Set heads"), id="off.need"),
        Binding("e", "propose", N_("Erlang C"), id="off.propose"),
        Binding("u", "rules", N_("Rules"), id="off.rules"),
        Binding("s", "solve", N_("Solve"), id="off.solve"),
        Binding("i", "pin", N_("Pin a cell"), id="off.pin"),
        Binding("p", "publish", N_("Publish"), id="off.publish"),
        Binding("d", "export", N_("Export and print"), id="off.export"),
        Binding(
            "left_square_bracket", "week(-1)", N_("Week before"), id="off.earlier", key_display="["
        ),
        Binding(
            "right_square_bracket", "week(1)", N_("Week after"), id="off.later", key_display="]"
        ),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="off.refresh"),
        *(
            Binding(str(n), f"tab({n})", N_("The tab of that number"), show=False)
            for n in range(1, 5)
        ),
    ]

    @property
    def is_lead(self) -> bool:
        return self.workstation.require_actor().is_lead

    def tabs(self) -> tuple[str, ...]:
        return TABS if self.is_lead else TABS[:1]

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_(self.AREA))
        yield InPlaceText(_("Loading…"), id="off-title")
        with TabbedContent(id="off-tabs"):
            for number, name in enumerate(self.tabs(), 1):
                with TabPane(f"{number} {_(TAB_TITLES[name])}", id=f"off-tab-{name}"):
                    yield from self._body(name)
        yield KeyBar()

    def _body(self, name: str) -> ComposeResult:
        bodies = {
            "mine": self.mine_body,
            "review": self.review_body,
            "needs": self.needs_body,
            "roster": self.roster_body,
        }
        return bodies[name]()

    def mine_body(self) -> ComposeResult:
        with Vertical():
            yield InOrderRowTable(
                (
                    (_("Day"), 14),
                    (_("Asked"), 16),
                    (_("State"), 12),
                    (_("Why"), 40),
                    (_("Shift"), 10),
                ),
                id="off-days",
                share_width=True,
            )
            yield Static("", id="off-mine-hint")

    def on_mount(self) -> None:
        today = self.workstation.clock().astimezone(self.workstation.zone).date()
        self.first_day = monday_of(today) + timedelta(days=7)
        self.week = self.first_day
        self.set_focus(self.query_one("#off-days"))

    def on_screen_resume(self) -> None:
        self.action_refresh()

    # -- tabs, weeks, loading ---------------------------------------------------------

    def current_tab(self) -> str:
        return str(self.query_one("#off-tabs", TabbedContent).active).removeprefix("off-tab-")

    def action_tab(self, number: int) -> None:
        tabs = self.tabs()
        if number <= len(tabs):
            self.query_one("#off-tabs", TabbedContent).active = f"off-tab-{tabs[number - 1]}"
            self.set_focus(self.query_one(TAB_FOCUS[tabs[number - 1]]))

    @on(TabbedContent.TabActivated, "#off-tabs")
    def tab_changed(self) -> None:
        self.set_focus(self.query_one(TAB_FOCUS[self.current_tab()]))
        self._say_title()

    def action_week(self, step: int) -> None:
        """Another week: nothing of the one before stays on screen or under a key."""
        self.week += timedelta(days=7 * step)
        self.marked.clear()
        self.review = self.roster = None
        for table in ("#off-grid", "#off-queue", "#off-needs", "#off-roster"):
            self.query_one(table, RowTable).show([])
        for text in ("#off-preview", "#off-explained"):
            self.query_one(text, Static).update("")
        self.refresh_bindings()
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.current_tab() if self.is_mounted else "mine"
        by_tab = {
            "mine": {"ask", "cancel_request", "submit"},
            "review": {"decide", "mark", "revoke", "fair_order", "week"},
            "needs": {"need", "propose", "rules", "week"},
            "roster": {"solve", "pin", "publish", "export", "week"},
        }
        owned = set().union(*by_tab.values())
        if action not in owned:
            return True
        if action not in by_tab[tab]:
            return False
        if action in REVIEW_KEYS and self.review is None:
            return None
        if action in ROSTER_KEYS and self.roster is None:
            return None
        return True

    def action_refresh(self) -> None:
        self.load_mine()
        if self.is_lead:
            self.load_review(self.week, self.fair_first)
            self.load_roster(self.week)
        self._say_title()

    def _say_title(self) -> None:
        if self.current_tab() == "mine":
            text = _(
                "Next two weeks from {day:%d.%m.%Y}; O asks, Ctrl+S submits the drafts"
            ).format(day=self.first_day)
        else:
            text = _("Week of {day} · [ ] another week").format(day=day_with_year(self.week))
        self.query_one("#off-title", InPlaceText).text = text

    # -- the operator's form ----------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-mine")
    def load_mine(self) -> None:
        actor = self.workstation.require_actor()
        services = self.services
        mine = services.days_off.mine(actor)
        shifts: dict[date, str] = {}
        for start in (self.first_day, self.first_day + timedelta(days=7)):
            view = services.roster.view(actor, start)
            shifts |= {day: shift for (_op, day), (shift, _pin) in view.cells.items()}
        cutoff = services.days_off.cutoff(self.first_day + timedelta(days=7))
        show_latest(self.app, self.show_mine, mine, shifts, cutoff)

    def show_mine(self, mine: list[RequestView], shifts: dict[date, str], cutoff: datetime) -> None:
        self.mine = mine
        days = [self.first_day + timedelta(days=n) for n in range(14)]
        table = self.query_one("#off-days", RowTable)
        kept = table.cursor_row
        table.show([day_row(day, self._request_on(day), shifts) for day in days])
        table.cursor_row = min(kept, len(days) - 1)
        due = _("Requests for the week of {day:%d.%m.} are due before {cutoff}.")
        when = f"{short_day(cutoff.date())} {cutoff:%H:%M}"
        hint = due.format(day=self.first_day + timedelta(days=7), cutoff=when)
        self.query_one("#off-mine-hint", Static).update(plain(hint, multi_line=True))

    def _request_on(self, day: date) -> RequestView | None:
        live = [r for r in self.mine if r.day == day and r.state not in (S.CANCELLED,)]
        return live[-1] if live else None

    def _highlighted_day(self) -> date:
        return self.first_day + timedelta(days=self.query_one("#off-days", RowTable).cursor_row)

    def action_ask(self) -> None:
        if self.current_tab() != "mine":
            return
        self.app.push_screen(DayOffForm(self._highlighted_day()), self._then(_("Kept as a draft.")))

    def action_submit(self) -> None:
        """Every draft of hers as stored now, not as last loaded: a draft saved a moment
        ago is submitted even while the table is still reloading."""

        def submit(services: RosteringServices, actor: Actor) -> int:
            drafts = [r.id for r in services.days_off.mine(actor) if r.state is S.DRAFT]
            return services.days_off.submit(actor, drafts)

        self.run_service(submit, submitted_message)

    def action_cancel_request(self) -> None:
        request = self._request_on(self._highlighted_day())
        if request is not None:
            self.run_service(lambda s, a: s.days_off.cancel(a, request.id), _("Cancelled."))
