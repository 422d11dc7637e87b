"""Keyboard flows through the real app on a real SQLite file (Pilot, headless)."""

import pytest
from textual.widgets import Input, Select, TextArea

from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.help import HelpScreen
from cc_terminal.screens.pickers import ConfirmQuit, CustomerPicker, OutcomePicker
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.widgets.today_strip import TodayStrip
from tests.conftest import PASSWORDS
from tests.helpers import count_rows, rows
from tests.tui import (
    SIZE,
    choose_first_reason,
    db,
    draft_file,
    make_app,
    pop_caller,
    settle,
    sign_in,
    type_text,
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_sign_in_opens_the_incoming_call_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        assert app.operator_line == "Jana Svobodová (operator)"
        assert app.focused is app.screen.query_one("#phone", Input)


async def test_a_wrong_password_keeps_the_user_name_and_says_why(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana", "wrong-one")
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#username", Input).value == "jana"
        assert app.screen.query_one("#password", Input).value == ""
        assert "Wrong user name or password" in str(app.screen.query_one("#login-message").content)


async def test_after_five_wrong_passwords_the_screen_says_how_long_to_wait(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana", "wrong-one")
        for _attempt in range(5):
            await pilot.press(*"wrong-one", "enter")
            await settle(pilot)
        message = str(app.screen.query_one("#login-message").content)
        assert "wait before trying again. (time left: 30 s)" in message
        assert app.screen.query_one("#password").value == ""


async def test_an_empty_user_name_is_flagged_next_to_the_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#username-field").error == "Type your user name."


async def test_a_known_caller_is_found_and_the_call_is_stored(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "(601) 12-34-56")
        screen = app.screen
        assert screen.call_open and screen.card.full_name == "Jan Novák"
        assert screen.query_one("#phone", Input).value == "+420 601 123 456"
        await choose_first_reason(pilot)
        assert screen.query_one("#reason", Select).value == "tariff_question"
        await pilot.press("ctrl+n")
        await type_text(pilot, "Asked about roaming")
        clock.advance(95)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, OutcomePicker)
        clock.advance(10)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen and not screen.call_open
        stored = rows(
            db(app),
            "SELECT reason, outcome, notes, talk_seconds, wrap_seconds FROM call "
            "WHERE notes = 'Asked about roaming'",
        )
        assert [tuple(r) for r in stored] == [
            ("tariff_question", "advised", "Asked about roaming", 95, 10)
        ]
        assert screen.query_one(TodayStrip).stats.calls == 1
        assert screen.query_one("#phone", Input).value == ""


async def test_a_bad_number_is_flagged_and_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601 12")
        assert "Impossible number" in app.screen.query_one("#phone-field").error
        assert app.screen.query_one("#phone", Input).value == "601 12"
        assert not app.screen.call_open


async def test_a_call_cannot_end_without_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, IncomingCallScreen)
        assert "Choose why they called" in app.screen.query_one("#reason-field").error
        assert app.focused is app.screen.query_one("#reason", Select)


async def test_over_long_notes_are_flagged_and_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await choose_first_reason(pilot)
        notes = app.screen.query_one("#notes", TextArea)
        notes.text = "x" * 4001
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, IncomingCallScreen)
        assert "at most 4000" in app.screen.query_one("#notes-field").error
        assert len(notes.text) == 4001
        assert count_rows(db(app), "call") == 0


