"""Ctrl+A answers the softphone from a dialog opened over the call screen while it rings:
a ring from an unknown number opens the new-customer form, a shared number the picker of
several callers, and the operator must be able to pick up before finishing either."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.binding import Binding
from textual.screen import Screen

from cc_terminal.i18n import N_


@runtime_checkable
class AnswersPhone(Protocol):
    """The call screen's side (screens/calls/phone_ring.py)."""

    def phone_ringing(self) -> bool: ...

    def action_answer_phone(self) -> None: ...


class AnswersRingBelow(Screen[Any]):
    """Mixed into a dialog: Ctrl+A, shown first while the screen below rings, answers it
    there (otherwise Ctrl+A keeps a field's go-to-start)."""

    BINDINGS = [
        Binding("ctrl+a", "answer_ring_below", N_("Pick up"), id="dialog.answer", priority=True)
    ]
    KEY_RANK: tuple[str, ...] = ("answer_ring_below",)

    def ringing_below(self) -> AnswersPhone | None:
        for screen in reversed(self.app.screen_stack[:-1]):
            if isinstance(screen, AnswersPhone):
                return screen if screen.phone_ringing() else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_ring_below":
            return self.ringing_below() is not None
        return super().check_action(action, parameters)

    def action_answer_ring_below(self) -> None:
        below = self.ringing_below()
        if below is not None:
            below.action_answer_phone()
