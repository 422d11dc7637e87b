"""The lean row table: only the lines on screen are drawn, rows are made when first shown,
and the cursor, paging, sideways scrolling and Enter work from the keyboard."""

from rich.text import Text
from textual.app import App, ComposeResult

from cc_terminal.widgets.row_table import LazyRows, RowTable

COLUMNS = (("Number", 8), ("Name", 12), ("Detail", 40))


class TableApp(App[None]):
    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[int] = []
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield RowTable(COLUMNS, id="table")

    def on_mount(self) -> None:
        self.query_one(RowTable).show(self.rows)

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        self.selected.append(event.index)

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        self.highlighted.append(event.index)


def screen_text(app: App) -> str:
    table = app.query_one(RowTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_only_the_rows_on_screen_are_made():
    made = []

    def row(number: int):
        made.append(number)
        return (str(number), f"name {number}", "x" * 50)

    app = TableApp(LazyRows(range(100_000), row))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert len(app.query_one(RowTable).rows) == 100_000
        assert len(made) < 20  # a screenful, not a hundred thousand
        assert "name 0" in screen_text(app) and "Number" in screen_text(app)


async def test_cursor_keys_page_and_enter():
    app = TableApp([(str(n), f"name {n}", "") for n in range(50)])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        table.focus()
        await pilot.press("down", "down", "up")
        assert table.cursor_row == 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 49
        assert "name 49" in screen_text(app)  # scrolled into view
        await pilot.press("home", "pagedown")
        assert 5 <= table.cursor_row <= 12
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [table.cursor_row]
        assert app.highlighted[-1] == table.cursor_row


async def test_wide_rows_scroll_sideways_and_cells_are_cut_to_their_column():
    app = TableApp([("1", Text("a very long name indeed", style="bold"), "detail " * 10)])
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RowTable)
        table.focus()
        await pilot.pause()
        first = screen_text(app)
        assert "a very long…" in first
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert screen_text(app) != first
        assert "Number" not in screen_text(app)


async def test_a_filter_of_rows_and_an_empty_table():
    rows = [(str(n), f"name {n}", "") for n in range(10)]
    app = TableApp(LazyRows([3, 7], rows.__getitem__))
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        assert [table.cell_texts(i)[1] for i in range(table.row_count)] == ["name 3", "name 7"]
        table.show([])
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == []
        assert screen_text(app).splitlines()[0].startswith("Number")
