"""Sign in. The database opens in the background while the operator types."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Input, Static

from cc_terminal.i18n import _
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.services.errors import AccountLocked, ServiceError
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.header import WorkstationHeader


class LoginScreen(WorkstationScreen):
    AREA = _("Sign in")
    BINDINGS = [
        Binding("ctrl+s", "sign_in", _("Sign in"), id="login.submit"),
        # Enter moves focus at once, so fast typing after it lands in the password field.
        Binding("enter", "next_or_sign_in", _("Next field / sign in"), show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_("Sign in"))
        with Center(), Vertical(id="login-box"):
            yield Static(_("Sign in to your workstation"), id="login-title")
            yield FormField(
                _("User name"),
                Input(id="username", max_length=40, select_on_focus=False),
                name="username",
            )
            yield FormField(
                _("Password"),
                Input(id="password", password=True, max_length=256, select_on_focus=False),
                name="password",
            )
            yield Static("", id="login-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def action_next_or_sign_in(self) -> None:
        if self.focused is self.query_one("#username", Input):
            self.set_focus(self.query_one("#password", Input))
        else:
            self.action_sign_in()

    def action_sign_in(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        username_field = self.query_one("#username-field", FormField)
        username_field.error = "" if username else _("Type your user name.")
        if not username:
            self.set_focus(self.query_one("#username", Input))
            return
        self._say(_("Signing in…"))
        self.sign_in(username, password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def sign_in(self, username: str, password: str) -> None:
        try:
            services = self.workstation.wait_for_services()
            actor = services.auth.login(username, password)
        except AccountLocked as error:
            until = error.until.astimezone(self.workstation.zone).strftime("%H:%M")
            self.app.call_from_thread(self._refused, f"{error} ({_('until')} {until})")
        except ServiceError as error:
            self.app.call_from_thread(self._refused, str(error))
        else:
            self.app.call_from_thread(self.workstation.signed_in, actor)

    def _refused(self, message: str) -> None:
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self._say(message, error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#login-message", Static)
        label.update(message)
        label.set_class(error, "-error")

    def reset(self) -> None:
        """Forget the last operator's password after a sign-out."""
        self.query_one("#password", Input).value = ""
        self._say("")
        self.query_one("#username", Input).focus()
