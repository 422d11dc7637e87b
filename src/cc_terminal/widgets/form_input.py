"""An Input that keeps fast typing in order across a focus change."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from cc_terminal.widgets.late_keys import hand_on_late_keys, run_own_binding
from cc_terminal.widgets.safe_text import ControlPictures

__all__ = ["FormInput", "hand_on_late_keys"]


class FormInput(Input):
    """An Input for forms typed at speed.

    Textual queues each key on the widget that had focus when the key was read. When the
    app is busy (the database opening at start, say), keys typed right after Enter are
    already queued on this field by the time it handles the Enter. So Enter moves the focus
    here, in order with the keys (``enter_moves_focus``), keys that reach this field after
    the focus moved on are handed to the field that has it now, and the field's own editing
    keys (Backspace, Home, Ctrl+U) run here, before the characters typed behind them.
    """

    def __init__(self, *args: object, enter_moves_focus: bool = False, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # a select-all would eat early keys
        kwargs.setdefault("highlighter", ControlPictures())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.enter_moves_focus = enter_moves_focus

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    async def on_key(self, event: events.Key) -> None:
        if hand_on_late_keys(self, event):
            return
        if event.key == "enter" and self.enter_moves_focus:
            event.prevent_default()
            event.stop()
            self.screen.focus_next()
            return
        await run_own_binding(self, event)
