"""PlainTable draws its header at the columns' widths measured for new rows, even when a
line was drawn between the rows' arrival and the table's measuring them (Textual keeps
that line in a cache under the same update count)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from cc_terminal.widgets.plain_widgets import PlainTable


class OneTable(App[None]):
    CSS = "DataTable { height: 5; }"

    def __init__(self, table: DataTable[object]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def _header_after_a_draw_before_idle(table: DataTable[object]) -> tuple[str, str]:
    async with OneTable(table).run_test(size=(60, 10)) as pilot:
        table.add_columns("A", "B")
        await pilot.pause()
        table.add_row("a long cell value", "another long one")
        table.render_line(0)  # a compositor's pass before the table is idle
        await pilot.pause()
        await pilot.pause()
        return table.render_line(0).text.rstrip(), table.render_line(1).text.rstrip()


async def test_the_header_follows_the_widths_of_rows_added_after_it_was_drawn() -> None:
    header, row = await _header_after_a_draw_before_idle(PlainTable())
    assert row == " a long cell value  another long one"
    assert header == " A                  B"


async def test_textuals_own_table_keeps_the_stale_header() -> None:
    """The defect PlainTable mends, shown on Textual's table: when this fails, Textual has
    mended it and PlainTable._update_dimensions can go."""
    header, _row = await _header_after_a_draw_before_idle(DataTable())
    assert header == " A  B"
