"""F10's Accounts tab (team leads; U opens it): every account, and typing filters them by
user name or full name. Down or Enter goes to the list, / back to the filter; on the list
N adds an account, W resets a password (the temporary one is shown once), O changes the
role, D the department, L the team, X deactivates a leaver (naming who takes over)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from cc_terminal.folding import fold
from cc_terminal.i18n import N_, _, ngettext, pgettext
from cc_terminal.models import ListKind, Role
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.setup.account_dialogs import (
    Confirm,
    DeactivateForm,
    DigitPicker,
    NewAccountForm,
    PasswordShown,
    named,
    role_options,
)
from cc_terminal.screens.setup.account_extension import AccountExtensionForm
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.privacy.account_list import ROLE_LABELS, AccountView, state_words
from cc_terminal.services.privacy.accounts import Handed
from cc_terminal.services.privacy.leavers import HandedOver
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import InOrderTable
from cc_terminal.widgets.worker_results import show_latest

CHAT_LIMIT_DIGITS = 9  # the picker's 1-9 (the service takes up to 99)


# the keys that change the highlighted account: only on an active one
CHANGES = ("reset", "role", "department", "team", "chat_limit", "extension", "deactivate")


def columns() -> tuple[str, ...]:
    """The table's titles in the language of the moment."""
    return (
        _("User"),
        pgettext("person", "Name"),
        _("Role"),
        _("Department"),
        _("Team lead"),
        _("State"),
        _("Last sign-in"),
        pgettext("the most chats at once", "Chats"),
    )


class FilterInput(FormInput):
    """The filter; Down (its own key: an Input's Down would scroll it) goes to the list."""

    BINDINGS = [
        Binding("down", "to_list", N_("To the list"), key_display="↓", id="accounts.to-list")
    ]

    def action_to_list(self) -> None:
        self.screen.set_focus(self.screen.query_one("#accounts-table"))


