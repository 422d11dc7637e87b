"""An Input that keeps fast typing in order across a focus change."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input

from cc_terminal.widgets.plain_widgets import ControlPictures


class FormInput(Input):
    """An Input for forms typed at speed.

    Textual queues each key on the widget that had focus when the key was read. When the
    app is busy (the database opening at start, say), keys typed right after Enter are
    already queued on this field by the time it handles the Enter. So Enter moves the focus
    here, in order with the keys (``enter_moves_focus``), and keys that reach this field after
    the focus moved on are handed to the field that has it now.
    """

    def __init__(self, *args: object, enter_moves_focus: bool = False, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # a select-all would eat early keys
        kwargs.setdefault("highlighter", ControlPictures())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.enter_moves_focus = enter_moves_focus

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    def on_key(self, event: events.Key) -> None:
        if not hand_on_late_keys(self, event) and event.key == "enter" and self.enter_moves_focus:
            event.prevent_default()
            event.stop()
            self.screen.focus_next()


def hand_on_late_keys(widget: Widget, event: events.Key) -> bool:
    """Keys queued on a field before the focus left it go to the field that has it now,
    and Tab moves the focus here, in order with them (a screen binding would move it only
    after the keys typed behind it were handed out). True when the key was dealt with."""
    focused = widget.screen.focused
    if focused is not None and focused is not widget:
        if widget in focused.ancestors:
            return False  # bubbled up from a part of the widget (a Select's open list)
        event.prevent_default()
        event.stop()
        focused.post_message(events.Key(event.key, event.character))
        return True
    if event.key in ("tab", "shift+tab"):
        event.prevent_default()
        event.stop()
        if event.key == "tab":
            widget.screen.focus_next()
        else:
            widget.screen.focus_previous()
        return True
    return False
