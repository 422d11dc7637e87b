"""Stored text drawn safely, the one place every stored or imported string reaches the
screen through. It is data, never markup: a `[/]` in a note crashed the screen that drew
it and a `[@click=...]` would run an action, so every value becomes a ``Text`` built from
the plain string. A control character (ESC, BEL, a C1 control, ...) must never reach the
terminal, where it could retitle the window or clear the screen: each one is shown as its
Unicode "control picture" (ESC as ␛), one character for one, so a styled text keeps its
spans. New input refuses them (services/validation)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.highlighter import Highlighter
from rich.text import Text

from cc_terminal.control_pictures import shown

__all__ = ["ControlPictures", "plain", "plain_cells", "shown", "shown_text"]


class ControlPictures(Highlighter):
    """An Input's highlighter that draws control characters as pictures, one for one, so
    the cursor stays where it was."""

    def highlight(self, text: Text) -> None:
        text.plain = shown(text.plain, multi_line=True)


def shown_text(text: Text, *, multi_line: bool = False) -> Text:
    """The same Text (spans kept) with its control characters made visible."""
    safe = shown(text.plain, multi_line=multi_line)
    if safe != text.plain:
        text = text.copy()
        text.plain = safe
    return text


def plain(value: object, *, style: str = "", multi_line: bool = False) -> Text:
    """A value as text to draw: a Text keeps its styles, anything else is its plain string."""
    if isinstance(value, Text):
        return shown_text(value, multi_line=multi_line)
    return Text(shown(str(value), multi_line=multi_line), style=style)


def plain_cells(values: Iterable[object]) -> list[Text]:
    """A table row's cells, each drawn as plain text (a DataTable parses a str as markup)."""
    return [plain(value) for value in values]
