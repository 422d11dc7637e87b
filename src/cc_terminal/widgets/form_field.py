"""A labelled input with its error message right under it."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from cc_terminal.widgets.safe_text import plain


class FormField(Vertical):
    """Wraps one input widget; ``error`` shows next to it, and typed text is never touched.
    The label and the error are plain text (a file's column name, a path in a message),
    never markup."""

    DEFAULT_CSS = """
    FormField { height: auto; margin-bottom: 0; }
    FormField > .field-label { color: $text-muted; }
    FormField > .field-error { color: $error; height: auto; display: none; }
    FormField.-invalid > .field-error { display: block; }
    FormField.-invalid > Input, FormField.-invalid > TextArea { border: tall $error; }
    """

    def __init__(self, label: str, field: Widget, *, name: str, id: str | None = None) -> None:
        super().__init__(name=name, id=id or f"{name}-field")
        self.label = label
        self.field = field

    def compose(self) -> ComposeResult:
        yield Label(plain(self.label, multi_line=True), classes="field-label")
        yield self.field
        yield Static("", classes="field-error")

    @property
    def error(self) -> str:
        return str(self.query_one(".field-error", Static).content)

    @error.setter
    def error(self, message: str) -> None:
        # Unchanged is common (every submit clears it): an update would re-lay out the screen.
        if message != self.error:
            self.query_one(".field-error", Static).update(plain(message, multi_line=True))
            self.set_class(bool(message), "-invalid")


def show_field_errors(container: Widget, errors: Mapping[str, str]) -> FormField | None:
    """Put each message next to its field, clear the others; return the first flagged field."""
    first = None
    for field in container.query(FormField):
        field.error = errors.get(field.name or "", "")
        if field.error and first is None:
            first = field
    return first
