"""The idle lock: after the configured minutes without a key, the screen is covered and
only the signed-in person's password opens it. What was behind it (an open call, its
timers) goes on unchanged."""

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
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain


class LockScreen(WorkstationAccess[SessionServices], ModalScreen[None]):
    AREA = N_("Locked")
    BINDINGS = [Binding("ctrl+s", "unlock", N_("Unlock"), id="lock.unlock")]

    def compose(self) -> ComposeResult:
        actor = self.workstation.require_actor()
        with Center(), Vertical(id="lock-box", classes="dialog"):
            yield Static(_("Locked"), classes="dialog-title")
            yield Static(
                plain(
                    _("{name} was away. Type your password to go on.").format(name=actor.full_name)
                )
            )
            yield FormInput(id="lock-password", password=True, max_length=limits.PASSWORD)
            yield Static("", id="lock-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#lock-password", Input))

    @on(Input.Submitted, "#lock-password")
    def action_unlock(self) -> None:
        field = self.query_one("#lock-password", Input)
        password, field.value = field.value, ""
        self.query_one("#lock-message", Static).update(_("Checking…"))
        self.check(password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def check(self, password: str) -> None:
        actor = self.workstation.require_actor()
        try:
            self.services.auth.unlock_session(actor, password)
        except ServiceError as error:
            self.app.call_from_thread(self.query_one("#lock-message", Static).update, str(error))
            return
        self.app.call_from_thread(self.dismiss, None)
