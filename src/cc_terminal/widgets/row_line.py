"""One table row as the segments of its line, each cell cut or padded to its column.

A row's plain cells (most of them: times, kinds, names) become one segment per run of
plain cells, and a cell in one colour (a status) one segment in its style, without the Text
a cell was otherwise built into, truncated and rendered through (half the time of a row's
line). Only a cell with spans of its own is rendered as Rich renders it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from cc_terminal.widgets.safe_text import shown, shown_text

ELLIPSIS = "…"


def fitted(value: str, width: int) -> str:
    """``value`` exactly ``width`` cells wide, as Rich's ``Text.truncate(width,
    overflow="ellipsis", pad=True)`` makes it: cut with an ellipsis, or padded."""
    length = cell_len(value)
    if length > width:
        return set_cell_size(value, width - 1) + ELLIPSIS
    return value + " " * (width - length)


def row_segments(
    cells: Sequence[Text | str], widths: Sequence[int], gap: str, console: Console
) -> list[Segment]:
    """The cells side by side, ``gap`` between them, each as wide as its column; control
    characters shown as pictures."""
    segments: list[Segment] = []
    plain: list[str] = []
    for number, (width, cell) in enumerate(zip(widths, cells, strict=False)):
        if number:
            plain.append(gap)
        if isinstance(cell, Text) and (cell.spans or cell.style):
            if plain:
                segments.append(Segment("".join(plain)))
                plain.clear()
            if cell.spans:
                segments.extend(_styled(cell, width).render(console))
            else:  # one style for the whole cell (a status in colour)
                segments.append(
                    Segment(fitted(shown(cell.plain), width), console.get_style(cell.style))
                )
        else:
            plain.append(fitted(shown(str(cell)), width))
    if plain:
        segments.append(Segment("".join(plain)))
    return segments


def _styled(cell: Text, width: int) -> Text:
    """The cell fitted, its own style a span: Rich renders a Text's own style only with
    its spans, and the pad of a styled cell is styled too."""
    text = shown_text(cell.copy())
    text.truncate(width, overflow="ellipsis", pad=True)
    line = Text(no_wrap=True, end="")
    line.append_text(text)
    return line
