"""F6, days off: the operator's form for the next two weeks (a day or a shift off, its
priority and note, submitted before the cutoff) with each request's state and why, and the
published shifts; for team leads the review grid with the heads left per day and shift,
the queue with fairness and a preview of what approving does, the staffing needs (by hand
or Erlang C), and the roster solved with CP-SAT, pinned, published and exported."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from cc_terminal.i18n import _
from cc_terminal.models.roster import RequestState
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.rostering.dialogs import (
    DayOffForm,
    NeedForm,
    ProposalForm,
    ReasonForm,
    RulesForm,
)
from cc_terminal.screens.rostering.views import (
    DAY_WIDTH,
    ReviewWeek,
    cover_rows,
    day_row,
    grid_rows,
    preview_text,
    queue_row,
    roster_rows,
)
from cc_terminal.screens.tally.dialogs import PickList
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.export_files import EXPORT_FOLDER
from cc_terminal.services.rostering.days_off import RequestView
from cc_terminal.services.rostering.planning_reads import Coverage, monday_of
from cc_terminal.services.rostering.roster import RosterView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation

S = RequestState
TABS = ("mine", "review", "needs", "roster")
TAB_TITLES = {
    "mine": _("My days off"),
    "review": _("Review"),
    "needs": _("Needs"),
    "roster": _("Roster"),
}
TAB_FOCUS = {
    "mine": "#off-days",
    "review": "#off-queue",
    "needs": "#off-needs",
    "roster": "#off-roster",
}
# Keys that act on what a tab shows of the week: greyed until that week has come in.
REVIEW_KEYS = {"decide", "mark", "revoke", "need"}
ROSTER_KEYS = {"pin", "publish", "export"}


class DaysOffScreen(WorkstationScreen):
    AREA = _("Days off")
    BINDINGS = [
        Binding("o,enter", "ask", _("Ask for it off"), id="off.ask"),
        Binding("x", "cancel_request", _("Cancel request"), id="off.cancel"),
        Binding("ctrl+s", "submit", _("Submit drafts"), id="off.submit"),
        Binding("a", "decide('approved')", _("Approve"), id="off.approve"),
        Binding("r", "decide('rejected')", _("Reject"), id="off.reject"),
        Binding("w", "decide('waitlisted')", _("Waitlist"), id="off.waitlist"),
        Binding("space", "mark", _("Mark"), id="off.mark"),
        Binding("v", "revoke", _("Revoke"), id="off.revoke"),
        Binding("f", "fair_order", _("Fairest first"), id="off.fair"),
        Binding("n", "need", _("Set heads"), id="off.need"),
        Binding("e", "propose", _("Erlang C"), id="off.propose"),
        Binding("u", "rules", _("Rules"), id="off.rules"),
        Binding("s", "solve", _("Solve"), id="off.solve"),
        Binding("i", "pin", _("Pin a cell"), id="off.pin"),
        Binding("p", "publish", _("Publish"), id="off.publish"),
        Binding("d", "export", _("Export and print"), id="off.export"),
        Binding(
            "left_square_bracket", "week(-1)", _("Week before"), id="off.earlier", key_display="["
        ),
        Binding(
            "right_square_bracket", "week(1)", _("Week after"), id="off.later", key_display="]"
        ),
        Binding("ctrl+r", "refresh", _("Refresh"), id="off.refresh"),
        *(Binding(str(n), f"tab({n})", _("Tab {n}").format(n=n), show=False) for n in range(1, 5)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week = date(2000, 1, 3)
        self.mine: list[RequestView] = []
        self.marked: set[uuid.UUID] = set()
        self.fair_first = False
        self.review: ReviewWeek | None = None  # None while the week shown is loading
        self.roster: RosterView | None = None  # likewise
        self.first_day = date(2000, 1, 3)

    @property
    def is_lead(self) -> bool:
        return self.workstation.require_actor().is_lead

    def tabs(self) -> tuple[str, ...]:
        return TABS if self.is_lead else TABS[:1]

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(self.AREA)
        yield InPlaceText(_("Loading…"), id="off-title")
        with TabbedContent(id="off-tabs"):
            for number, name in enumerate(self.tabs(), 1):
                with TabPane(f"{number} {TAB_TITLES[name]}", id=f"off-tab-{name}"):
                    yield from self._body(name)
        yield KeyBar()

    def _body(self, name: str) -> ComposeResult:
        days = [(f"{n}", DAY_WIDTH) for n in range(7)]
        if name == "mine":
            with Vertical():
                yield RowTable(
                    (
                        (_("Day"), 14),
                        (_("Asked"), 16),
                        (_("State"), 12),
                        (_("Why"), 40),
                        (_("Shift"), 10),
                    ),
                    id="off-days",
                )
                yield Static("", id="off-mine-hint")
        elif name == "review":
            with Vertical():
                yield RowTable(
                    ((_("Operator"), 18), *days, (_("Wknd off"), 9), (_("Denied"), 7)),
                    id="off-grid",
                )
                yield RowTable(
                    (
                        ("", 2),
                        (_("Operator"), 18),
                        (_("Day"), 11),
                        (_("What"), 8),
                        (_("Prio"), 5),
                        (_("State"), 11),
                        (_("Late"), 5),
                        (_("Wknd off"), 9),
                        (_("Denied"), 7),
                        (_("Note"), 30),
                    ),
                    id="off-queue",
                )
                yield Static("", id="off-preview")
        elif name == "needs":
            yield RowTable(
                ((_("Day"), 14), (_("Shift"), 8), (_("Heads"), 7), (_("Why"), 70)), id="off-needs"
            )
        else:
            with Vertical():
                yield RowTable(((_("Operator"), 18), *days), id="off-roster")
                yield Static("", id="off-explained")

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
            text = _("Week of {day:%a %d.%m.%Y} · [ ] another week").format(day=self.week)
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
        self.app.call_from_thread(self.show_mine, mine, shifts, cutoff)

    def show_mine(self, mine: list[RequestView], shifts: dict[date, str], cutoff: object) -> None:
        self.mine = mine
        days = [self.first_day + timedelta(days=n) for n in range(14)]
        table = self.query_one("#off-days", RowTable)
        kept = table.cursor_row
        table.show([day_row(day, self._request_on(day), shifts) for day in days])
        table.cursor_row = min(kept, len(days) - 1)
        hint = _(
            "Requests for the week of {day:%d.%m.} are due before {cutoff:%a %d.%m. %H:%M}."
        ).format(day=self.first_day + timedelta(days=7), cutoff=cutoff)
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
        drafts = [r.id for r in self.mine if r.state is S.DRAFT]
        self.run_service(lambda s, a: s.days_off.submit(a, drafts), _("Submitted."))

    def action_cancel_request(self) -> None:
        request = self._request_on(self._highlighted_day())
        if request is not None:
            self.run_service(lambda s, a: s.days_off.cancel(a, request.id), _("Cancelled."))

    # -- the lead's review -------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-review")
    def load_review(self, week: date, fairest_first: bool) -> None:
        actor = self.workstation.require_actor()
        services = self.services
        requests = services.days_off.requests(actor, week)
        fair = services.days_off.fairness(actor)
        review = ReviewWeek.of(week, requests, fair, services.roster.needs(week), fairest_first)
        coverage = services.days_off.coverage(actor, week)
        names = services.roster.view(actor, week).names
        reasons = services.roster.need_reasons(week)
        self.app.call_from_thread(self.show_review, review, coverage, names, reasons)

    def show_review(
        self,
        review: ReviewWeek,
        coverage: Coverage,
        names: dict[uuid.UUID, str],
        reasons: dict[tuple[date, str], str],
    ) -> None:
        if review.week != self.week:
            return  # the lead has moved to another week meanwhile
        self.review = review
        self.refresh_bindings()
        days, fair = review.days, review.fair
        grid = self.query_one("#off-grid", RowTable)
        grid.set_columns(
            (
                (_("Operator"), 18),
                *((f"{d:%a %d}", DAY_WIDTH) for d in days),
                (_("Wknd off"), 9),
                (_("Denied"), 7),
            )
        )
        grid.show(grid_rows(days, review.requests, names, fair) + cover_rows(days, coverage))
        self.query_one("#off-queue", RowTable).show(
            [queue_row(r, fair, r.id in self.marked) for r in review.queue]
        )
        self.query_one("#off-needs", RowTable).show(
            [
                (f"{day:%a %d.%m.}", shift, str(heads), reasons.get((day, shift), _("the floor")))
                for day, shift, heads in review.needs
            ]
        )
        self.preview()

    @on(RowTable.Highlighted, "#off-queue")
    def queue_moved(self) -> None:
        self.preview()

    def preview(self) -> None:
        """What approving the chosen requests does to the week's cover, said below them."""
        if self.review is not None:
            self.preview_of(self.review.week, self._chosen())

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-preview")
    def preview_of(self, week: date, chosen: list[RequestView]) -> None:
        text: Text | str = ""
        if chosen:
            actor = self.workstation.require_actor()
            before = self.services.days_off.coverage(actor, week)
            after = self.services.days_off.coverage(actor, week, [r.id for r in chosen])
            text = preview_text(chosen, before, after)
        if not get_current_worker().is_cancelled:  # another request chosen meanwhile
            self.app.call_from_thread(self.query_one("#off-preview", Static).update, text)

    def _chosen(self) -> list[RequestView]:
        queue = self.review.queue if self.review is not None else []
        if self.marked:
            return [r for r in queue if r.id in self.marked]
        index = self.query_one("#off-queue", RowTable).cursor_row
        return [queue[index]] if index < len(queue) else []

    def action_mark(self) -> None:
        review = self.review
        index = self.query_one("#off-queue", RowTable).cursor_row
        if review is not None and index < len(review.queue):
            self.marked ^= {review.queue[index].id}
            self.query_one("#off-queue", RowTable).show(
                [queue_row(r, review.fair, r.id in self.marked) for r in review.queue]
            )
        self.preview()

    def action_fair_order(self) -> None:
        self.fair_first = not self.fair_first
        self.load_review(self.week, self.fair_first)

    def action_decide(self, to: str) -> None:
        chosen = [r.id for r in self._chosen()]
        if not chosen:
            return
        state = RequestState(to)
        done = _("{n} decided.").format(n=len(chosen))
        if state is S.REJECTED:

            def with_reason(reason: str | None) -> None:
                if reason:
                    self.run_service(lambda s, a: s.days_off.decide(a, chosen, state, reason), done)

            self.app.push_screen(ReasonForm(_("Reject: why?")), with_reason)
            return
        self.run_service(lambda s, a: s.days_off.decide(a, chosen, state), done)

    def action_revoke(self) -> None:
        requests = self.review.requests if self.review is not None else []
        approved = [r for r in requests if r.state is S.APPROVED]
        if not approved:
            self.app.notify(_("No approved request this week."), severity="warning")
            return
        options = [(f"{r.operator_name}, {r.day:%a %d.%m.}", str(r.id)) for r in approved]

        def picked(request_id: str | None) -> None:
            if request_id is None:
                return

            def with_reason(reason: str | None) -> None:
                if reason:
                    self.run_service(
                        lambda s, a: s.days_off.revoke(a, uuid.UUID(request_id), reason),
                        _("Revoked."),
                    )

            self.app.push_screen(ReasonForm(_("Revoke: why?")), with_reason)

        self.app.push_screen(PickList(_("Revoke which approved day off?"), options), picked)

    # -- needs -------------------------------------------------------------------------

    def action_need(self) -> None:
        needs = self.review.needs if self.review is not None else []
        index = self.query_one("#off-needs", RowTable).cursor_row
        if index < len(needs):
            day, shift, heads = needs[index]
            self.app.push_screen(NeedForm(day, shift, heads), self._then(_("Saved.")))

    def action_propose(self) -> None:
        self.app.push_screen(ProposalForm(self.week), self._then(_("Needs proposed.")))

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-rules")
    def action_rules(self) -> None:
        form = RulesForm(self.services.days_off.rules())
        self.app.call_from_thread(self.app.push_screen, form, self._then(_("Rules saved.")))

    # -- the roster -----------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="off-roster")
    def load_roster(self, week: date) -> None:
        view = self.services.roster.view(self.workstation.require_actor(), week)
        needs = self.services.roster.needs(week)
        self.app.call_from_thread(self.show_roster, view, needs)

    def show_roster(self, view: RosterView, needs: dict[tuple[date, str], int]) -> None:
        if view.week_start != self.week:
            return  # the lead has moved to another week meanwhile
        self.roster = view
        self.refresh_bindings()
        table = self.query_one("#off-roster", RowTable)
        table.set_columns(((_("Operator"), 18), *((f"{d:%a %d}", DAY_WIDTH) for d in view.days)))
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
        return [f"✗ {why}" for why in view.explanations.values()]

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
            (f"{day:%a %d.%m.} {label}", f"{day.isoformat()}|{shift}")
            for day in view.days
            for shift, label in (("early", _("early")), ("late", _("late")), ("", _("off")))
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

    # -- shared -----------------------------------------------------------------------

    def _then(self, message: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is not None:
                self.app.notify(message, timeout=4)
                self.action_refresh()

        return done

    @work(thread=True, exit_on_error=False, group="off-write")
    def run_service(self, call: Callable[[Workstation, Actor], object], message: str) -> None:
        try:
            result = call(self.services, self.workstation.require_actor())
        except ValidationFailed as failed:
            text = " ".join(failed.errors.values())
            self.app.call_from_thread(self.app.notify, text, severity="error", timeout=8)
            return
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error", timeout=8)
            return
        shown = message.format(path=result) if "{path}" in message else message
        self.app.call_from_thread(self.app.notify, shown, timeout=5)
        self.app.call_from_thread(self.action_refresh)
