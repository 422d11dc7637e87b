"""A row's line made from its cells directly (widgets/row_line.py) is, cell for cell and
style for style, the line the table drew before by building one Rich Text of the whole
row, truncating each cell in it and rendering it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from cc_terminal.widgets.row_line import fitted, row_segments
from cc_terminal.widgets.safe_text import shown, shown_text

CONSOLE = Console(width=200, color_system="truecolor")
STYLES = st.sampled_from(["", "bold", "red", "bold green on blue", "italic #ff8800"])
WORDS = st.text(
    alphabet=st.sampled_from(
        [*"aZ 9.:-/čŘžÚ", "\x1b", "\x07", "\t", "\n", "\x9b", "日", "😀", "\u0301"]
    ),
    max_size=50,
)


@st.composite
def cells(draw: st.DrawFn) -> Text | str:
    if not draw(st.booleans()):
        return draw(WORDS)
    text = Text(draw(WORDS), style=draw(STYLES))
    if text.plain and draw(st.booleans()):
        start = draw(st.integers(0, len(text.plain) - 1))
        text.stylize(draw(STYLES) or "underline", start, draw(st.integers(start, len(text.plain))))
    return text


def as_before(row: list[Text | str], widths: list[int]) -> list[Segment]:
    """The table's line as it was made before row_line.py."""
    line = Text(no_wrap=True, end="")
    for number, (width, cell) in enumerate(zip(widths, row, strict=False)):
        text = shown_text(cell.copy()) if isinstance(cell, Text) else Text(shown(str(cell)))
        text.truncate(width, overflow="ellipsis", pad=True)
        if number:
            line.append(" ")
        line.append_text(text)
    return list(line.render(CONSOLE))


def cells_drawn(segments: list[Segment]) -> list[tuple[str, Style]]:
    return [(char, segment.style or Style()) for segment in segments for char in segment.text]


@given(st.lists(cells(), max_size=7), st.lists(st.integers(1, 40), min_size=7, max_size=7))
def test_a_row_is_drawn_as_the_whole_row_text_drew_it(row, widths):
    drawn = row_segments(row, widths, " ", CONSOLE)
    assert cells_drawn(drawn) == cells_drawn(as_before(row, widths))
    shown_cells = sum(width for width, _ in zip(widths, row, strict=False))
    assert Segment.get_line_length(drawn) == shown_cells + max(0, len(row) - 1)


def test_a_long_cell_ends_in_an_ellipsis_and_a_short_one_is_padded():
    assert fitted("Nováková Jana", 8) == "Novákov…"
    assert fitted("Jan", 6) == "Jan   "
    assert fitted("日本語", 4) == "日 …"  # a wide character never split: a space for its half
    assert row_segments(["\x1b[2J"], [6], " ", CONSOLE)[0].text == "␛[2J  "
