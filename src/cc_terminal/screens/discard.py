"""Escape on a form with something typed in it asks first: a form filled during a call is
minutes of the caller's time, and one Escape too many used to throw it away."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Select, Static, TextArea

from cc_terminal.i18n import N_, _
from cc_terminal.widgets.footer import KeyBar

Typed = tuple[tuple[str, str], ...]


class ConfirmDiscard(ModalScreen[bool]):
    AREA = N_("Throw away")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Throw it away"), id="discard.yes"),
        Binding("n,escape", "answer(False)", N_("Back to the form"), id="discard.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Throw away what you typed?"), classes="dialog-title")
            yield Static(_("Y throws it away; N or Escape goes back to the form."), classes="hint")
        yield KeyBar()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


def typed_in(screen: Screen[Any]) -> Typed:
    """Every field's value on ``screen``, to tell a form typed in from one as it opened."""
    values = []
    for widget in screen.query("Input, TextArea, Select"):
        if isinstance(widget, TextArea):
            value: object = widget.text
        elif isinstance(widget, Input | Select):
            value = widget.value
        else:
            continue
        values.append((widget.id or "", str(value).strip()))  # spaces alone are nothing typed
    return tuple(values)


class AsksBeforeDiscarding:
    """Mixed into a form screen: ``action_cancel`` closes it at once when nothing was typed
    since it opened, else asks (Y closes, N or Escape goes back)."""

    typed_when_opened: Typed | None = None

    def on_mount(self) -> None:
        # Textual runs each class's own on_mount: a form's own one does not replace this.
        self.call_after_refresh(self._remember_opened)  # type: ignore[attr-defined]

    def _remember_opened(self) -> None:
        self.typed_when_opened = typed_in(self)  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        screen: Any = self
        if self.typed_when_opened in (None, typed_in(screen)):
            screen.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                screen.dismiss(None)

        screen.app.push_screen(ConfirmDiscard(), answered)
