"""The Accounts tab's dialogs: a new account, a short list picked by its digit (role,
department, team), the temporary password shown once, the reset's and the deactivation's
confirmations (the latter names who takes the leaver's leads over)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal import limits
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models import ListKind, Role
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy import accounts as account_rules
from cc_terminal.services.privacy.account_list import ROLE_LABELS, AccountView
from cc_terminal.services.privacy.accounts import Handed
from cc_terminal.services.privacy.leavers import HandedOver
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.safe_text import plain


def named(view: AccountView) -> str:
    return f"{view.username} ({view.full_name})"


class DigitPicker(ModalScreen[str | None]):
    """One of a short list: its digit picks it at once, or arrows and Enter."""

    AREA = N_("Accounts")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="digit-pick.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, 10)),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.title_shown, self.options, self.current = title, list(options), current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_shown), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(self._line(number, label, value)), id=f"pick-{number}")
                    for number, (label, value) in enumerate(self.options, start=1)
                ),
                id="digit-options",
            )
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
        yield KeyBar()

    def _line(self, number: int, label: str, value: str) -> str:
        digit = str(number) if number < 10 else " "
        mark = _("  (now)") if value == self.current else ""
        return f"{digit}  {label}{mark}"

    def on_mount(self) -> None:
        values = [value for _label, value in self.options]
        options = self.query_one(OptionList)
        options.highlighted = values.index(self.current) if self.current in values else 0

    @on(OptionList.OptionSelected, "#digit-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(str(event.option.id).removeprefix("pick-")))

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Y does it, N or Escape goes back."""

    AREA = N_("Accounts")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="account-confirm.yes"),
        Binding("n,escape", "answer(False)", N_("Back"), id="account-confirm.no"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_shown, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_shown), classes="dialog-title")
            yield Static(plain(self.text, multi_line=True))
            yield Static(_("Y does it; N or Escape goes back."), classes="hint")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PasswordShown(ModalScreen[None]):
    """The temporary password, shown this once: the lead hands it over."""

    AREA = N_("Accounts")
    BINDINGS = [Binding("enter,escape", "close", N_("Done"), id="password-shown.close")]

    def __init__(self, handed: Handed) -> None:
        super().__init__()
        self.handed = handed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="password-shown"):
            title = _("Temporary password for {u}").format(u=self.handed.username)
            yield Static(plain(title), classes="dialog-title")
            yield Static(plain(self.handed.password), id="temporary-password")
            yield Static(
                _(
                    "Hand it over now: it is shown only this once. The first sign-in asks "
                    "for a password of their own."
                )
            )
            yield Static(_("Enter or Escape closes."), classes="hint")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)


def role_options() -> list[tuple[str, str]]:
    return [(_(ROLE_LABELS[role.value]), role.value) for role in Role]


class NewAccountForm(FormScreen[SetupServices, Handed]):
    """A new account with a temporary password, shown once when it is stored."""

    AREA = N_("New account")
    FORM_ID = "account-form"

    def compose_fields(self) -> Iterable[Widget]:
        def typed(name: str, limit: int) -> FormInput:
            return FormInput(
                id=f"account-{name}", max_length=limit, enter_moves_focus=True, compact=True
            )

        yield FormField(_("User name"), typed("username", limits.USERNAME), name="username")
        yield FormField(_("Full name"), typed("full_name", limits.FULL_NAME), name="full_name")
        roles = [(label, value) for label, value in role_options()]
        yield FormField(
            _("Role"),
            PlainSelect(roles, value=Role.OPERATOR.value, allow_blank=False, id="account-role"),
            name="role",
        )
        departments = [
            (_(c.label), c.code) for c in self.workstation.lists.active(ListKind.DEPARTMENT)
        ]
        first = departments[0][1] if departments else ""
        yield FormField(
            _("Department"),
            PlainSelect(departments, value=first, allow_blank=False, id="account-department"),
            name="department",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#account-username"))

    def collect(self) -> dict[str, str]:
        values = {
            name: self.query_one(f"#account-{name}", Input).value
            for name in ("username", "full_name")
        }
        for name in ("role", "department"):
            values[name] = str(self.query_one(f"#account-{name}", PlainSelect).value)
        return values

    def store(self, services: SetupServices, actor: Actor, values: Any) -> Handed:
        password = account_rules.temporary_password()
        info = services.auth.create_operator(
            actor,
            values["username"],
            values["full_name"],
            values["role"],
            password,
            values["department"],
        )
        return Handed(info.username, password)


class DeactivateForm(FormScreen[SetupServices, HandedOver]):
    """A leaver: names the account and who takes their open leads and callbacks over;
    Ctrl+S deactivates."""

    AREA = N_("Deactivate")
    FORM_ID = "deactivate-form"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Deactivate"), id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]

    def __init__(self, leaver: AccountView, held: HandedOver, colleagues: list[AccountView]):
        super().__init__()
        self.leaver, self.held = leaver, held
        self.colleagues = {view.username: view for view in colleagues}

    def title_text(self) -> str:
        return _("Deactivate {who}?").format(who=named(self.leaver))

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(plain(self._what_moves(), multi_line=True), id="deactivate-held")
        heir = FormInput(
            self.leaver.team_lead_username,
            id="deactivate-heir",
            max_length=limits.USERNAME,
            compact=True,
            select_on_focus=True,  # the team lead filled in: typing a name replaces it
        )
        yield FormField(_("Who takes over (user name; empty: the pools)"), heir, name="heir")
        yield Static("", id="deactivate-taker")
        yield Static(
            _("Their sessions end and they sign in nowhere any more. Ctrl+S deactivates."),
            classes="hint",
        )

    def _what_moves(self) -> str:
        held = self.held
        leads = ngettext("{n} open lead", "{n} open leads", held.leads).format(n=held.leads)
        callbacks = ngettext(
            "{n} callback they agreed", "{n} callbacks they agreed", held.callbacks
        ).format(n=held.callbacks)
        text = _("They hold {leads}, of them {callbacks}.").format(leads=leads, callbacks=callbacks)
        if held.members:
            members = ngettext("{n} member", "{n} members", held.members).format(n=held.members)
            text += "\n" + _("They lead a team of {members}.").format(members=members)
        return text

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#deactivate-heir"))
        self.name_taker(self.leaver.team_lead_username)

    @on(Input.Changed, "#deactivate-heir")
    def heir_typed(self, event: Input.Changed) -> None:
        self.name_taker(event.value)

    def name_taker(self, typed: str) -> None:
        name = typed.strip().lower()
        taker = self.colleagues.get(name)
        if not name:
            line = _(
                "Their leads go back to the campaigns' pools; their callbacks to "
                "whoever is free in the campaign when due."
            )
        elif taker is None:
            line = _("No active colleague {u}.").format(u=typed.strip())
        else:
            line = _("Their leads and callbacks go to {who}.").format(who=named(taker))
        self.query_one("#deactivate-taker", Static).update(plain(line, multi_line=True))

    def collect(self) -> str:
        return self.query_one("#deactivate-heir", Input).value

    def store(self, services: SetupServices, actor: Actor, values: Any) -> HandedOver:
        return services.accounts.deactivate(actor, self.leaver.username, heir=str(values))
