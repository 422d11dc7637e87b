"""The first sign-in of an account a team lead made: its owner chooses their own password
before anything else opens. Escape goes back to the sign-in screen."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.session.services import SessionServices
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain


class NewPasswordScreen(WorkstationAccess[SessionServices], ModalScreen[Actor | None]):
    AREA = N_("New password")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="password.save"),
        Binding("escape", "cancel", N_("Back"), id="password.cancel"),
    ]

    def __init__(self, actor: Actor, current: str) -> None:
        super().__init__()
        self.actor = actor
        self.current = current

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="password-box", classes="dialog form-dialog"):
            yield Static(_("Choose your own password"), classes="dialog-title")
            words = _(
                "{name}, a team lead set the password you signed in with. Choose one only "
                "you know: at least {n} characters."
            )
            yield Static(plain(words.format(name=self.actor.full_name, n=limits.MIN_PASSWORD)))
            for name, label in (("new", _("New password")), ("again", _("Again"))):
                field = FormInput(
                    id=f"password-{name}",
                    password=True,
                    max_length=limits.PASSWORD,
                    enter_moves_focus=name == "new",
                )
                yield FormField(label, field, name=name)
            yield Static("", id="password-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#password-new", Input))

    @on(Input.Submitted, "#password-again")
    def action_save(self) -> None:
        new = self.query_one("#password-new", Input).value
        again = self.query_one("#password-again", Input).value
        self.query_one("#password-message", Static).update(_("Saving…"))
        self.save(new, again)

    @work(thread=True, exclusive=True, exit_on_error=False, group="new-password")
    def save(self, new: str, again: str) -> None:
        try:
            actor = self.services.auth.change_password(self.actor, self.current, new, again)
        except ValidationFailed as failed:
            self.app.call_from_thread(self.refused, failed.errors, "")
        except ServiceError as error:
            self.app.call_from_thread(self.refused, {}, str(error))
        else:
            self.app.call_from_thread(self.dismiss, actor)

    def refused(self, errors: dict[str, str], message: str) -> None:
        self.query_one("#password-message", Static).update(plain(message, multi_line=True))
        first = show_field_errors(self, errors)
        if first is not None:
            self.set_focus(first.field)

    def action_cancel(self) -> None:
        self.dismiss(None)
