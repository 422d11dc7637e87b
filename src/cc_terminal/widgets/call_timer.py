"""How long the current call has run (talk), and since the customer hung up (wrap-up)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime

from textual.reactive import reactive

from cc_terminal.i18n import _
from cc_terminal.widgets.in_place_lines import KeepsLines
from cc_terminal.widgets.today_strip import clock_duration


class CallTimer(KeepsLines):
    """Its line for "Talk 00:00" (every call's first) is drawn once and kept."""

    DEFAULT_CSS = """
    CallTimer { width: auto; height: auto; padding: 0 1; }
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
        self._text_changed()
        if started is None:
            self.ticker.pause()
        else:
            self.ticker.resume()

    def watch_hung_up(self, hung_up: datetime | None) -> None:
        self.set_class(hung_up is not None, "-wrap")
        self._text_changed()

    def _text_changed(self) -> None:
        """ "No call open", "Talk 00:00" and the wrap-up differ in width: sized by its text,
        the timer re-lays out the screen; given a width by CSS (the call screen's, on the
        screen-pop path), it repaints its one line in place."""
        self.refresh(layout=self.styles.auto_dimensions)

    def shown(self) -> Hashable:
        return (self.render(), self.has_class("-running"), self.has_class("-wrap"))

    def render(self) -> str:
        if self.started is None:
            return _("No call open")
        now = self.clock()
        if self.hung_up is None:
            return _("Talk {time}").format(time=clock_duration(_seconds(now, self.started)))
        talked = clock_duration(_seconds(self.hung_up, self.started))
        wrap = _("Wrap-up {time}").format(time=clock_duration(_seconds(now, self.hung_up)))
        # Narrower than the whole line (the call pane at 80 columns), the word "Talk" and
        # then the talk time give way: the running wrap-up time always shows. A timer sized
        # by its text (width: auto) has no width of its own to fit.
        width = self.styles.width
        room = 0 if width is None or width.is_auto else self.content_size.width
        for line in (_("Talk {time}").format(time=talked) + f" · {wrap}", f"{talked} · {wrap}"):
            if not room or len(line) <= room:
                return line
        return wrap


def _seconds(later: datetime, earlier: datetime) -> int:
    return int((later - earlier).total_seconds())
