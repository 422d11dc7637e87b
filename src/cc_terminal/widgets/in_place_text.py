"""Text that repaints in place."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from cc_terminal.widgets.safe_text import plain


class InPlaceText(Widget):
    """Like ``Static``, but its box is fixed by CSS (a height, and the width of its pane), so
    a new text only repaints this widget. ``Static.update`` re-lays out the whole screen,
    which the screen pop cannot afford for every line it changes."""

    DEFAULT_CSS = """
    InPlaceText { height: 1; }
    """

    text: reactive[Text | str] = reactive("", layout=False)

    def __init__(self, text: Text | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(InPlaceText.text, text)

    def render(self) -> Text:
        return plain(self.text, multi_line=True)
