"""The header's badges: callbacks due, missed calls to call back, the days-off reminder, a
lead's waiting escalations and overdue requests, answers to one's own escalations and
waiting chats, read by a poll every few seconds and at once after a change here. Mixed
into the workstation App (app.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from textual import work
from textual.app import App
from textual.reactive import reactive

from cc_terminal.formats import weekday
from cc_terminal.i18n import _
from cc_terminal.widgets.worker_results import show_latest

if TYPE_CHECKING:
    from cc_terminal.services.channels.views import WaitingSummary
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation


class Badges(NamedTuple):
    due: int
    days_off_line: str
    lead_counts: tuple[int, int]  # waiting escalations, overdue requests
    answers: int
    chats: tuple[int, int, int]  # waiting, the longest wait, the late first answer (s)
    missed: int  # missed calls given to the operator to call back


class BadgePolls(App[str]):
    escalations_waiting: reactive[int] = reactive(0)
    requests_overdue: reactive[int] = reactive(0)  # a lead's department's
    answers_waiting: reactive[int] = reactive(0)
    callbacks_due: reactive[int] = reactive(0)
    missed_callbacks: reactive[int] = reactive(0)  # F7's "My callbacks"
    chats_waiting: reactive[tuple[int, int, int]] = reactive((0, 0, 0))
    days_off_due: reactive[str] = reactive("")

    zone: ZoneInfo
    actor: Actor | None
    services: Workstation | None
    # the waiting chats' badge alone (``chats_changed``): one read at a time, one more after
    _chats_reading = False
    _chats_again = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="badge")
    def poll_escalations(self) -> None:
        """Leads see waiting escalations from every terminal on this database and their
        department's overdue requests; everyone sees their callbacks that are due and their
        lead's answers to their escalations."""
        actor, services = self.actor, self.services
        if actor is None or services is None:
            return
        due = services.outbound.callbacks_due(actor)
        cutoff = services.days_off.reminder(actor)
        line = ""
        if cutoff is not None:
            local = cutoff.astimezone(self.zone)
            when = f"{weekday(local)} {local:%H:%M}"
            line = _("✎ days off due {when} · F6").format(when=when)
        waiting = services.escalations.open_count() if actor.is_lead else 0
        overdue = services.requests.overdue_count(actor)
        answers = services.escalations.answers_waiting(actor)
        chat_figures = _chat_figures(services.chats.waiting_summary())
        missed = services.phone.open_callbacks(actor)
        figures = Badges(due, line, (waiting, overdue), answers, chat_figures, missed)
        show_latest(self, self._show_badges, figures)

    def chats_changed(self) -> None:
        """A chat started, given or closed elsewhere: the waiting chats' badge alone reads
        again (a count), not every badge; notices heard while it reads make one more."""
        if self._chats_reading:
            self._chats_again = True
            return
        self._chats_reading = True
        self._count_chats_waiting()

    @work(thread=True, exit_on_error=False, group="chat-badge")
    def _count_chats_waiting(self) -> None:
        try:
            if self.actor is not None and self.services is not None:
                figures = _chat_figures(self.services.chats.waiting_summary())
                self.call_from_thread(self._show_chats_waiting, figures)
        finally:
            self.call_from_thread(self._chats_counted)

    def _show_chats_waiting(self, figures: tuple[int, int, int]) -> None:
        if self.actor is None or not self.is_running:  # closing: no screen to count on
            return
        self.chats_waiting = figures
        counted = getattr(self.screen, "waiting_counted", None)  # F8's queue pane
        if counted is not None:
            counted(figures[0])

    def _chats_counted(self) -> None:
        self._chats_reading = False
        if self._chats_again:
            self._chats_again = False
            self.chats_changed()

    def _show_badges(self, figures: Badges) -> None:
        """A newer poll's figures are never shown over by an older one's (show_latest)."""
        due, days_off_line, lead_counts, answers, chats, missed = figures
        self.chats_waiting, self.missed_callbacks = chats, missed
        self.callbacks_due, self.days_off_due = due, days_off_line
        if self.actor is not None and self.actor.is_lead:
            self.escalations_waiting, self.requests_overdue = lead_counts
        if answers > self.answers_waiting and self.actor is not None:
            self.notify(_("Your team lead answered your escalation: F7 shows it."), timeout=10)
        self.answers_waiting = answers if self.actor is not None else 0


def _chat_figures(summary: WaitingSummary) -> tuple[int, int, int]:
    """The header's chat badge: waiting, the longest wait, the late first answer (s)."""
    return summary.count, summary.longest_seconds, summary.late_seconds
