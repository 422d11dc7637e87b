"""F3's list fits its pane at 80 columns in both languages when it has more leads than
lines: every column whole, no sideways scrolling (a Czech title is longer)."""

from __future__ import annotations

import pytest

from cc_terminal.widgets.row_table import RowTable
from tests.conftest import login
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns
from tests.tui import make_app, settle, sign_in


@pytest.mark.parametrize("language", ["en", "cs"])
async def test_a_long_list_fits_80_columns(sqlite_url, tmp_path, clock, language):
    app = make_app(sqlite_url, tmp_path, clock, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        people = [(f"+42077740{n:04d}", f"Bohumila Konečná-Nováková {n}") for n in range(40)]
        add(ws, lead, SALES, people, "hot", assign_to=("jana",))
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#leads", RowTable)
        assert table.row_count == 40 and table.show_vertical_scrollbar
        room = table.scrollable_content_region.width
        assert table._line_width <= room, (table._widths, room)
        assert not table.show_horizontal_scrollbar
        titles = [title for title, _ in table.columns]
        assert all(width >= len(title) for width, title in zip(table._widths, titles, strict=True))
