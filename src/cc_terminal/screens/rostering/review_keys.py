"""F6's tabs for team leads that decide on requests: the review (the grid with the heads
left per day and shift, the queue with fairness, a preview of what approving does, and the
keys that approve, reject, waitlist, mark and revoke) and the staffing needs (by hand or
Erlang C, and the rules)."""

from __future__ import annotations

import uuid
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cc_terminal.formats import short_day
from cc_terminal.i18n import _, pgettext
from cc_terminal.models.roster import RequestState
from cc_terminal.screens.rostering.days_off_base import DaysOffBase, day_columns
from cc_terminal.screens.rostering.dialogs import NeedForm, ProposalForm, ReasonForm, RulesForm
from cc_terminal.screens.rostering.views import (
    DAY_WIDTH,
    ReviewWeek,
    column_day,
    cover_rows,
    grid_rows,
    preview_text,
    queue_row,
    reject_title,
    review_legend,
    shift_short,
)
from cc_terminal.screens.tally.dialogs import PickList
from cc_terminal.services.rostering.days_off import RequestView
from cc_terminal.services.rostering.planning_reads import Coverage
from cc_terminal.widgets.row_table import InOrderRowTable, RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_results import show_latest

S = RequestState


class ReviewKeys(DaysOffBase):
    """The review and needs tabs: what they show and the keys that act on them."""

    def review_body(self) -> ComposeResult:
        with Vertical():
            yield InOrderRowTable(
                ((_("Operator"), 18), *day_columns(), (_("Wknd off"), 9), (_("Denied"), 7)),
                id="off-grid",
                share_width=True,
            )
            yield Static(plain(review_legend()), id="off-legend", classes="hint")
            yield InOrderRowTable(
                (
                    ("", 2),
                    (_("Operator"), 18),
                    (_("Day"), 11),
                    (_("What"), 8),
                    (_("Prio"), 5),
                    (_("State"), 11),
                    (pgettext("request", "Late"), 5),
                    (_("Wknd off"), 9),
                    (_("Denied"), 7),
                    (_("Note"), 30),
                ),
                id="off-queue",
                share_width=True,
            )
            yield Static("", id="off-preview")

    def needs_body(self) -> ComposeResult:
        yield InOrderRowTable(
            ((_("Day"), 14), (_("Shift"), 8), (_("Heads"), 7), (_("Why"), 70)),
            id="off-needs",
            share_width=True,
        )

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
        show_latest(self.app, self.show_review, review, coverage, names, reasons)

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
                *((column_day(d), DAY_WIDTH) for d in days),
                (_("Wknd off"), 9),
                (_("Denied"), 7),
            )
        )
        grid.show(grid_rows(days, review.requests, names, fair) + cover_rows(days, coverage))
        self.query_one("#off-queue", RowTable).show(
            [queue_row(r, fair, r.id in self.marked) for r in review.queue], keep_cursor=True
        )
        self.query_one("#off-needs", RowTable).show(
            [
                (
                    short_day(day),
                    shift_short(shift),
                    str(heads),
                    reasons.get((day, shift), _("the floor")),
                )
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
        show_latest(self.app, self.query_one("#off-preview", Static).update, text)

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
                [queue_row(r, review.fair, r.id in self.marked) for r in review.queue],
                keep_cursor=True,
            )
        self.preview()

    def action_fair_order(self) -> None:
        self.fair_first = not self.fair_first
        self.load_review(self.week, self.fair_first)

    def action_decide(self, to: str) -> None:
        requests = self._chosen()
        chosen = [r.id for r in requests]
        if not chosen:
            return
        state = RequestState(to)
        done = _("{n} decided.").format(n=len(chosen))
        if state is S.REJECTED:

            def with_reason(reason: str | None) -> None:
                if reason:
                    self.run_service(lambda s, a: s.days_off.decide(a, chosen, state, reason), done)

            self.app.push_screen(ReasonForm(reject_title(requests)), with_reason)
            return
        self.run_service(lambda s, a: s.days_off.decide(a, chosen, state), done)

    def action_revoke(self) -> None:
        requests = self.review.requests if self.review is not None else []
        approved = [r for r in requests if r.state is S.APPROVED]
        if not approved:
            self.app.notify(_("No approved request this week."), severity="warning")
            return
        options = [(f"{r.operator_name}, {short_day(r.day)}", str(r.id)) for r in approved]

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
