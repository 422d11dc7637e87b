"""K on F10's Accounts tab: the phone extension an account's calls ring on (the team
lead's to set). A terminal follows its signed-in account's extension; an account without
one follows the terminal's own (E on F10). Checked by the service: the form, one active
account an extension; a refusal is said next to the field with what was typed kept."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Static

from cc_terminal.i18n import N_, _
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.account_list import AccountView
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain


class AccountExtensionForm(FormScreen[SetupServices, str]):
    AREA = N_("Phone extension")
    FORM_ID = "extension-form"

    def __init__(self, account: AccountView) -> None:
        super().__init__()
        self.account = account

    def title_text(self) -> str:
        who = self.account.full_name or self.account.username
        return _("Phone extension of {who}").format(who=who)

    def compose_fields(self) -> Iterable[Widget]:
        hint = _(
            "The extension this person's calls ring on, at whatever desk they sign in. "
            "Empty: the desk's own (E on F10)."
        )
        yield Static(plain(hint, multi_line=True), classes="form-hint")
        yield FormField(
            _("Extension"),
            FormInput(self.account.phone_extension, id="account-extension", max_length=16),
            name="phone_extension",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#account-extension"))

    def collect(self) -> str:
        return self.query_one("#account-extension", FormInput).value

    def store(self, services: SetupServices, actor: Actor, values: str) -> str:
        services.account_list.set_extension(actor, self.account.username, values)
        return values.strip()
