"""Keys typed faster than the focus moves: Textual queues each key on the widget that had
the focus when the key was read, so keys typed right behind one that moves the focus (Enter,
a digit that picks) would land in the field just left. tmux finds these; Pilot, which waits
between keys, cannot."""

from __future__ import annotations

from textual import events
from textual.widget import Widget


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
