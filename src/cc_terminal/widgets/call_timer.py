"""How long the current call has run, ticking once a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.reactive import reactive
from textual.widgets import Static

from cc_terminal.i18n import _
from cc_terminal.widgets.today_strip import clock_duration


class CallTimer(Static):
    DEFAULT_CSS = """
    CallTimer { width: auto; padding: 0 1; }
    CallTimer.-running { background: $success-muted; text-style: bold; }
    """

    started: reactive[datetime | None] = reactive(None)

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock

    def on_mount(self) -> None:
        self.ticker = self.set_interval(1, self.refresh, pause=True)

    def watch_started(self, started: datetime | None) -> None:
        self.set_class(started is not None, "-running")
        if started is None:
            self.ticker.pause()
        else:
            self.ticker.resume()

    def render(self) -> str:
        if self.started is None:
            return _("No call open")
        seconds = int((self.clock() - self.started).total_seconds())
        return _("Talk {time}").format(time=clock_duration(seconds))
