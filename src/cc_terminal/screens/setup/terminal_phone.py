"""This terminal's phone (E on F10, the operator's and the team lead's): its extension (a
ring for another extension never pops here) and its softphone's control address (baresip's
ctrl_tcp, 127.0.0.1:4444; empty: none). Kept in the terminal's own settings file beside
its database, not with any account: the desk's phone stays with the desk."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Static

from cc_terminal.config import PHONE_EXTENSION, SOFTPHONE, Settings, save_terminal_settings
from cc_terminal.i18n import N_, _
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain


def checked_phone(extension: str, softphone: str) -> dict[str, str]:
    """The two values, trimmed; ``ValidationFailed`` names each one that is wrong."""
    values = {"phone_extension": extension.strip(), "softphone": softphone.strip()}
    errors = {}
    if values["phone_extension"] and not PHONE_EXTENSION.fullmatch(values["phone_extension"]):
        errors["phone_extension"] = _("1 to 16 letters, digits or + * # . _ -, such as 101.")
    if values["softphone"]:
        port = values["softphone"].rpartition(":")[2]
        if not SOFTPHONE.fullmatch(values["softphone"]) or not 0 < int(port) < 65536:
            errors["softphone"] = _("A host and port, such as 127.0.0.1:4444.")
        elif not values["phone_extension"]:
            errors["phone_extension"] = _("A softphone needs this terminal's extension.")
    if errors:
        raise ValidationFailed(errors)
    return values


class TerminalPhoneForm(FormScreen[SetupServices, Settings]):
    AREA = N_("Phone of this terminal")
    FORM_ID = "phone-form"

    def compose_fields(self) -> Iterable[Widget]:
        settings = self.workstation.settings
        yield Static(
            plain(
                _(
                    "The extension this desk's phone rings on: its calls open the caller's "
                    "card here. The softphone is followed for rings, answers and hang-ups."
                ),
                multi_line=True,
            ),
            classes="form-hint",
        )
        yield FormField(
            _("Extension"),
            FormInput(settings.phone_extension, id="phone-extension", max_length=16),
            name="phone_extension",
        )
        yield FormField(
            _("Softphone (baresip's ctrl_tcp address)"),
            FormInput(settings.softphone, id="phone-softphone", max_length=260),
            name="softphone",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#phone-extension"))

    def collect(self) -> dict[str, str]:
        return checked_phone(
            self.query_one("#phone-extension", FormInput).value,
            self.query_one("#phone-softphone", FormInput).value,
        )

    def store(self, services: SetupServices, actor: Actor, values: dict[str, str]) -> Settings:
        try:
            return save_terminal_settings(self.workstation.settings, values)
        except OSError as error:
            raise ValidationFailed({"form": str(error)}) from error
