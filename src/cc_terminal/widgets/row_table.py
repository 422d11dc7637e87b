"""A read-only table of many rows that draws only the lines on screen."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import ClassVar, Generic, NamedTuple, TypeVar, overload

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cc_terminal.i18n import N_
from cc_terminal.widgets.late_keys import take_list_key
from cc_terminal.widgets.row_line import row_segments
from cc_terminal.widgets.safe_text import shown

Cell = Text | str
Row = Sequence[Cell]
Item = TypeVar("Item")
COLUMN_GAP = 1
SIDEWAYS_STEP = 8
NARROWEST_COLUMN = 5
FIRST_COLUMN = 12  # what the row is (a name, a day) keeps this much, if it had it
MEASURED_ROWS = 200


def shared_widths(
    columns: Sequence[tuple[str, int]],
    room: int,
    natural: Sequence[int] = (),
    whole: Collection[int] = (),
) -> tuple[int, ...]:
    """The columns' widths cut to ``room`` (gaps included). First the room a column holds
    beyond its title and its widest cell (``natural``) goes, the most first; then the
    widest columns give way a cell at a time, so short ones (a code, a count) stay whole
    and every column stays on screen, none below its title (or NARROWEST_COLUMN).
    A ``whole`` column (money) is as wide as its widest cell and is never cut: for it the
    first column gives up the FIRST_COLUMN it otherwise keeps."""
    declared = [width for _, width in columns]
    titles = [len(title) for title, _ in columns]
    natural = list(natural) or declared
    for index in whole:
        declared[index] = max(natural[index], titles[index])
    kept = [min(d, max(n, t)) for d, n, t in zip(declared, natural, titles, strict=True)]
    bare = [min(d, max(NARROWEST_COLUMN, t)) for d, t in zip(declared, titles, strict=True)]
    for index in whole:
        bare[index] = declared[index]
    least = list(bare)
    if least and 0 not in whole:
        least[0] = min(declared[0], max(least[0], FIRST_COLUMN))
    fitted = list(declared)
    excess = sum(fitted) + COLUMN_GAP * max(0, len(fitted) - 1) - room
    excess = _trim(fitted, kept, excess, lambda i: fitted[i] - kept[i])
    excess = _trim(fitted, least, excess, lambda i: fitted[i])
    if whole:
        _trim(fitted, bare, excess, lambda i: fitted[i])
    return tuple(fitted)


def _trim(
    fitted: list[int], floors: Sequence[int], excess: int, first: Callable[[int], int]
) -> int:
    """Take up to ``excess`` cells, one at a time, from the column above its floor that
    comes ``first``; what could not be taken is returned."""
    while excess > 0:
        above = [i for i, width in enumerate(fitted) if width > floors[i]]
        if not above:
            break
        fitted[max(above, key=first)] -= 1
        excess -= 1
    return excess


LOOK_CLASSES = ("row-table--header", "row-table--cursor", "row-table--even-row")


class _Look(NamedTuple):
    """What drawing a line takes from the table's CSS, looked up once a frame."""

    width: int
    base: Style
    header: Style
    cursor: Style
    even_row: Style


