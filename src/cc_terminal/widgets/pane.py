"""A bordered pane whose border lights up while the focus is inside it."""

from __future__ import annotations

from textual import events
from textual.color import Color
from textual.containers import Vertical


class Pane(Vertical):
    """Like a ``:focus-within`` style, without its cost: Textual restyles every widget
    under a ``:focus-within`` node on each focus move (8 ms a move on the call screen,
    twice per screen pop). Here only the pane's own border colour changes."""

    DEFAULT_CSS = """
    Pane {
        border: round $panel-lighten-2;
        padding: 0 1;
        height: 1fr;
    }
    """

    _lit = False

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._follow_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._follow_focus()

    def _follow_focus(self) -> None:
        # The events of a move inside the pane may arrive blur-last: ask where the focus is.
        lit = self.has_focus_within
        if lit != self._lit:
            self._lit = lit
            variable = "accent" if lit else "panel-lighten-2"
            self.styles.border = ("round", Color.parse(self.app.theme_variables[variable]))
