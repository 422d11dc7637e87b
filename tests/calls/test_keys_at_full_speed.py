"""Keys as a terminal delivers them at full speed: all read before the app has handled the
first, as tmux and a fast typist send them (Pilot's press waits after each key, so it cannot
see these races). A digit picks the reason and moves on to the notes, the note typed
straight behind it must land there whole, and Ctrl+E or F12 pressed right after must read
it: a priority key runs as soon as it is read, ahead of the keys in transit."""

import pytest
from sqlalchemy import select
from textual import events

from cc_terminal.models import Call, Escalation
from cc_terminal.screens.pickers import OutcomePicker
from tests.tui import SIZE, make_app, pop_caller, settle, settled_until

NOTE = "Asked why the invoice doubled"


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def burst(app, *keys: str) -> None:
    """Every key sent to the app at once, none handled yet."""
    for key in keys:
        character = key if len(key) == 1 else None
        event = events.Key("space" if key == " " else key, character)
        event.set_sender(app)
        app._driver.send_message(event)


def stored(app, model):
    with app.require_services().db.read() as session:
        return session.scalars(select(model)).all()


async def test_the_reason_s_digit_the_note_and_ctrl_e_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        burst(app, "2", *NOTE, "ctrl+e")
        await settled_until(pilot, lambda: isinstance(app.screen, OutcomePicker))
        await pilot.press("2")
        await settle(pilot)
        assert [(call.reason, call.notes) for call in stored(app, Call)] == [("billing", NOTE)]


async def test_the_reason_s_digit_the_note_and_f12_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "601123456")
        burst(app, "2", *NOTE, "f12")
        await settled_until(pilot, lambda: bool(stored(app, Escalation)))
        assert [escalation.notes for escalation in stored(app, Escalation)] == [NOTE]
