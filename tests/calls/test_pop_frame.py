"""What the screen pop's frame waits for, and what it draws again (issue 24): the lookup's
audit writes come after the card's frame, and lines drawn for a content shown before (the
key bar's call keys, a ledger's count) are taken, not drawn anew."""

import gc
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from bench.textual_timing import Repaints, textual_counted
from textual.app import App, ComposeResult
from textual.geometry import Region

from cc_terminal.models.base import new_id
from cc_terminal.screens.calls.collector_pause import PAUSE_AT_MOST
from cc_terminal.services.common.views import EntryKind, LedgerEntry
from cc_terminal.widgets.call_timer import CallTimer
from cc_terminal.widgets.customer_card import CustomerCard
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.ledger import Ledger
from tests.conftest import KNOWN_PHONE
from tests.tui import SIZE, make_app, pop_caller, settle, sign_in, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def watch_frames_and_audit(app: Any) -> tuple[list[float], list[tuple[str, float]]]:
    """The times of the frames handed to the display with a card on screen, and of each
    audit event's write (its kind), in order."""
    frames: list[float] = []
    written: list[tuple[str, float]] = []
    display, record = app._display, app.services.audit.record

    def frame(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        cards = screen.query(CustomerCard)
        if renderable is not None and cards and cards.first().card is not None:
            frames.append(time.perf_counter())

    def audit(actor: Any, kind: Any, *args: Any, **kwargs: Any) -> Any:
        written.append((str(kind), time.perf_counter()))
        return record(actor, kind, *args, **kwargs)

    app._display = frame
    app.services.audit.record = audit
    return frames, written


async def test_the_lookup_writes_its_audit_events_after_the_cards_frame(app):
    """The write holds the interpreter for milliseconds: inside the card's frame it
    doubled the paint. The events are still written, once the card is on screen."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        frames, written = watch_frames_and_audit(app)
        await type_text(pilot, KNOWN_PHONE)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.call_open
    kinds = [kind for kind, _at in written]
    assert kinds == ["customer.looked_up", "customer.viewed"]
    assert frames and all(at > frames[0] for _kind, at in written)


async def test_a_card_picked_from_a_list_is_audited_after_its_frame(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "novakova brno")
        frames, written = watch_frames_and_audit(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.call_open
    assert [kind for kind, _at in written] == ["customer.viewed"]
    assert frames and written[0][1] > frames[0]


async def test_the_cards_frame_lays_nothing_out_and_the_number_follows(app):
    """The ledger that fits keeps its box's virtual height and the typed number is written
    as the card's number after the card's frame: that frame needs no layout."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await type_text(pilot, "601123456")
        await settle(pilot)
        seen: list[tuple[int, str]] = []
        display = app._display
        phone = app.screen.query_one("#phone")

        def frame(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and screen.call_open and not seen:
                seen.append((repaints.layouts, phone.value))

        app._display = frame
        with textual_counted(Repaints()) as repaints:
            await pilot.press("enter")
            await settle(pilot)
        table = app.screen.query_one("#ledger-table")
        assert seen == [(0, "601123456")]  # no layout, the number as typed
        assert phone.value == "+420 601 123 456"  # then as the card has it
        assert table.row_count + 1 < table.size.height
        assert table.virtual_size.height == 1 and not table.show_vertical_scrollbar


async def test_a_ledger_longer_than_its_box_still_scrolls_and_a_short_one_fits_again(app):
    at = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    entries = [
        LedgerEntry(at, EntryKind.CALL, "billing", "advised", f"note {i}", "Jana", new_id())
        for i in range(60)
    ]
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, KNOWN_PHONE)
        ledger, table = app.screen.query_one(Ledger), app.screen.query_one("#ledger-table")
        ledger.show(entries)
        await settle(pilot)
        assert table.virtual_size.height == 61 and table.show_vertical_scrollbar
        await pilot.press("ctrl+l", "end")
        await settle(pilot)
        assert table.cursor_row == 59 and table.scroll_offset.y > 0
        assert table.scroll_offset.y + table.size.height - 2 == 59  # the last row in view
        ledger.show(entries[:2])
        await settle(pilot)
        assert table.virtual_size.height == 1  # scrolls over its header alone
        assert not table.show_vertical_scrollbar and table.scroll_offset.y == 0


async def test_the_collector_waits_from_enter_until_the_cards_frame(app):
    """A collector's pass in the card's frame added 5 to 10 ms to a pop of 500 entries:
    it is off from Enter until the card is painted, and on again after."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await type_text(pilot, KNOWN_PHONE)
        await settle(pilot)
        assert gc.isenabled()
        at_frames: list[bool] = []
        display = app._display

        def frame(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and screen.call_open:
                at_frames.append(gc.isenabled())

        app._display = frame
        await pilot.press("enter")
        await settle(pilot)
        assert at_frames[0] is False and gc.isenabled()
        app.screen.reset_call()
        await type_text(pilot, "+420 1")  # not a number: no card, no frame of one
        await pilot.press("enter")
        await wait_until(pilot, gc.isenabled, timeout=PAUSE_AT_MOST * 20)
        assert not app.screen.call_open


def line_text(widget: Any, y: int = 0) -> str:
    return widget.render_lines(Region(0, y, widget.size.width, 1))[0].text


async def test_a_second_call_takes_the_key_bar_and_timer_lines_drawn_for_the_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, KNOWN_PHONE)
        bar, timer = app.screen.query_one(KeyBar), app.screen.query_one(CallTimer)
        during_a_call = line_text(bar), line_text(timer)
        assert "End call" in during_a_call[0] and "Talk 00:00" in during_a_call[1]
        app.screen.reset_call()
        await settle(pilot)
        assert (line_text(bar), line_text(timer)) != during_a_call
        await type_text(pilot, KNOWN_PHONE)
        with textual_counted(Repaints()) as repaints:
            await pilot.press("enter")
            await settle(pilot)
        assert app.screen.call_open and (line_text(bar), line_text(timer)) == during_a_call
    for kept in ("KeyBar", "CallTimer"):
        assert repaints.composited[kept] >= 1  # repainted for the call...
        assert repaints.rendered[kept] == 0  # ...from the line kept, not drawn anew


class Texts(App[None]):
    def compose(self) -> ComposeResult:
        yield InPlaceText("first", id="text")


async def test_in_place_text_shows_each_text_set_and_draws_a_known_one_once() -> None:
    app = Texts()
    async with app.run_test(size=(40, 3)) as pilot:
        text = app.query_one(InPlaceText)
        assert line_text(text).strip() == "first"  # drawn before the count starts
        shown = []
        with textual_counted(Repaints()) as repaints:
            for value in ("second", "first", "third", "second"):
                text.text = value
                await pilot.pause()
                shown.append(line_text(text).strip())
        assert shown == ["second", "first", "third", "second"]
    # "first" was drawn before counting; "second" once, however often it comes back.
    assert repaints.rendered["InPlaceText"] == 2
