"""How long the current call has run (talk), and since the customer hung up (wrap-up)."""

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
    CallTimer.-wrap { background: $warning-muted; }
    """

    started: reactive[datetime | None] = reactive(None)
    hung_up: reactive[datetime | None] = reactive(None)

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock

    def on_mount(self) -> None:
        self.ticker = self.set_interval(1, self.refresh, pause=True)

    def watch_started(self, started: datetime | None) -> None:
        self.set_class(started is not None, "-running")
        self.refresh(layout=True)  # "No call open" and "Talk 00:00" differ in width
        if started is None:
            self.ticker.pause()
        else:
            self.ticker.resume()

    def watch_hung_up(self, hung_up: datetime | None) -> None:
        self.set_class(hung_up is not None, "-wrap")
        self.refresh(layout=True)  # the text grows by the wrap-up part

    def render(self) -> str:
        if self.started is None:
            return _("No call open")
        now = self.clock()
        talk = _("Talk {time}").format(time=clock_duration(_seconds(now, self.started)))
        if self.hung_up is None:
            return talk
        talk = _("Talk {time}").format(time=clock_duration(_seconds(self.hung_up, self.started)))
        wrap = _("Wrap-up {time}").format(time=clock_duration(_seconds(now, self.hung_up)))
        return f"{talk} · {wrap}"


def _seconds(later: datetime, earlier: datetime) -> int:
    return int((later - earlier).total_seconds())
