"""Keys queued on a field before its Enter moved the focus on (what a fast typist or a busy
app produces, and Pilot's pressing, which waits between keys, does not): each goes to the
field that has the focus now, editing keys with their bindings, in the order typed."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from cc_terminal.widgets.form_input import FormInput
from tests.tui import wait_until


class TwoFields(App[None]):
    BINDINGS = [Binding("f5", "note('f5')"), Binding("backspace", "note('app backspace')")]

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def action_note(self, what: str) -> None:
        self.notes.append(what)

    def compose(self) -> ComposeResult:
        yield FormInput("first", id="a", enter_moves_focus=True)
        yield FormInput("stale", id="b", enter_moves_focus=True)


def queue_on(field: FormInput, *keys: str) -> None:
    """The keys as the terminal's driver hands them to the app, all before any is handled;
    the app queues each on the field that has the focus."""
    assert field.has_focus
    for key in keys:
        character = key if len(key) == 1 else None
        field.app.post_message(events.Key(key, character))


@pytest.mark.parametrize(
    ("keys", "first_value", "second_value"),
    [
        # behind an Enter that moved the focus on: the next field's editing keys and typing
        (("enter", "ctrl+u", "3", "0"), "first", "30"),
        (("enter", "home", "x", "end", "y"), "first", "xstaley"),
        # within one field: Backspace and Home in order with the characters around them
        (("ctrl+u", "a", "b", "backspace", "c", "home", "x", "end", "!"), "xac!", "stale"),
    ],
)
async def test_editing_keys_run_in_order_with_the_characters_typed_behind_them(
    keys: tuple[str, ...], first_value: str, second_value: str
) -> None:
    app = TwoFields()
    async with app.run_test() as pilot:
        first, second = app.query_one("#a", FormInput), app.query_one("#b", FormInput)
        first.focus()
        await pilot.pause()
        queue_on(first, *keys)
        typed = (first_value, second_value)
        await wait_until(pilot, lambda: (first.value, second.value) == typed, timeout=10)
        assert app.notes == []  # the fields' own Backspace, never the app's


async def test_a_key_the_field_does_not_bind_still_reaches_the_app() -> None:
    app = TwoFields()
    async with app.run_test() as pilot:
        first = app.query_one("#a", FormInput)
        first.focus()
        await pilot.pause()
        queue_on(first, "f5", "z")
        await wait_until(pilot, lambda: bool(app.notes), timeout=10)
        assert app.notes == ["f5"] and first.value == "firstz"
