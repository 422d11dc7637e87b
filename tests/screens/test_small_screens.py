"""An 80x24 terminal: table columns share the width, the today strip keeps its earnings,
F4 swaps its list for the highlighted order's detail (V)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from cc_terminal.services.common.views import TodayStats
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.row_table import FIRST_COLUMN, NARROWEST_COLUMN, shared_widths
from cc_terminal.widgets.today_strip import TodayStrip
from tests.tui import SIZE, SMALL, make_app, settle

EARNING = TodayStats(
    calls=12, talk_seconds=2731, wrap_seconds=600, successes=3, earned_minor=26500, pending=2
)


def test_columns_share_the_width_the_widest_giving_way_first() -> None:
    columns = (("When", 12), ("Customer", 30), ("Try", 4))
    assert shared_widths(columns, 60) == (12, 30, 4)
    assert shared_widths(columns, 40) == (12, 22, 4)  # 38 cells and two gaps
    assert shared_widths((("A", 20), ("B", 20), ("C", 3)), 30) == (12, 13, 3)


def test_the_room_beyond_the_widest_cell_goes_first() -> None:
    columns = (("Operator", 18), ("Plan", 7), ("Earned", 12))
    # Jana Svobodová (14), MIX, 4 855,00 Kč (11): only the spare room goes
    assert shared_widths(columns, 31, natural=(14, 3, 11)) == (14, 4, 11)
    # then the widest column gives way, the money stays whole
    assert shared_widths(columns, 30, natural=(14, 3, 11)) == (13, 4, 11)


def test_money_is_never_cut_the_first_column_gives_way_for_it() -> None:
    columns = (("Operator", 18), ("Sales", 12), ("QA", 5), ("Earned", 12))
    natural = (14, 11, 4, 15)  # 1 234 567,00 Kč is wider than its column was declared
    assert shared_widths(columns, 80, natural, whole=(1, 3)) == (18, 11, 5, 15)
    assert shared_widths(columns, 47, natural, whole=(1, 3)) == (14, 11, 4, 15)
    assert shared_widths(columns, 44, natural, whole=(1, 3)) == (11, 11, 4, 15)
    assert shared_widths(columns, 41, natural, whole=(1, 3)) == (8, 11, 4, 15)
    # without a whole column the first keeps FIRST_COLUMN and money is cut
    assert shared_widths(columns, 41, natural) == (FIRST_COLUMN, 11, 4, 11)


def test_no_column_goes_below_its_title_or_the_narrowest() -> None:
    columns = (("Operator", 18), ("Mon", 10), ("Tue", 10), ("T", 3))
    assert shared_widths(columns, 8) == (FIRST_COLUMN, NARROWEST_COLUMN, NARROWEST_COLUMN, 3)


class StripApp(App[None]):
    today: reactive[TodayStats | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield TodayStrip()


async def strip_text(width: int) -> str:
    app = StripApp()
    async with app.run_test(size=(width, 5)) as pilot:
        app.today = EARNING
        await pilot.pause()
        return str(app.query_one(TodayStrip).render())


async def test_the_today_strip_keeps_the_earnings_on_80_columns() -> None:
    narrow = await strip_text(80)
    assert "earned 265,00\xa0Kč (+2 pending)" in narrow
    assert len(narrow) <= 78
    assert "avg handling" not in narrow and "12 calls · 3 successes" in narrow


async def test_the_today_strip_is_whole_on_a_wide_terminal() -> None:
    wide = await strip_text(160)
    assert "avg handling 4 min 37 s" in wide and "talk 45 min 31 s" in wide
    assert "earned 265,00\xa0Kč (+2 pending)" in wide


async def test_f4_swaps_its_list_for_the_detail_below_100_columns(sqlite_url, tmp_path, clock):
    from tests.orders.test_snapshots_orders import a_booked_visit

    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SMALL) as pilot:
        await a_booked_visit(pilot)
        listed, detail = (
            app.screen.query_one(f"#order-{pane}-pane") for pane in ("list", "detail")
        )
        assert listed.display and not detail.display
        await pilot.press("v")
        await settle(pilot)
        assert detail.display and not listed.display
        assert "O-" in str(app.screen.query_one("#order-detail", Static).content)
        await pilot.press("v")
        await settle(pilot)
        assert listed.display and not detail.display
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert listed.display and detail.display


def shows_whole(form: Widget, field: Widget) -> bool:
    return form.region.contains_region(field.region)


async def test_f6_forms_show_every_field_at_80x24(sqlite_url, tmp_path, clock):
    from tests.rostering.test_snapshots_days_off import on_f6

    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SMALL) as pilot:
        await on_f6("lead")(pilot)
        for key, form_id in (("e", "#proposal-form"), ("u", "#rules-form")):
            await pilot.press("3", key)
            await settle(pilot)
            form = app.screen.query_one(form_id)
            fields = list(form.query(FormField))
            assert len(fields) == 5
            assert all(shows_whole(form, field) for field in fields)
            await pilot.press("escape")
            await settle(pilot)


async def test_a_form_taller_than_the_terminal_scrolls_to_the_focused_field(
    sqlite_url, tmp_path, clock
):
    from textual.widgets import Select

    from tests.tui import seed_history, sign_in

    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "lead")
        seed_history(app, clock, escalate=False)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#move-status", Select).value = "forwarded"
        await settle(pilot)
        form, note = app.screen.query_one("#request-move"), app.screen.query_one("#move-note")
        assert not shows_whole(form, note)
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert app.focused is note and shows_whole(form, note)
