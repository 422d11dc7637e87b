"""A Select for forms typed at speed."""

from __future__ import annotations

from typing import Any

from textual import events

from cc_terminal.widgets.form_input import hand_on_late_keys
from cc_terminal.widgets.plain_widgets import PlainSelect


class FormSelect(PlainSelect[str]):
    """Takes the focus back from its own list, at once, and never from another field.

    A Tab and the digit typed behind it (a quantity) both reach the Select before the
    screen's Tab binding has moved the focus, so the digit went to the list: Tab is handled
    here, in order, and keys queued behind it are handed on (as FormInput does). Textual's
    Select also asks for the focus back when its list closes, carried out later: it is never
    taken from a field the operator has moved on to. tmux found both; Pilot, which waits
    between keys, cannot.
    """

    def on_key(self, event: events.Key) -> None:
        hand_on_late_keys(self, event)

    def focus(self, scroll_visible: bool = True) -> Any:
        if not self.is_attached:
            return self
        focused = self.screen.focused
        if focused is self:
            return self
        if focused is not None and self not in focused.ancestors:
            return self  # the operator has moved on to another field
        self.screen.set_focus(self, scroll_visible=scroll_visible)
        return self
