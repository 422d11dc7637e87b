"""Text that repaints in place."""

from __future__ import annotations

from collections.abc import Hashable

from rich.text import Text
from textual.reactive import reactive

from cc_terminal.widgets.in_place_lines import KeepsLines
from cc_terminal.widgets.safe_text import plain


class InPlaceText(KeepsLines):
    """Like ``Static``, but its box is fixed by CSS (a height, and the width of its pane), so
    a new text only repaints this widget. ``Static.update`` re-lays out the whole screen,
    which the screen pop cannot afford for every line it changes. A text shown before
    (a ledger's count) takes the lines drawn for it then."""

    DEFAULT_CSS = """
    InPlaceText { height: 1; }
    """

    text: reactive[Text | str] = reactive("", layout=False)

    def __init__(self, text: Text | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(InPlaceText.text, text)

    def shown(self) -> Hashable:
        text = self.text
        if isinstance(text, str):
            return text
        return (
            text.plain,
            tuple(text.spans),
            text.style,
            text.justify,
            text.overflow,
            text.no_wrap,
        )

    def render(self) -> Text:
        return plain(self.text, multi_line=True)
