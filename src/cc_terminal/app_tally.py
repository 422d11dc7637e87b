"""The tally's keys on every screen: + (or Ctrl+Y) claims a success for the call or lead on
screen, Ctrl+B starts a pause with its reason or goes back to work. Mixed into the
workstation App (app.py)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work
from textual.app import App

from cc_terminal.i18n import _
from cc_terminal.widgets.words import label

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation


class TallyKeys(App[str]):
    """Claims and pauses; the header shows ``pause_line`` while a pause runs."""

    zone: ZoneInfo
    pause_line: str

    if TYPE_CHECKING:  # the workstation App's own

        def require_actor(self) -> Actor: ...

        def require_services(self) -> Workstation: ...

        def refresh_today(self) -> object: ...

    def open_tally_of(self, operator_id: uuid.UUID) -> None:
        """F5's tally of that operator, as the team view's Enter opens it (F7's floor)."""

        async def show() -> None:
            await self.switch_mode("tally")
            from cc_terminal.screens.tally.tally import TallyScreen

            screen = self.screen
            if isinstance(screen, TallyScreen):
                screen.show_operator(operator_id)

        self.run_worker(show(), exit_on_error=False, group="open-tally")

    def action_claim(self) -> None:
        """A success for the tally, about the call or lead on screen when there is one."""
        from cc_terminal.screens.tally.dialogs import ClaimForm

        if isinstance(self.screen, ClaimForm):
            return
        context = getattr(self.screen, "claim_context", None)
        call_id, lead_id, about = context() if callable(context) else (None, None, "")

        def stored(claim: object) -> None:
            if claim is not None:
                self.notify(_("Claim added to your tally."), timeout=3)
                self.refresh_today()

        self.push_screen(ClaimForm(call_id, lead_id, about), stored)

    def action_pause(self) -> None:
        """A pause with its reason, or back to work."""
        if self.pause_line:
            self.resume_work()
            return
        from cc_terminal.screens.tally.dialogs import PausePicker

        def picked(reason: object) -> None:
            if reason is not None:
                self.start_pause(reason)

        if not isinstance(self.screen, PausePicker):
            self.push_screen(PausePicker(), picked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pause")
    def start_pause(self, reason: object) -> None:
        from cc_terminal.models import PauseReason
        from cc_terminal.services.tally.work_sessions import PAUSE_LABELS

        actor, services = self.require_actor(), self.require_services()
        assert isinstance(reason, PauseReason)
        paused = services.work_clock.pause(actor, reason)
        since = paused.since.astimezone(self.zone).strftime("%H:%M")
        line = _("⏸ {reason} since {since} · Ctrl+B resumes").format(
            reason=label(PAUSE_LABELS, reason), since=since
        )
        self.call_from_thread(setattr, self, "pause_line", line)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pause")
    def resume_work(self) -> None:
        self.require_services().work_clock.resume(self.require_actor())
        self.call_from_thread(setattr, self, "pause_line", "")
