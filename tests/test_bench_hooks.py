"""What the screen-pop benchmark times through: the workstation's own phase marks
(cc_terminal/phase_marks.py), and the one place it wraps Textual's internals
(bench/textual_timing.py), which must fail here, not go quiet, when Textual moves them."""

import inspect

import pytest
from bench.textual_timing import COUNTED, WRAPPED, Repaints, textual_counted, textual_timed
from textual._compositor import Compositor
from textual._styles_cache import StylesCache
from textual.app import App

from cc_terminal import phase_marks
from tests.conftest import KNOWN_PHONE
from tests.tui import SIZE, make_app, pop_caller, settle, sign_in, type_text

POP_ORDER = ["lookup start", "ledger start", "ledger done", "lookup done", "update", "updated"]


def test_textual_still_has_what_the_benchmark_wraps() -> None:
    for owner, name in WRAPPED + COUNTED:
        assert callable(getattr(owner, name, None)), f"Textual moved {owner.__name__}.{name}"
    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    assert list(inspect.signature(Compositor.reflow).parameters) == ["self", "parent", "size"]
    # The lines are counted by the widget whose line renderer the styles cache is given.
    assert list(inspect.signature(StylesCache.render_line).parameters)[8] == "render_content_line"


def test_nobody_listens_in_the_workstation() -> None:
    assert phase_marks.listener is None
    phase_marks.mark("lookup start")  # costs a read and a comparison, and says nothing


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    marks: list[str] = []
    monkeypatch.setattr(phase_marks, "listener", marks.append)
    return marks


async def test_a_pop_marks_its_phases_in_order(sqlite_url, tmp_path, clock, heard) -> None:
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, KNOWN_PHONE)
        assert app.screen.call_open
    assert [name for name in heard if name in POP_ORDER] == POP_ORDER


async def test_textual_timing_counts_layout_paint_and_frames_then_lets_go(
    sqlite_url, tmp_path, clock
) -> None:
    app = make_app(sqlite_url, tmp_path, clock)
    reflow, render = Compositor.reflow, Compositor.render_update
    spent: dict[str, float] = {}
    frames: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        with textual_timed(app, spent, frames.append):
            await pop_caller(pilot, KNOWN_PHONE)
        assert "_display" not in vars(app)  # the app's own method again
    assert spent["layout"] > 0 and spent["paint"] > 0 and frames
    assert Compositor.reflow is reflow and Compositor.render_update is render


async def test_a_pop_repaints_only_what_changed(sqlite_url, tmp_path, clock) -> None:
    """From Enter until the screen has settled with the reason focused: the card's box, the
    header, today's figures and the panes' insides are not rendered again, no frame redraws
    the whole screen, and one layout places the ledger's rows."""
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await type_text(pilot, KNOWN_PHONE)
        await settle(pilot)
        with textual_counted(Repaints()) as repaints:
            await pilot.press("enter")
            await settle(pilot)
        assert app.screen.call_open and app.focused is app.screen.query_one("#reason")
    assert repaints.full_frames == 0 and repaints.layouts <= 1
    for unchanged in ("CustomerCard", "WorkstationHeader", "TodayStrip", "Label", "Ledger"):
        assert repaints.lines[unchanged] == 0, unchanged
    # Once as the call's keys start working, once as the focus brings the reason list's own:
    # not once per "bindings updated" (four or more a pop).
    assert repaints.rendered["KeyBar"] <= 2
    assert repaints.rendered["InPlaceText"] <= 2  # the card's details, the ledger's count
