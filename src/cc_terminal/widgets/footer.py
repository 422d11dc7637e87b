"""The footer, rebuilt once per burst of key changes instead of once per change."""

from __future__ import annotations

from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

RECOMPOSE_DELAY_SECONDS = 0.06


class WorkstationFooter(Footer):
    """Textual's footer recomposes all its keys whenever the active bindings change. A
    screen pop changes them three or four times in a few milliseconds (the call opens, the
    focus moves twice), and each rebuild restyles a dozen widgets: about 15 ms each on the
    pop path. This one waits for the burst to settle and rebuilds once, which the eye
    cannot tell from at once."""

    _pending: Timer | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(RECOMPOSE_DELAY_SECONDS, self.recompose)
