"""A labelled input with its error message right under it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from cc_terminal.widgets.safe_text import plain


class FieldName(StrEnum):
    """A form's field names, one subclass per form: the names its service's errors use,
    and what ``form_field`` finds each FormField by."""


def field_id(name: str) -> str:
    """The id of the FormField named ``name``, built here only ("x:code", the name of a
    field a lead added, has the id "x-code-field": an id has no colon)."""
    return f"{name.replace(':', '-')}-field"


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
        super().__init__(name=name, id=id or field_id(name))
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


def form_field(container: Widget, name: str) -> FormField:
    """The FormField of that name in the container (a screen, a form): a form's
    ``FieldName``, or a name made from data (a lead's extra field, an address part)."""
    return container.query_one(f"#{field_id(name)}", FormField)