class AccountsTab(WorkstationAccess[SetupServices], Vertical):
    BINDINGS = [
        Binding("n", "new_account", N_("New account"), id="accounts.new"),
        Binding("w", "reset", N_("Reset password"), id="accounts.reset"),
        Binding("o", "role", N_("Role"), id="accounts.role"),
        Binding("d", "department", N_("Department"), id="accounts.department"),
        Binding("l", "team", N_("Team"), id="accounts.team"),
        Binding("c", "chat_limit", N_("Chats at once"), id="accounts.chat-limit"),
        Binding("x", "deactivate", N_("Deactivate"), id="accounts.deactivate"),
        Binding("k", "extension", N_("Phone extension"), id="accounts.extension"),
        Binding("slash", "filter", N_("Filter"), key_display="/", id="accounts.filter"),
    ]

    def __init__(self, zone: tzinfo) -> None:
        super().__init__(id="accounts-tab")
        self.zone = zone
        self.every: list[AccountView] = []
        self.shown: list[AccountView] = []

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder=_("Type a name to filter; Down goes to the list"),
            id="accounts-filter",
            compact=True,
        )
        table: DataTable[Text | str] = InOrderTable(id="accounts-table", cursor_type="row")
        table.add_columns(*columns())
        yield table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter":
            return not isinstance(self.screen.focused, FilterInput)
        if action in CHANGES:
            current = self.selected()
            return current is not None and current.active
        return True

    # -- showing ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts-load")
    def load(self) -> None:
        accounts = self.services.account_list.accounts(self.workstation.require_actor())
        show_latest(self.app, self.show, accounts)

    def show(self, accounts: list[AccountView]) -> None:
        self.every = accounts
        self.filter_rows(self.query_one("#accounts-filter", Input).value)

    @on(Input.Changed, "#accounts-filter")
    def filter_typed(self, event: Input.Changed) -> None:
        self.filter_rows(event.value)

    def filter_rows(self, typed: str) -> None:
        words = fold(typed).split()
        self.shown = [
            view
            for view in self.every
            if all(word in fold(f"{view.username} {view.full_name}") for word in words)
        ]
        table = self.query_one("#accounts-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for view in self.shown:
            table.add_row(*self.cells(view), key=view.username)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.screen.refresh_bindings()

    def cells(self, view: AccountView) -> list[Text | str]:
        style = "" if view.active else "dim strike"
        last = view.last_sign_in
        department = self.workstation.lists.label(ListKind.DEPARTMENT, view.department)
        return [
            Text(view.username, style=style),
            Text(view.full_name, style=style),
            _(ROLE_LABELS[view.role]) if view.role in ROLE_LABELS else view.role,
            department,
            view.team_lead or "—",
            state_words(view),
            last.astimezone(self.zone).strftime("%d.%m.%Y %H:%M") if last else "—",
            str(view.chat_limit),
        ]

    def selected(self) -> AccountView | None:
        found = self.query("#accounts-table")
        if not found or not self.shown:
            return None
        table = found.first(DataTable)
        if not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowHighlighted, "#accounts-table")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.screen.refresh_bindings()

    @on(DataTable.RowSelected, "#accounts-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter here changes nothing: each change has its key

    # -- moving between the filter and the list ---------------------------------------

    def focus_filter(self) -> None:
        self.screen.set_focus(self.query_one("#accounts-filter", Input))

    def action_filter(self) -> None:
        self.focus_filter()

    @on(Input.Submitted, "#accounts-filter")
    def to_list(self) -> None:
        self.query_one(FilterInput).action_to_list()

    # -- changing ---------------------------------------------------------------------

    def action_new_account(self) -> None:
        self.app.push_screen(NewAccountForm(), self.handed)

    def action_reset(self) -> None:
        view = self.selected()
        if view is None:
            return
        text = _("Their password stops working now; a temporary one is shown once.")
        title = _("Reset the password of {who}?").format(who=named(view))

        def answered(yes: bool | None) -> None:
            if yes:
                self.reset(view.username)

        self.app.push_screen(Confirm(title, text), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts-save")
    def reset(self, username: str) -> None:
        actor = self.workstation.require_actor()
        self.attempt(lambda: self.services.accounts.reset_to_temporary(actor, username))

    def handed(self, handed: Handed | None) -> None:
        if handed is not None:
            self.app.push_screen(PasswordShown(handed))
            self.load()

    def attempt(self, change: Callable[[], object]) -> None:
        """Run ``change`` (on a worker); its refusal is said, its result shown."""
        try:
            result = change()
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        if isinstance(result, Handed):
            self.app.call_from_thread(self.handed, result)
        else:
            self.app.call_from_thread(self.load)

    def action_role(self) -> None:
        view = self.selected()
        if view is not None:
            title = _("Role of {who}").format(who=named(view))
            self.pick(title, role_options(), view.role, "role", view.username)

    def action_department(self) -> None:
        view = self.selected()
        if view is not None:
            departments = self.workstation.lists.active(ListKind.DEPARTMENT)
            options = [(_(choice.label), choice.code) for choice in departments]
            title = _("Department of {who}").format(who=named(view))
            self.pick(title, options, view.department, "department", view.username)

    def action_team(self) -> None:
        view = self.selected()
        if view is not None:
            leads = [
                (named(lead), lead.username)
                for lead in self.every
                if lead.role == Role.LEAD.value and lead.active and lead.username != view.username
            ]
            options = [*leads, (_("No team (every lead's)"), "")]
            title = _("Team of {who}").format(who=named(view))
            self.pick(title, options, view.team_lead_username, "team", view.username)

    def action_chat_limit(self) -> None:
        view = self.selected()
        if view is not None:
            # the digit is the count; none, last, by the arrows and Enter
            options = [(str(count), str(count)) for count in range(1, CHAT_LIMIT_DIGITS + 1)]
            options.append((_("none: takes no chats"), "0"))
            title = _("Chats {who} holds at once").format(who=named(view))
            self.pick(title, options, str(view.chat_limit), "chat_limit", view.username)

    def action_extension(self) -> None:
        view = self.selected()
        if view is not None:
            self.app.push_screen(AccountExtensionForm(view), self.extension_set)

    def extension_set(self, extension: str | None) -> None:
        if extension is not None:
            self.load()

    def pick(
        self, title: str, options: list[tuple[str, str]], now: str, what: str, username: str
    ) -> None:
        def picked(value: str | None) -> None:
            if value is not None and value != now:
                self.change(what, username, value)

        self.app.push_screen(DigitPicker(title, options, now), picked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts-save")
    def change(self, what: str, username: str, value: str) -> None:
        actor, services = self.workstation.require_actor(), self.services
        changes = {
            "role": lambda: services.accounts.set_role(actor, username, value),
            "department": lambda: services.account_list.set_department(actor, username, value),
            "team": lambda: services.account_list.set_team(actor, username, value),
            "chat_limit": lambda: services.chats.set_limit(
                actor, self._id_of(username), int(value)
            ),
        }
        self.attempt(changes[what])

    def _id_of(self, username: str) -> uuid.UUID:
        return next(view.operator_id for view in self.every if view.username == username)

    def action_deactivate(self) -> None:
        view = self.selected()
        if view is not None:
            self.ask_deactivate(view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts-save")
    def ask_deactivate(self, view: AccountView) -> None:
        try:
            held = self.services.accounts.held(self.workstation.require_actor(), view.username)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        colleagues = [other for other in self.every if other.active and other != view]
        form = DeactivateForm(view, held, colleagues)
        self.app.call_from_thread(self.app.push_screen, form, self.deactivated)

    def deactivated(self, done: HandedOver | None) -> None:
        if done is None:
            return
        where = done.heir or _("the campaigns' pools")
        moved = ngettext(
            "Deactivated; {n} open lead went to {where}.",
            "Deactivated; {n} open leads went to {where}.",
            done.leads,
        )
        self.notify(moved.format(n=done.leads, where=where))
        self.load()