async def test_hanging_up_stops_talk_time_and_starts_wrap_up(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await choose_first_reason(pilot)
        clock.advance(60)
        await pilot.press("f9")
        await pilot.pause()
        assert "Wrap-up" in str(app.screen.query_one("#timer").render())
        clock.advance(10)
        await pilot.press("ctrl+e")
        await pilot.pause()
        clock.advance(5)
        await pilot.press("1")
        await settle(pilot)
        stored = rows(
            db(app),
            "SELECT talk_seconds, wrap_seconds FROM call WHERE outcome = 'resolved'"
            " AND reason = 'tariff_question'",
        )
        assert [tuple(r) for r in stored] == [(60, 15)]


async def test_quitting_with_a_call_open_asks_first(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+n", *"half typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.call_open
        assert app.screen.query_one("#notes", TextArea).text == "half typed"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
    assert "half typed" in draft_file(tmp_path).read_text()  # kept without waiting


async def test_quitting_without_a_call_does_not_ask(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_sign_out_waits_until_the_call_is_ended(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Workstation: Sign out" not in titles
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, IncomingCallScreen) and app.screen.call_open


async def test_ctrl_u_edits_the_caller_during_the_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+u")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerFormScreen) and form.editing is not None
        city = form.query_one("#customer-city", Input)
        assert city.value == "Praha"
        city.value = "Kladno"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen) and app.screen.call_open
        assert app.screen.card.city == "Kladno" and app.screen.card.version == 2


async def test_an_edit_that_lost_a_race_says_what_changed_and_keeps_the_typing(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await pilot.press("ctrl+u")
        await pilot.pause()
        form = app.screen
        form.query_one("#customer-city", Input).value = "Kladno"
        card = form.editing
        petr = db(app).auth.login("petr", PASSWORDS["petr"])
        theirs = CustomerDraft.from_card(card, phones="601123456", email="new@example.cz")
        db(app).customers.update(petr, card.id, theirs, card.version)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        message = str(form.query_one("#customer-message").content)
        assert "Someone else saved this customer" in message and "E-mail" in message
        assert form.query_one("#customer-city", Input).value == "Kladno"
        await pilot.press("ctrl+s")
        await settle(pilot)
        card = app.screen.card
        assert card.city == "Kladno" and card.version == 3
        assert card.email == "new@example.cz"  # theirs, not typed over: kept


async def test_escape_in_the_outcome_picker_returns_to_the_open_call(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        await choose_first_reason(pilot)
        await pilot.press("ctrl+n", *"note", "ctrl+e", "escape")
        await settle(pilot)
        assert app.screen.call_open
        assert app.screen.query_one("#notes", TextArea).text == "note"
        assert count_rows(db(app), "call") == 0


async def test_an_unknown_number_opens_the_new_customer_form(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "777 000 111")
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.query_one("#customer-phones", Input).value == "+420 777 000 111"
        await pilot.press(*["tab"] * 6)  # to e-mail
        await type_text(pilot, "not-an-email")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#full_name-field").error == "Required."
        assert form.query_one("#email-field").error == "Not an e-mail address."
        assert form.query_one("#customer-email", Input).value == "not-an-email"
        assert app.focused is form.query_one("#customer-full_name", Input)
        before = count_rows(db(app), "customer")
        await type_text(pilot, "Eva Malá")
        form.query_one("#customer-email", Input).value = "eva@example.cz"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen)
        assert app.screen.card.full_name == "Eva Malá" and app.screen.call_open
        assert count_rows(db(app), "customer") == before + 1


async def test_cancelling_the_form_keeps_the_typed_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "777000111")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncomingCallScreen) and not app.screen.call_open
        assert app.screen.query_one("#phone", Input).value == "+420 777 000 111"


async def test_a_shared_number_asks_which_customer(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "602000111")
        assert isinstance(app.screen, CustomerPicker)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.card.full_name in {"Marie Nováková", "Josef Novák"}
        assert app.screen.call_open


async def test_f1_lists_the_keys_and_question_mark_types_into_inputs(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("?")
        assert app.screen.query_one("#phone", Input).value == "?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = dict((d, k) for k, d in app.screen.keys)
        assert described["Find caller"] == "Ctrl+F"
        assert "Help" in described and "Sign out" in described
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncomingCallScreen)


async def test_question_mark_opens_help_when_no_input_has_focus(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        app.screen.set_focus(None)
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_palette_offers_the_keys_that_work_now(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Incoming call: Find caller" in titles
        assert "Incoming call: End call" not in titles  # no call open yet
        assert "Workstation: Sign out" in titles
        await type_text(pilot, "601123456")
        await pilot.press("enter")
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Incoming call: End call" in titles


async def test_the_palette_runs_a_command(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Sign out")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_sign_out_returns_to_a_clean_sign_in(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await type_text(pilot, "601")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#password", Input).value == ""
        await pilot.press("ctrl+a", "ctrl+k")
        await sign_in(pilot, "petr")
        assert app.operator_line == "Petr Dvořák (operator)"
        assert app.screen.query_one("#phone", Input).value == ""


async def test_a_database_from_a_newer_version_is_refused_at_sign_in(sqlite_url, tmp_path, clock):
    from sqlalchemy import create_engine, text

    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'future'"))
    engine.dispose()
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "newer than this cc-terminal" in str(app.screen.query_one("#login-message").content)


@pytest.mark.postgres
async def test_server_mode_takes_a_call_on_postgresql(pg_url, tmp_path, clock):
    app = make_app(pg_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601 123 456")
        assert app.storage_line == "server · PostgreSQL"
        assert app.screen.card.full_name == "Jan Novák"
        await choose_first_reason(pilot)
        clock.advance(42)
        await pilot.press("ctrl+e", "3")
        await settle(pilot)
        assert app.screen.query_one(TodayStrip).stats.calls == 1
        stored = rows(db(app), "SELECT outcome, talk_seconds FROM call")
        assert [tuple(r) for r in stored] == [("order_taken", 42)]
