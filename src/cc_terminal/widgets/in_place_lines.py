"""Lines drawn once per content: a widget that shows the same few contents again and again
(the key bar's two sets of keys, "3 entries, newest first") keeps what it drew for each."""

from __future__ import annotations

from collections.abc import Hashable

from textual.strip import Strip
from textual.widget import Widget

KEPT = 16  # contents kept per widget; more, and the oldest are drawn anew


class KeepsLines(Widget):
    """Keeps the lines Textual drew for each ``shown()`` (with the widget's size and the
    app's theme and colours): showing a content it had before takes its lines, where
    drawing them anew (Textual turning the text into styled segments) costs about 0.2 ms
    a line. A subclass refreshes whenever ``shown()`` changes, as any widget must to be
    repainted, so a content not kept is always drawn from what is current."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._kept: dict[Hashable, list[Strip]] = {}

    def shown(self) -> Hashable:
        """What the widget's lines show, as a key."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        app = self.app
        drawn = (self.shown(), self.size, app.theme, app.ansi_color)
        lines = self._kept.get(drawn)
        if lines is None:
            if len(self._kept) >= KEPT:
                self._kept.clear()
            draw = super().render_line
            lines = self._kept[drawn] = [draw(line) for line in range(self.size.height)]
        return lines[y] if 0 <= y < len(lines) else super().render_line(y)
