"""Sign in. The database opens in the background while the operator types."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from cc_terminal import limits
from cc_terminal.config import demo_accounts_file
from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.session.services import SessionServices
from cc_terminal.services.common.errors import AccountLocked, ServiceError
from cc_terminal.session_log import log
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FieldName, FormField, form_field
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor, TodayStats
    from cc_terminal.services.privacy.auth import AuthService

BUSY_TRIES = 3  # each waits the store's busy timeout (10 s on SQLite)


class LoginField(FieldName):
    USERNAME = "username"
    PASSWORD = "password"


def demo_hint(accounts: Path) -> str:
    """The demo floor's sign-in help, short enough for 80x24: it is a demo, whom to sign in
    as, and callers to try, from the file the demo wrote (0600, beside its database)."""
    try:
        lines = accounts.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    people = [line.split() for line in lines if len(line.split()) == 3]
    signs = [f"{name} {password}" for _role, name, password in people]
    callers = [line.strip().split("  ", 1) for line in lines if line.strip().startswith("+")]
    tries = [f"{number} ({rest.split(':')[0]})" for number, rest in callers if rest]
    said = [_("This is the demo floor, not a real one. Sign in as (name password):")]
    said += [" · ".join(signs)] if signs else []
    said += [_("Callers to try: {numbers}").format(numbers=" · ".join(tries))] if tries else []
    said += [_("(also in {path})").format(path=accounts)]
    return "\n".join(said)


class LoginScreen(WorkstationScreen[SessionServices]):
    AREA = N_("Sign in")
    BINDINGS = [
        Binding("ctrl+s", "sign_in", N_("Sign in"), id="login.submit"),
    ]

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_("Sign in"))
        with Center(), Vertical(id="login-box"):
            yield Static(_("Sign in to your workstation"), id="login-title")
            yield FormField(
                _("User name"),
                FormInput(id="username", max_length=limits.USERNAME, enter_moves_focus=True),
                name=LoginField.USERNAME,
            )
            yield FormField(
                _("Password"),
                FormInput(id="password", password=True, max_length=limits.PASSWORD),
                name=LoginField.PASSWORD,
            )
            yield Static("", id="login-message")
            yield Static(_("Opening the database…"), id="login-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#username", Input))

    @on(Input.Submitted, "#password")
    def action_sign_in(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        username_field = form_field(self, LoginField.USERNAME)
        username_field.error = "" if username else _("Type your user name.")
        if not username:
            self.set_focus(self.query_one("#username", Input))
            return
        self._say(_("Signing in…"))
        self.sign_in(username, password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def sign_in(self, username: str, password: str) -> None:
        try:
            services: SessionServices = self.workstation.wait_for_services()
            actor = self._login(services.auth, username, password)
        except AccountLocked as error:
            left = max(1, math.ceil((error.until - self.workstation.clock()).total_seconds()))
            wait = _("{s} s").format(s=left) if left < 120 else _("{m} min").format(m=left // 60)
            refused = _("{error} (time left: {wait})").format(error=error, wait=wait)
            self.app.call_from_thread(self._refused, refused)
        except (ServiceError, StoreUnavailable) as error:
            self.app.call_from_thread(self._refused, str(error))
        else:
            if actor.must_change_password:
                self.app.call_from_thread(self.ask_new_password, actor, password)
            else:
                self.enter(actor)

    def _login(self, auth: AuthService, username: str, password: str) -> Actor:
        """A store busy past its wait (a long import on another terminal) is tried again,
        and the person is told, instead of failing the sign-in."""
        for attempt in range(2, BUSY_TRIES + 1):
            try:
                return auth.login(username, password)
            except StoreUnavailable:
                message = _("The database is busy; trying again ({n} of {all})…")
                self.app.call_from_thread(self._say, message.format(n=attempt, all=BUSY_TRIES))
        return auth.login(username, password)

    def ask_new_password(self, actor: Actor, password: str) -> None:
        # Imported here: only an account's first sign-in asks, and it is not needed for
        # the first frame.
        from cc_terminal.screens.session.new_password import NewPasswordScreen

        def chosen(changed: Actor | None) -> None:
            if changed is None:
                self._refused(_("Choose your own password to sign in."))
            else:
                self._say(_("Password changed. Signing in…"))
                self.run_worker(lambda: self.enter(changed), thread=True, group="login")

        self.app.push_screen(NewPasswordScreen(actor, password), chosen)

    def enter(self, actor: Actor) -> None:
        """Open the day (in the sign-in worker): the lists, the work session and today's
        figures, read here before the first screen composes. Read beside the compose, they
        waited on it for the interpreter's lock at each of their 18 statements (160-190 ms
        against 33 ms alone) and the figures came last. A failed read of the figures does
        not refuse the sign-in: the strip says "loading" and the app reads them again."""
        services = self.services
        try:
            lists = services.reference.lists()
            services.work_clock.begin(actor)
            kept = services.drafts.load(actor.operator_id)
            services.presence.left_elsewhere(actor, kept.call_id if kept else None)
        except (ServiceError, StoreUnavailable) as error:
            self.app.call_from_thread(self._refused, str(error))
            return
        self.app.call_from_thread(self.workstation.signed_in, actor, lists, _today(services, actor))

    def _refused(self, message: str) -> None:
        password = self.query_one("#password", Input)
        password.value = ""
        self.set_focus(password)
        self._say(message, error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#login-message", Static)
        label.update(plain(message, multi_line=True))
        label.set_class(error, "-error")

    def store_opened(self, error: str | None) -> None:
        status = self.query_one("#login-status", Static)
        if error:
            status.update(plain(error, multi_line=True))
            status.add_class("-error")
        else:
            ready = _("Database ready: {storage}").format(storage=self.workstation.storage_line)
            accounts = demo_accounts_file(self.workstation.settings)
            if accounts is not None and accounts.exists():
                ready += "\n" + demo_hint(accounts)
                self.query_one("#login-box").add_class("-demo")
            status.update(plain(ready, multi_line=True))

    def reset(self) -> None:
        """Forget the last person after a sign-out: the next one at this terminal is
        usually someone else, and need not see who sat here."""
        self.query_one("#username", Input).value = ""
        self.query_one("#password", Input).value = ""
        self._say("")
        self.set_focus(self.query_one("#username", Input))


def _today(services: SessionServices, actor: Actor) -> TodayStats | None:
    try:
        return services.today(actor)
    except (ServiceError, StoreUnavailable):
        log.warning("today's figures could not be read at sign-in", exc_info=True)
        return None
