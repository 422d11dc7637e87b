"""Progressive mode on F3 (a campaign's setting, with the softphone): after a lead of such
a campaign is closed (the operator's wrap-up with Ctrl+E, or the phone's own result), a
countdown of the campaign's seconds runs above the list and then N is pressed for the
operator: the next lead is taken and dialled. Escape stops the countdown (the operator
goes on by hand with N); leaving F3 stops it too, so nothing is dialled behind a ring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import reactive

from cc_terminal.i18n import _, ngettext
from cc_terminal.screens.outbound.lead_dial import DialsLeads
from cc_terminal.services.outbound.views import Closed
from cc_terminal.widgets.in_place_text import InPlaceText

if TYPE_CHECKING:
    from textual.timer import Timer


class ProgressiveDialling(DialsLeads):
    counting_down: reactive[bool] = reactive(False, bindings=True, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self._countdown: Timer | None = None
        self.seconds_left = 0

    def take_next(self) -> object:
        """Take and dial the next lead (the screen's own)."""

    def lead_closed(self, closed: Closed | None) -> None:
        campaign = self.card.campaign if self.card is not None else None
        super().lead_closed(closed)
        if closed is None or campaign is None or not campaign.progressive:
            return
        if self.workstation.settings.softphone:
            self.start_countdown(campaign.countdown_seconds)

    def start_countdown(self, seconds: int) -> None:
        self.stop_countdown()
        if not self.is_current:  # F2 came up meanwhile (a ring): nothing dials behind it
            return
        self.seconds_left = max(0, seconds)
        if self.seconds_left == 0:
            self.take_next()
            return
        self.counting_down = True
        self.show_countdown()
        self._countdown = self.set_interval(1, self.count_down)

    def count_down(self) -> None:
        self.seconds_left -= 1
        if self.seconds_left > 0:
            self.show_countdown()
            return
        self.stop_countdown()
        if not self.lead_open:
            self.take_next()

    def show_countdown(self) -> None:
        words = ngettext(
            "Progressive: the next lead is dialled in {n} second. Escape stops.",
            "Progressive: the next lead is dialled in {n} seconds. Escape stops.",
            self.seconds_left,
        )
        line = self.query_one("#dial-countdown", InPlaceText)
        line.text, line.display = words.format(n=self.seconds_left), True

    def stop_countdown(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self.counting_down = False
        line = self.query_one("#dial-countdown", InPlaceText)
        line.text, line.display = "", False

    def action_stop_countdown(self) -> None:
        if self.counting_down:
            self.stop_countdown()
            self.notify(_("Progressive dialling stopped: N takes the next lead."), timeout=5)

    def on_screen_suspend(self) -> None:
        self.stop_countdown()
