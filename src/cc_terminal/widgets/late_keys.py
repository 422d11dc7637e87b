"""Keys typed faster than the app handles them. Textual queues each key on the widget that
had the focus when the key was read, so keys typed right behind one that moves the focus
(Enter, a digit that picks) would land in the field just left. And a field types a character
at once but runs a bound key (Backspace, Home, Ctrl+U) only once the key has bubbled up to
the app: "ab", Backspace, "c" typed within one frame became "ab" (the c typed, then deleted).
tmux finds these; Pilot, which waits between keys, cannot."""

from __future__ import annotations

from collections.abc import Collection

from textual import events
from textual.dom import DOMNode
from textual.screen import Screen
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


def hand_to_screen_above(widget: Widget, event: events.Key) -> bool:
    """Keys queued on a list before a screen opened over its own (the form or dialog the
    key before them opened) go to that screen's focus, once the screen has set it: here
    they would reach the covered screen's bindings, or be lost. True when handed on."""
    above = widget.app.screen
    if above is widget.screen:
        return False
    event.prevent_default()
    event.stop()
    # The screen composes, mounts and focuses before it handles its queued callbacks.
    above.call_later(_to_focus_of, above, events.Key(event.key, event.character))
    return True


def _to_focus_of(screen: Screen[object], key: events.Key) -> None:
    (screen.focused or screen).post_message(key)


async def take_list_key(widget: Widget, event: events.Key) -> None:
    """A list's key, in order with the keys typed behind it: a key the list, a container
    of it or its screen binds runs at once, and the keys queued behind one that moved the
    focus go there, on this screen or on one it opened."""
    if not (hand_to_screen_above(widget, event) or hand_on_late_keys(widget, event)):
        await run_binding_now(widget, event)


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the widget's own binding for a key now, in order with the characters queued
    behind it, instead of after they were typed. True when it ran."""
    if event.is_printable:
        return False
    return await _run_now((widget,), widget, event)


async def run_binding_now(widget: Widget, event: events.Key) -> bool:
    """The binding the widget, a container of it or its screen holds for the key runs now,
    before the keys queued here behind it. Bubbled up, it would run only after those: a
    letter that moves the focus to a field lost what was typed behind it, or ran the
    screen's other letters with it; and once letters run here at once, a cursor key left
    to bubble would move the cursor after the letter typed behind it had acted on the row
    ("Down", "Y" accepted the row above). True when it ran."""
    owners = [node for node in widget.ancestors_with_self if node is not widget.app]
    return await _run_now(owners, widget, event)


async def _run_now(owners: Collection[DOMNode], widget: Widget, event: events.Key) -> bool:
    """The binding for the key that the focus chain finds, when one of ``owners`` holds
    it, it is enabled and not a priority binding (those ran before the key reached
    ``widget``)."""
    active = widget.screen.active_bindings.get(event.key)
    if active is None or active.node not in owners or active.binding.priority:
        return False
    if not active.enabled:
        return False
    event.prevent_default()
    event.stop()
    await widget.app.run_action(active.binding.action, active.node)
    return True
