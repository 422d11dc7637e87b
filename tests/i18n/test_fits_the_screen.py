"""Czech fits the screen: on every area, tab and dialog of a demo floor at 80x24 (in Czech
and English) and at 120x40 (in Czech, the longer), no text the workstation writes (a label,
a prompt, a title, a hint) is cut: none needs more lines than its widget has, none runs past
its widget's edge when it may not wrap; no tab bar and no table that shares its width
scrolls sideways. A table cuts its cells' data on purpose (with …)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, Tab, Tabs

from cc_terminal.app import CCTerminal
from cc_terminal.widgets.row_table import RowTable
from tests.i18n.test_nothing_escapes import a_phone, walk_an_operator, walk_the_lead
from tests.tui import make_app, settle, without_animations


def cut_texts(app: CCTerminal) -> list[str]:
    """The texts on screen that their widgets cut, each with its widget."""
    found = []
    for widget in app.screen.query(Static):
        region = widget.content_region
        if not widget.display or not widget.visible or region.width <= 0 or region.height <= 0:
            continue
        size = region.size
        lines = widget.get_content_height(size, app.size, region.width)
        one_line = widget.styles.text_wrap == "nowrap"
        wide = widget.get_content_width(size, app.size) if one_line else 0
        if lines > region.height or wide > region.width:
            text = str(widget.visual).replace("\n", " ")[:60] if widget.visual else "?"
            found.append(
                f"{widget!r}: {text!r} ({lines} lines in {region.height}, {wide} > {region.width})"
            )
    for tabs in app.screen.query(Tabs):
        scroll = tabs.query_one("#tabs-scroll")
        if tabs.region and scroll.max_scroll_x > 0:
            titles = " | ".join(str(tab.label) for tab in tabs.query(Tab))
            found.append(f"{tabs!r}: {titles!r} ({scroll.max_scroll_x} cells too many)")
    for table in app.screen.query(RowTable):
        if table.region and table.share_width and table.max_scroll_x > 0:
            titles = " | ".join(title for title, _ in table.columns)
            found.append(f"{table!r}: {titles!r} ({table.max_scroll_x} cells too many)")
    return found


class FitWalk:
    def __init__(self, app: CCTerminal, pilot: Pilot) -> None:
        self.app, self.pilot = app, pilot
        self.cut: dict[str, list[str]] = {}

    async def step(self, name: str, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)
        found = cut_texts(self.app)
        if found:
            self.cut[name] = found

    async def dialogs(self, dialogs: tuple[tuple[str, ...], ...]) -> None:
        for name, *keys in dialogs:
            await self.step(name, *keys)
            await self.step(f"{name}: closed", "escape")


@pytest.mark.parametrize(
    ("language", "size"), [("cs", (80, 24)), ("en", (80, 24)), ("cs", (120, 40))]
)
async def test_no_text_of_the_workstation_is_cut(demo_floor, clock, language, size):
    folder, passwords = demo_floor
    database = folder / "demo.sqlite3"
    cut: dict[str, list[str]] = {}
    for username, walk_it in (("vedouci", walk_the_lead), ("jana", walk_an_operator)):
        app = without_animations(
            make_app(f"sqlite:///{database}", folder, clock, language=language)
        )
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press(*username, "enter", *passwords[username], "enter")
            await settle(pilot)
            assert app.actor is not None
            walk = FitWalk(app, pilot)
            await walk_it(walk, a_phone(database))  # type: ignore[arg-type]
            cut |= {f"{username}: {step}": found for step, found in walk.cut.items()}
    assert cut == {}, "\n".join(f"{step}:\n  " + "\n  ".join(found) for step, found in cut.items())
