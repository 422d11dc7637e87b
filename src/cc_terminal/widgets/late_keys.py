"""Keys typed faster than the app handles them. Textual queues each key on the widget that
had the focus when the key was read, so keys typed right behind one that moves the focus
(Enter, a digit that picks) would land in the field just left. And a field types a character
at once but runs a bound key (Backspace, Home, Ctrl+U) only once the key has bubbled up to
the app: "ab", Backspace, "c" typed within one frame became "ab" (the c typed, then deleted).
tmux finds these; Pilot, which waits between keys, cannot."""

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


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the widget's own binding for a key now, in order with the characters queued
    behind it, instead of after they were typed. True when it ran."""
    if event.is_printable:
        return False
    return await _run_now(widget, widget, event)


async def run_screen_binding(widget: Widget, event: events.Key) -> bool:
    """A printable key that the widget does not use and that its screen binds (a letter or
    a digit that moves the focus): the binding runs now, before the keys queued here behind
    it, which ``hand_on_late_keys`` then hands to the focus it moved. Bubbled up, it would
    run only after those keys were handled here and lost. True when it ran."""
    if not (event.is_printable and event.character):
        return False
    return await _run_now(widget.screen, widget, event)


async def _run_now(owner: Widget, widget: Widget, event: events.Key) -> bool:
    """``owner``'s binding for the key, when it is the one the focus chain finds, enabled
    and not a priority binding (those ran before the key reached ``widget``)."""
    active = widget.screen.active_bindings.get(event.key)
    if active is None or active.node is not owner or active.binding.priority:
        return False
    if not active.enabled:
        return False
    event.prevent_default()
    event.stop()
    await owner.run_action(active.binding.action)
    return True
