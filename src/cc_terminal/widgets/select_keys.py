"""A list picked the way the outbound chord picks: a short list numbers its choices and a
digit takes one; picking moves on to the next field; Enter on a list already chosen moves
on (the likely answer is proposed, so Enter accepts it); typing a letter opens the list at
the first choice that holds what was typed. Down, Space or Enter on an empty list opens it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType

from cc_terminal.widgets.late_keys import hand_on_late_keys
from cc_terminal.widgets.safe_text import plain

DIGIT_CHOICES = 9  # a list longer than this is a long one: typing finds in it


def numbered(choices: Iterable[tuple[object, Any]]) -> list[tuple[Text, Any]]:
    """The choices drawn as plain text, a short list's numbered from 1."""
    listed = list(choices)
    if len(listed) > DIGIT_CHOICES:
        return [(plain(label), value) for label, value in listed]
    return [
        (Text.assemble((f"{number} ", "bold"), plain(label)), value)
        for number, (label, value) in enumerate(listed, start=1)
    ]


def digit_index(character: str | None, count: int) -> int | None:
    """The choice a digit picks in a numbered list of ``count``, if any."""
    if count > DIGIT_CHOICES or character is None or not character.isdigit():
        return None
    number = int(character)
    return number - 1 if 1 <= number <= count else None


class DigitOverlay(SelectOverlay):
    """The open list: a digit picks its numbered choice at once."""

    async def _on_key(self, event: events.Key) -> None:
        select = self.parent
        if isinstance(select, PicksByKeys) and select.pick_by_digit(event.character):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


class PicksByKeys(Select[SelectType], Generic[SelectType]):
    """After a pick the focus moves on once the screen has answered the change (a refusal
    shows the reason's field first); keys typed behind the pick meanwhile are handed on to
    that next field, in order (a digit, then the note's first letter: tmux found them
    opening the list)."""

    _moving_on = False
    # Typed behind the pick, and what waits behind those keys, until the focus has moved.
    _behind: list[events.Key] | None = None
    _after: list[Callable[[], object]] | None = None

    class Picked(Message):
        """Posted behind the pick's ``Changed`` and bubbling up the same way, so each
        ancestor answers the change (a form shows the refusal's reason) before it: the app
        moves the focus on once it has it (``moves_on_when_answered``)."""

        def __init__(self, select: PicksByKeys[Any]) -> None:
            super().__init__()
            self.select = select

        @property
        def control(self) -> PicksByKeys[Any]:
            return self.select

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield DigitOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    @property
    def choices(self) -> list[SelectType]:
        return [value for _label, value in self._options if value != self.NULL]  # type: ignore[misc]

    def pick_by_digit(self, character: str | None) -> bool:
        choices = self.choices
        index = digit_index(character, len(choices))
        if index is None:
            return False
        self.value = choices[index]
        self.move_on_soon()
        return True

    def move_on_soon(self) -> None:
        """Once the screen has answered the pick: on after the refresh that follows it
        (a refresh alone could come before a form's handler had shown the next field)."""
        self._moving_on = True
        self.post_message(self.Picked(self))

    def move_on(self) -> None:
        """To the field after this one (from its open list too), unless the operator has
        moved somewhere already; then the keys typed behind the pick, in order, to that
        field (even when a dialog, Ctrl+E's, opened since), and what waited behind them."""
        self._moving_on = False
        focused = self.screen.focused if self.is_attached else None
        if focused is self or (focused is not None and self in focused.ancestors):
            self.screen.focus_next()
        target = self.screen.focused if self.is_attached else None
        behind, after = self._behind or [], self._after or []
        self._behind = self._after = None
        if target is not None and target is not self and self not in target.ancestors:
            for key in behind:  # sent from here, so they bubble past the screen to the app
                target.post_message(events.Key(key.key, key.character).set_sender(self))
        for callback in after:
            (target or self).call_later(callback)

    def on_key(self, event: events.Key) -> None:
        if self._moving_on:  # typed behind a pick: for the field it moves on to
            event.stop()
            event.prevent_default()
            self._behind = [*(self._behind or []), event]
            return
        if hand_on_late_keys(self, event):
            return
        if self.screen.focused is not self:
            return  # the open list's own keys
        if self.pick_by_digit(event.character):
            pass
        elif event.key == "enter" and not self.is_blank():
            self.move_on()
        elif event.character and event.character.isalnum():  # not +, ?: the app's keys
            self.action_show_overlay()
            self.query_one(DigitOverlay).post_message(events.Key(event.key, event.character))
        else:
            return
        event.stop()
        event.prevent_default()

    def after_keys_handed_on(self, callback: Callable[[], object]) -> None:
        """``callback`` once the keys typed behind a pick are in the field they went to:
        at once when no pick is moving on, else behind those keys."""
        if not self._moving_on:
            callback()
            return
        self._after = [*(self._after or []), callback]

    def on_select_overlay_update_selection(self, _event: SelectOverlay.UpdateSelection) -> None:
        """Picked from the open list: Select's own handler stores the choice, closes the list
        and takes the focus back, then this one moves on (this handler runs before Select's,
        so the pick is announced after the ``Changed`` that Select's handler posts)."""
        self._moving_on = True
        self.call_later(self.move_on_soon)


def moves_on_when_answered(picked: PicksByKeys.Picked) -> None:
    """For the app: a pick has been answered by every ancestor of its list."""
    picked.select.call_after_refresh(picked.select.move_on)


def after_keys_typed(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """For a priority key (Ctrl+E, F12) that reads what was typed: Textual runs it as soon as
    it is read, before the focused field has handled the keys typed just before it, and a
    pick hands those on to the next field after a refresh. ``callback`` runs behind them all."""
    focused = screen.focused

    def behind_the_focused_keys() -> None:
        if isinstance(focused, PicksByKeys):
            focused.after_keys_handed_on(callback)
        else:
            callback()

    (focused or screen).call_later(behind_the_focused_keys)
