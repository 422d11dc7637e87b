"""The operator's figures for today, computed from the stored calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import reactive
from textual.widgets import Static

from cc_terminal.formats import money, spoken_duration
from cc_terminal.i18n import _, ngettext

if TYPE_CHECKING:
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
        parts = today_parts(stats)
        # Narrower than the whole line (an 80-column terminal), the average handling and
        # then the talk time give way: the earnings and what is pending always show.
        room = self.content_size.width
        for dropped in ((), ("aht",), ("aht", "talk")):
            figures = " · ".join(text for name, text in parts if name not in dropped)
            line = _("Today: {figures}").format(figures=figures)
            if not room or len(line) <= room:
                break
        return line


def today_parts(stats: TodayStats) -> list[tuple[str, str]]:
    """The strip's figures, each with a name saying which may give way."""
    calls = ngettext("{n} call", "{n} calls", stats.calls).format(n=stats.calls)
    successes = ngettext("{n} success", "{n} successes", stats.successes)
    parts = [
        ("calls", calls),
        ("talk", _("talk {talk}").format(talk=spoken_duration(stats.talk_seconds))),
        (
            "aht",
            _("avg handling {aht}").format(aht=spoken_duration(stats.average_handling_seconds)),
        ),
        ("successes", successes.format(n=stats.successes)),
    ]
    if stats.earned_minor is not None:
        earned = _("earned {amount}").format(amount=money(stats.earned_minor, stats.currency))
        if stats.pending:
            earned += " " + _("(+{n} pending)").format(n=stats.pending)
        parts.append(("earned", earned))
    return parts
