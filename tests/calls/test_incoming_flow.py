"""Keyboard flows of the incoming call beyond logging it: name search, ledger, knowledge
base and offers, requests, escalation (Pilot, headless, real SQLite file)."""

import pytest
from textual.widgets import DataTable, Input, Select

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.calls.knowledge import KnowledgeScreen
from cc_terminal.screens.calls.offer_form import OfferForm
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.screens.pickers import CustomerPicker
from cc_terminal.widgets.ledger import Ledger
from cc_terminal.widgets.row_table import RowTable
from tests.helpers import count_rows, rows
from tests.tui import SIZE, make_app, pop_caller, settle, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def ledger_lines(app):
    table = app.screen.query_one("#ledger-table", RowTable)
    return [table.cell_texts(i) for i in range(table.row_count)]


async def test_a_name_without_diacritics_finds_the_caller_through_the_picker(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "novakova brno")
        assert isinstance(app.screen, CustomerPicker)
        table = app.screen.query_one("#matches", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:3] == ["Marie Nováková", "Krátká 3", "Brno"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        assert app.screen.call_open and app.screen.card.full_name == "Marie Nováková"


async def test_nobody_matching_is_said_next_to_the_field_and_the_text_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "Xylofonova")
        field = app.screen.field("phone")
        assert "Nobody matches" in field.error
        assert app.screen.query_one("#phone", Input).value == "Xylofonova"
        assert not app.screen.call_open


async def test_an_offer_refused_without_a_reason_is_flagged_then_stored(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        await type_text(pilot, "optika")
        await settle(pilot)
        results = app.screen.query_one("#kb-results", DataTable)
        assert results.row_count == 1 and str(results.get_row_at(0)[0]) == "NET-100"
        await pilot.press("enter", "enter")  # to the results, then offer the item
        await settle(pilot)
        assert isinstance(app.screen, OfferForm)
        app.screen.query_one("#offer-answer", Select).value = "no"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#refusal_reason-field").error == "Choose why they refused."
        assert count_rows(app.services, "offer") == 0
        app.screen.set_focus(app.screen.query_one("#offer-reason", Select))
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        assert rows(app.services, "SELECT product_name, accepted, refusal_reason FROM offer") == [
            ("Internet 100", False, "too_expensive")
        ]
        assert ledger_lines(app)[0][1:4] == [
            "Offer",
            "Internet 100 · 449,00\xa0Kč",
            "✗ Too expensive",
        ]


async def test_a_request_is_registered_with_its_category_target(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "what kind of request" in app.screen.query_one("#category-field").error
        app.screen.query_one("#request-category", Select).value = "technical_fault"
        await pilot.pause()
        assert app.screen.query_one("#request-due", Input).value == "27.11.2026 13:30"
        assert app.screen.query_one("#request-department", Select).value == "technical"
        app.screen.query_one("#request-summary").text = "No signal since morning"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        stored = rows(
            app.services, "SELECT category, department, status, summary FROM service_request"
        )
        assert stored == [("technical_fault", "technical", "open", "No signal since morning")]
        assert ledger_lines(app)[0][1] == "Request"


async def test_an_impossible_due_time_is_flagged_and_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+t")
        await settle(pilot)
        app.screen.query_one("#request-category", Select).value = "question"
        app.screen.query_one("#request-summary").text = "When does the promo end?"
        due = app.screen.query_one("#request-due", Input)
        for typed, message in [
            ("31.02.2026 10:00", "Write it as"),
            ("26.11.2026 10:00", "already past"),
        ]:
            due.value = typed
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert message in app.screen.query_one("#due_at-field").error
            assert due.value == typed
        assert count_rows(app.services, "service_request") == 0


async def test_f12_escalates_with_the_notes_typed_so_far(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+n")
        await type_text(pilot, "Wants to cancel")
        clock.advance(90)
        await pilot.press("f12")
        await settle(pilot)
        assert rows(app.services, "SELECT notes, elapsed_seconds, status FROM escalation") == [
            ("Wants to cancel", 90, "open")
        ]
        assert ledger_lines(app)[0][1] == "Escalation"


async def test_slash_filters_the_ledger_and_escape_clears_it(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        app.screen.query_one("#offer-answer", Select).value = "yes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(ledger_lines(app)) == 2
        await pilot.press("ctrl+l", "slash")
        await type_text(pilot, "nabidka")  # matches nothing
        await pilot.pause()
        assert ledger_lines(app) == []
        app.screen.query_one("#ledger-filter", Input).value = "escalation"
        await pilot.pause()
        assert [line[1] for line in ledger_lines(app)] == ["Escalation"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(ledger_lines(app)) == 2
        assert not app.screen.query_one(Ledger).has_class("-filtering")


async def test_what_is_typed_right_behind_slash_is_all_in_the_ledger_filter(app):
    """/ on the ledger and the words queued at once, as a fast typist's keys reach the app:
    the whole of them is in the filter (they had reached the ledger's list and were lost)."""
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await type_text(pilot, "/escalation")
        await settle(pilot)
        assert app.screen.query_one("#ledger-filter", Input).value == "escalation"


async def test_typing_over_a_running_search_drops_its_result(app):
    import threading

    from tests.tui import sign_in

    typed_more = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        search = app.require_services().search
        real_search = search.search

        def search_after_the_next_key(text, limit=30, *, stop):
            typed_more.wait(5)  # the operator goes on typing while this one runs
            return real_search(text, limit, stop=stop)

        search.search = search_after_the_next_key
        await type_text(pilot, "novak")
        await pilot.press("enter")
        await type_text(pilot, "ova")
        typed_more.set()
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)  # no picker for "novak"
        assert app.screen.query_one("#phone", Input).value == "novakova"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)


async def test_typing_on_while_the_callers_come_up_refines_the_search(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "novak")
        assert isinstance(app.screen, CustomerPicker)
        await type_text(pilot, "ova brno")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        assert app.screen.query_one("#phone", Input).value == "novakova brno"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)  # the refined search's callers
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.card.full_name == "Marie Nováková"