class RowTable(ScrollView, can_focus=True):
    """Rows of fixed-width columns under a fixed header line, with a row cursor.

    Textual's DataTable renders every visible cell through Rich on each repaint (15 ms for
    24 ledger rows at 120x40) and costs about 75 microseconds per added row. Here a row is
    turned into one strip of text the first time it is on screen and kept; a repaint crops
    and colours the strips, so a table of 100,000 rows shows as fast as one of ten.

    ``rows`` is any sequence: a list, or one that builds its rows when first asked.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--even-row",
        "row-table--cursor",
    }
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .row-table--header { text-style: bold; background: $panel; }
        & > .row-table--even-row { background: $surface-lighten-1 50%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:dark > .row-table--even-row { background: $surface-darken-1 40%; }
        &:focus > .row-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", N_("Up"), show=False),
        Binding("down", "cursor(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "first", N_("First row"), show=False),
        Binding("end", "last", N_("Last row"), show=False),
        Binding("left", "sideways(-1)", N_("Scroll left"), show=False),
        Binding("right", "sideways(1)", N_("Scroll right"), show=False),
        Binding("enter", "select", N_("Select"), show=False),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False)

    class RowMessage(Message):
        def __init__(self, table: RowTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> RowTable:
            return self.table

    class Highlighted(RowMessage):
        """The cursor moved to row ``index``."""

    class Selected(RowMessage):
        """Enter on row ``index``."""

    def __init__(
        self,
        columns: Sequence[tuple[str, int]],
        *,
        zebra_stripes: bool = True,
        share_width: bool = False,
        whole: Collection[int] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.zebra_stripes = zebra_stripes
        # Columns narrowed to the table's width (widest first) instead of scrolled sideways;
        # the ``whole`` ones (money) as wide as their widest cell, never cut.
        self.share_width = share_width
        self.whole = tuple(whole)
        self._room = 0
        self.rows: Sequence[Row] = ()
        self._strips: dict[int, Strip] = {}
        self._look: _Look | None = None
        self.set_columns(columns)

    def set_columns(self, columns: Sequence[tuple[str, int]]) -> None:
        """New columns (titles and widths); show the rows again after."""
        self.columns = tuple(columns)
        self._fit_columns()

    def _fit_columns(self) -> None:
        widths = [width for _, width in self.columns]
        if self.share_width and self._room:
            natural = self._natural_widths()
            widths = list(shared_widths(self.columns, self._room, natural, self.whole))
        self._widths = tuple(widths)
        self._line_width = sum(widths) + COLUMN_GAP * max(0, len(widths) - 1)
        self._header = self._strip(tuple(Text(title) for title, _ in self.columns))
        self._strips.clear()

    def _natural_widths(self) -> list[int]:
        """Each column's widest cell among the first rows (a title counts as a cell)."""
        widths = [len(title) for title, _ in self.columns]
        for row in self.rows[:MEASURED_ROWS]:
            for number, cell in enumerate(row[: len(widths)]):
                length = cell.cell_len if isinstance(cell, Text) else cell_len(shown(str(cell)))
                widths[number] = max(widths[number], length)
        return widths

    def on_resize(self) -> None:
        room = self.scrollable_content_region.width
        if self.share_width and room != self._room:
            self._room = room
            self._fit_columns()
            self._resize()

    def watch_show_vertical_scrollbar(self) -> None:
        """More rows than lines take the scrollbar's cells from the row, and Textual sends
        no Resize for that: the columns are shared again."""
        self.on_resize()

    # -- what is shown ----------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def show(self, rows: Sequence[Row], *, keep_cursor: bool = False) -> None:
        """Replace every row; the cursor goes back to the first, or with ``keep_cursor``
        stays on its line (the row below a decided one takes its place)."""
        kept = min(self.cursor_row, max(0, len(rows) - 1)) if keep_cursor else 0
        self.rows = rows
        if self.share_width and self._room:
            self._fit_columns()  # the new rows' widest cells decide what gives way
        self._strips.clear()
        self.set_reactive(RowTable.cursor_row, kept)
        if not kept:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._resize()

    def rows_added(self) -> None:
        """The sequence given to ``show`` grew at its end."""
        self._resize()

    def cell_texts(self, index: int) -> list[str]:
        return [str(cell) for cell in self.rows[index]]

    def _resize(self) -> None:
        size = Size(self._line_width, len(self.rows) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()

    # -- drawing ------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``, with what every line needs (the width, the styles) looked
        up once for them all rather than once a line: those lookups walk the widget's CSS
        and cost more than taking a row's kept strip."""
        self._look = self._looked_up()
        try:
            return super().render_lines(crop)
        finally:
            self._look = None

    def _looked_up(self) -> _Look:
        styles = (self.get_component_rich_style(name) for name in LOOK_CLASSES)
        return _Look(self.scrollable_content_region.width, self.rich_style, *styles)

    def render_line(self, y: int) -> Strip:
        look = self._look or self._looked_up()
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            strip, style = self._header, look.header
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(look.width, look.base)
            strip, style = self._row_strip(index), self._row_style(index, look)
        line = strip.crop(scroll_x, scroll_x + look.width).extend_cell_length(look.width)
        return line.apply_style(look.base + style)

    def _row_style(self, index: int, look: _Look) -> Style:
        if index == self.cursor_row:
            return look.cursor
        if self.zebra_stripes and index % 2 == 0:
            return look.even_row
        return Style()

    def _row_strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = self._strip(self.rows[index])
        return strip

    def _strip(self, cells: Row) -> Strip:
        segments = row_segments(cells, self._widths, " " * COLUMN_GAP, self.app.console)
        return Strip(segments, self._line_width)

    # -- the cursor ---------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._keep_in_view(new)
        self.post_message(self.Highlighted(self, new))

    def _keep_in_view(self, index: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + visible:
            self.scroll_to(y=index - visible + 1, animate=False, immediate=True)

    def _move_to(self, index: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(len(self.rows) - 1, index))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def action_sideways(self, direction: int) -> None:
        self.scroll_to(x=self.scroll_x + direction * SIDEWAYS_STEP, animate=False)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row))


class InOrderRowTable(RowTable):
    """A RowTable whose keys run in the order typed, as plain_widgets.InOrderTable's do
    (read its warning)."""

    async def on_key(self, event: events.Key) -> None:
        await take_list_key(self, event)


class LazyRows(Sequence[Row], Generic[Item]):
    """Rows made from ``items`` by ``row``, each the first time it is asked for: a table of
    thousands opens as fast as one of ten, and the rest are made as they scroll in."""

    def __init__(self, items: Sequence[Item], row: Callable[[Item], Row]) -> None:
        self.items = items
        self.row = row
        self._made: dict[int, Row] = {}

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self.row(self.items[index])
        return made
