"""A work area shown for the first time takes the stylesheet as it stands: Textual would
re-parse every stylesheet and restyle the app twice on each mode's first show (a quarter
of sign-in's work on the UI thread), while the area screens bring no CSS of their own."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.outbound.outbound import OutboundScreen
from tests.tui import SIZE, make_app, settle, sign_in


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[Stylesheet]:
    seen: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(stylesheet: Stylesheet) -> None:
        seen.append(stylesheet)
        reparse(stylesheet)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    return seen


async def test_signing_in_and_opening_an_area_reparses_no_stylesheet(
    sqlite_url, tmp_path, clock, reparses
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reparses.clear()  # the app's own start may parse: only the areas' first shows count
        await sign_in(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)
        assert reparses == []


async def test_a_new_area_is_styled_by_the_apps_stylesheet(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert str(app.screen.query_one("#caller-pane").styles.width) == "2fr"
        assert str(app.screen.query_one("#notes").styles.min_height) == "5"


@pytest.fixture
def restyled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many nodes each whole restyle touched."""
    sizes: list[int] = []
    update_nodes = Stylesheet.update_nodes

    def counted(stylesheet: Stylesheet, nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        sizes.append(len(nodes))
        update_nodes(stylesheet, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    return sizes


async def test_an_area_first_shown_is_not_restyled_but_one_shown_again_is(
    sqlite_url, tmp_path, clock, restyled
):
    """Its widgets were styled as they mounted: the first show (which Textual resumes
    twice) restyled the whole tree again, a third of sign-in's UI work. A screen shown
    again after another was on top is restyled, as Textual does."""
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        call_screen = app.screen
        assert isinstance(call_screen, IncomingCallScreen)
        whole = len(list(call_screen.walk_children(with_self=True)))
        assert whole > 40
        assert not [size for size in restyled if size >= whole]
        await pilot.press("f3")
        await settle(pilot)
        restyled.clear()
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is call_screen
        assert [size for size in restyled if size >= whole]
