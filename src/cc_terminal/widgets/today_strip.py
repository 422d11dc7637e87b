"""The operator's figures for today, computed from the stored calls."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from cc_terminal.formats import money, spoken_duration
from cc_terminal.i18n import _, ngettext
from cc_terminal.services.common.views import TodayStats


def clock_duration(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class TodayStrip(Static):
    DEFAULT_CSS = """
    TodayStrip { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    stats: reactive[TodayStats | None] = reactive(None)

    def on_mount(self) -> None:
        self.watch(self.app, "today", self._show)

    def _show(self, stats: TodayStats | None) -> None:
        self.stats = stats

    def render(self) -> str:
        stats = self.stats
        if stats is None:
            return _("Today: loading…")
        calls = ngettext("{n} call", "{n} calls", stats.calls).format(n=stats.calls)
        line = _("Today: {calls} · talk {talk} · avg handling {aht}").format(
            calls=calls,
            talk=spoken_duration(stats.talk_seconds),
            aht=spoken_duration(stats.average_handling_seconds),
        )
        successes = ngettext("{n} success", "{n} successes", stats.successes)
        line += " · " + successes.format(n=stats.successes)
        if stats.earned_minor is not None:
            earned = money(stats.earned_minor, stats.currency)
            line += " · " + _("earned {amount}").format(amount=earned)
            if stats.pending:
                line += " " + _("(+{n} pending)").format(n=stats.pending)
        return line
