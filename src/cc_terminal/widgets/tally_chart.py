"""The tally's terminal charts, drawn with plotext: successes and calls per day for the
last 30 days, and this period beside the last. plotext keeps one global figure, so every
drawing holds a lock and runs whole."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from rich.text import Text

from cc_terminal.i18n import _, ngettext
from cc_terminal.services.tally.tally import DayPoint

_DRAWING = threading.Lock()
CAP_PERCENT = 200


def daily_chart(days: Sequence[DayPoint], width: int, height: int, target: int) -> Text:
    """Successes as bars (the daily target as a line), calls as a line on the right axis."""
    import plotext as plt

    with _DRAWING:
        plt.clear_figure()
        plt.plotsize(max(width, 30), max(height, 8))
        plt.theme("clear")
        x = list(range(1, len(days) + 1))
        plt.bar(x, [p.successes for p in days], label=_("successes"), marker="sd")
        plt.plot(x, [p.calls for p in days], label=_("calls (right)"), yside="right")
        if target:
            plt.hline(target)
        # A label a week, counted back from the last day: none close enough to collide
        # (plotext drops one of two that touch, and not always the same one).
        ticks = sorted(range(len(days), 0, -7))
        plt.xticks(ticks, [f"{days[n - 1].day:%d.%m.}" for n in ticks])
        plt.title(ngettext("The last {n} day", "The last {n} days", len(days)).format(n=len(days)))
        drawn = plt.build()
    return _unwrapped(drawn)


def compare_chart(measures: Sequence[tuple[str, float | None]], width: int, height: int) -> Text:
    """Each measure of this period as a percentage of the last (100 = as good as before)."""
    import plotext as plt

    shown = [(label, value) for label, value in measures if value is not None]
    if not shown:
        return Text(_("Nothing to compare with the last period yet."), style="dim")
    with _DRAWING:
        plt.clear_figure()
        plt.plotsize(max(width, 30), max(height, 3 + 2 * len(shown)))
        plt.theme("clear")
        labels = [label for label, _value in shown]
        values = [min(CAP_PERCENT, max(0.0, value or 0.0)) for _label, value in shown]
        plt.bar(labels, values, orientation="horizontal", width=0.4, marker="sd")
        plt.vline(100)
        plt.xlim(0, CAP_PERCENT)
        plt.title(_("This period as % of the last (100 = the same)"))
        drawn = plt.build()
    return _unwrapped(drawn)


def _unwrapped(drawn: str) -> Text:
    """Plain text (the clear theme has no colours; its reset codes made styles that differ
    from run to run) that is cropped, never wrapped."""
    import plotext as plt

    text = Text(plt.uncolorize(drawn))
    text.no_wrap = True
    text.overflow = "crop"
    return text
