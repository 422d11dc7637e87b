"""Textual's DataTable and Select, with every cell and choice drawn as plain text (see
safe_text): they parse a ``str`` as markup. A text area and the fields' input draw a
stored value's control characters as their pictures (a campaign's script opened to edit
held an ESC that cleared the screen); the value itself is what the form checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable, TextArea
from textual.widgets._select import SelectType
from textual.widgets.data_table import ColumnKey, RowKey

from cc_terminal.i18n import _
from cc_terminal.widgets.late_keys import run_own_binding, take_list_key
from cc_terminal.widgets.safe_text import plain, plain_cells, shown_text
from cc_terminal.widgets.select_keys import PicksByKeys, numbered


class PlainTable(DataTable[Any]):
    """A DataTable parses a ``str`` cell as markup: a customer named `Karel [/]` crashed
    the screen showing them. Here each cell is a Text of its plain string first."""

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        row_label = None if label is None else plain(label)
        return super().add_row(*plain_cells(cells), height=height, key=key, label=row_label)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Any,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, plain(value), update_width=update_width)

    def add_column(
        self,
        label: Any,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Any = None,
    ) -> ColumnKey:
        return super().add_column(
            label if isinstance(label, Text) else plain(label),
            width=width,
            key=key,
            default=default,
        )

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Textual measures the columns of new rows when the table is next idle, but keeps
        every line it drew before under the same update count: a header drawn between
        ``add_row`` and that idle stayed at its labels' widths over rows drawn at the new
        ones (a picture under a dialog, now and then, on a loaded machine). When the widths
        change, a new count has every line drawn again at them."""
        before = self._drawn_widths()
        super()._update_dimensions(new_rows)
        if self._drawn_widths() != before:
            self._update_count += 1
            self.refresh()

    def _drawn_widths(self) -> list[int]:
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        return [self._row_label_column_width, *widths]


class InOrderTable(PlainTable):
    """A list whose keys (a letter that moves the focus to a field or opens a form, a
    cursor key) run in the order typed, and what is typed behind a key that moved the
    focus lands there (late_keys.take_list_key). Not for a list whose screen reads typed
    letters in its own ``on_key`` (a picker that sends them back to its search): the
    bindings run here, before the screen sees a key."""

    async def on_key(self, event: events.Key) -> None:
        await take_list_key(self, event)


class PlainSelect(PicksByKeys[SelectType]):
    """A Select whose choices' labels (list labels, campaign and team names, all stored)
    are plain text, picked by keys as select_keys says."""

    def __init__(self, options: Iterable[tuple[Any, SelectType]], **settings: Any) -> None:
        settings.setdefault("prompt", _("Select"))  # Textual's own is English
        super().__init__(numbered(options), **settings)

    def set_options(self, options: Iterable[tuple[Any, SelectType]]) -> None:
        super().set_options(numbered(options))


class PlainTextArea(TextArea):
    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):  # Backspace in order with the typing
            await super()._on_key(event)

    def get_line(self, line_index: int) -> Text:
        return shown_text(super().get_line(line_index), multi_line=True)
