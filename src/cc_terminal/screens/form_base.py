"""What every modal form shares: Ctrl+S stores through a service in a worker, Escape
cancels (asking first when something was typed), each message lands next to its field,
and what was typed is never cleared."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import FitsTheTerminal, S, WorkstationAccess
from cc_terminal.screens.discard import AsksBeforeDiscarding
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

R = TypeVar("R")


class FormScreen(
    FitsTheTerminal,
    AsksBeforeDiscarding,
    WorkstationAccess[S],
    ModalScreen[R | None],
    Generic[S, R],
):
    """Subclasses compose their fields, read them in ``collect`` (on the UI thread) and
    store them in ``store`` (on a worker thread); ``store``'s result dismisses the form.
    Escape asks before throwing away what was typed."""

    AREA: ClassVar[str] = ""
    FORM_ID: ClassVar[str] = "form"
    opened = False
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]

    def title_text(self) -> str:
        return _(self.AREA)

    def compose_fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.FORM_ID, classes="dialog form-dialog"):
            yield Static(plain(self.title_text(), multi_line=True), classes="dialog-title")
            yield from self.compose_fields()
            yield Static("", id="form-message", classes="form-message")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # Focusing the first field as the form opens can leave a form taller than the
        # terminal scrolled past its title: it opens at its top (after the layout that
        # follows the first refresh). Back from a dialog it stays where it was.
        if not self.opened:
            self.opened = True
            self.call_after_refresh(self.call_after_refresh, self._show_the_top)

    def _show_the_top(self) -> None:
        """The top, and the focused field still in view: the operator may already have moved
        on (typed ahead, or a refusal sent them to a field lower down)."""
        focused = self.focused
        # the whole field in view: its label, and the message under it when refused
        field = (
            next((w for w in focused.ancestors if isinstance(w, FormField)), focused)
            if focused
            else None
        )
        for form in self.query(".form-dialog"):
            form.scroll_home(animate=False, immediate=True)
            if field is not None and form in field.ancestors:
                form.scroll_to_widget(field, animate=False, immediate=True)

    def collect(self) -> Any:
        """What was typed, ready for ``store``; raise ValidationFailed for unreadable input."""
        raise NotImplementedError

    def store(self, services: S, actor: Actor, values: Any) -> R:
        raise NotImplementedError

    def action_save(self) -> None:
        self.show_errors({})
        try:
            values = self.collect()
        except ValidationFailed as failed:
            self.show_errors(failed.errors)
            return
        self._store(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _store(self, values: Any) -> None:
        app = self.workstation
        try:
            result = self.store(self.services, app.require_actor(), values)
        except ValidationFailed as failed:
            app.call_from_thread(self.show_errors, failed.errors)
        except ServiceError as error:
            app.call_from_thread(self.show_errors, {"form": str(error)})
        else:
            app.call_from_thread(self.dismiss, result)

    def show_errors(self, errors: dict[str, str]) -> None:
        first = show_field_errors(self, errors)
        shown = {field.name for field in self.query("FormField")}
        loose = [message for key, message in errors.items() if key not in shown]
        self.query_one("#form-message", Static).update(plain("\n".join(loose), multi_line=True))
        if first is not None:
            self.set_focus(first.field)
            # As the form opened: its top, and the refused field in view (the focus move's
            # own scroll could leave the form anywhere between, run to run).
            self.call_after_refresh(self.call_after_refresh, self._show_the_top)
