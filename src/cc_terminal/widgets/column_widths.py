"""Columns that share a table's width by their content: every column as wide as its
widest cell while all fit; when they do not, the widest give way first, down to a common
ceiling, so a long note wraps in its column. No column is cut below its title or its
longest word (up to LONGEST_WORD): words wrap whole."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

# A DataTable pads each cell by one column on each side; the scrollbar takes two more.
CELL_PADDING = 2
SCROLLBAR = 2
LONGEST_WORD = 12


def shared_widths(wanted: Sequence[int], available: int, floors: Sequence[int]) -> list[int]:
    """Each column its wanted width if they all fit in ``available``; otherwise every
    width above the highest ceiling that fits is cut to it, never below its floor."""
    if sum(wanted) <= available:
        return list(wanted)

    def cut(ceiling: int) -> list[int]:
        return [
            max(floor, min(width, ceiling)) for width, floor in zip(wanted, floors, strict=True)
        ]

    low, high = 1, max(wanted)
    while low < high:  # the highest ceiling whose cut widths fit
        ceiling = (low + high + 1) // 2
        if sum(cut(ceiling)) <= available:
            low = ceiling
        else:
            high = ceiling - 1
    return cut(low)


def content_widths(
    titles: Sequence[str], rows: Sequence[Sequence[Text | str]]
) -> tuple[list[int], list[int]]:
    """Each column's widest cell, and its floor: its title or its longest word."""
    widths = [len(title) for title in titles]
    floors = list(widths)
    for row in rows:
        for index, cell in enumerate(row):
            text = cell.plain if isinstance(cell, Text) else cell
            widths[index] = max(widths[index], len(text))
            word = max((len(w) for w in text.split()), default=0)
            floors[index] = max(floors[index], min(word, LONGEST_WORD))
    return widths, floors


def fill_shared(
    table: DataTable[Text | str],
    titles: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Text | str]]],
    width: int,
) -> None:
    """Refill ``table`` with ``rows`` (key, cells), its columns sharing ``width`` by their
    content; a cell wider than its column wraps onto more lines of its row."""
    wanted, floors = content_widths(titles, [cells for _key, cells in rows])
    _refill(table, titles, rows, shared_widths(wanted, _room(width, titles), floors), None)


def fill_one_line(
    table: DataTable[Text | str],
    titles: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Text | str]]],
    width: int,
    *,
    whole: Sequence[int] = (),
    at_least: dict[int, int] | None = None,
) -> None:
    """Refill ``table`` one line a row, its columns sharing ``width`` by their content: a
    queue read at a glance. The columns in ``whole`` are never cut (a due time), those in
    ``at_least`` keep that many cells while their text is as long; the others give way."""
    wanted, floors = content_widths(titles, [cells for _key, cells in rows])
    for index in whole:
        floors[index] = wanted[index]
    for index, least in (at_least or {}).items():
        floors[index] = max(floors[index], min(wanted[index], least))
    _refill(table, titles, rows, shared_widths(wanted, _room(width, titles), floors), 1)


def _room(width: int, titles: Sequence[str]) -> int:
    return width - SCROLLBAR - CELL_PADDING * len(titles)


def _refill(
    table: DataTable[Text | str],
    titles: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Text | str]]],
    widths: Sequence[int],
    height: int | None,
) -> None:
    table.clear(columns=True)
    for title, column_width in zip(titles, widths, strict=True):
        table.add_column(title, width=column_width)
    for key, cells in rows:
        table.add_row(*cells, key=key, height=height)
