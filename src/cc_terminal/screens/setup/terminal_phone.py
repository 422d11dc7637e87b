"""This terminal's phone (E on F10, the operator's and the team lead's): its extension (a
ring for another extension never pops here), its softphone's control address (baresip's
ctrl_tcp, 127.0.0.1:4444; empty: none), the SIP gateway numbers are dialled at (F3) and
the transfer targets Ctrl+X offers (read by the parser Ctrl+X uses; a bad one is named).
Kept in the terminal's own settings file beside its database, not with any account: the
desk's phone stays with the desk."""

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
from cc_terminal.services.outbound.dialling import MAX_GATEWAY, gateway_problem
from cc_terminal.services.phone.transfer import MAX_TARGETS, read_targets
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain

MAX_TRANSFER_TO = 1000
GATEWAY_LABEL = N_("SIP gateway (host or host:port; empty: the softphone's)")
TRANSFER_LABEL = N_("Transfer targets (Team lead=200, Billing=301)")
# the form's fields: the settings' key, its input's id, its label, the longest it may be
FIELDS = (
    ("phone_extension", "phone-extension", N_("Extension"), 16),
    ("softphone", "phone-softphone", N_("Softphone (baresip's ctrl_tcp address)"), 260),
    ("sip_gateway", "phone-gateway", GATEWAY_LABEL, MAX_GATEWAY),
    ("transfer_to", "phone-transfer", TRANSFER_LABEL, MAX_TRANSFER_TO),
)


def checked_phone(typed: dict[str, str]) -> dict[str, str]:
    """The four values, trimmed; ``ValidationFailed`` names each one that is wrong."""
    values = {key: typed.get(key, "").strip() for key, *_rest in FIELDS}
    errors = {}
    if values["phone_extension"] and not PHONE_EXTENSION.fullmatch(values["phone_extension"]):
        errors["phone_extension"] = _("1 to 16 letters, digits or + * # . _ -, such as 101.")
    if values["softphone"]:
        port = values["softphone"].rpartition(":")[2]
        if not SOFTPHONE.fullmatch(values["softphone"]) or not 0 < int(port) < 65536:
            errors["softphone"] = _("A host and port, such as 127.0.0.1:4444.")
        elif not values["phone_extension"]:
            errors["phone_extension"] = _("A softphone needs this terminal's extension.")
    if problem := gateway_problem(values["sip_gateway"]):
        errors["sip_gateway"] = problem
    if problem := transfer_problem(values["transfer_to"]):
        errors["transfer_to"] = problem
    if errors:
        raise ValidationFailed(errors)
    return values


def transfer_problem(text: str) -> str:
    """What is wrong with the transfer targets as typed, naming the first bad part."""
    targets, bad = read_targets(text)
    if bad:
        message = _("“{part}” is not a target: Name=extension (Billing=301) or Name=sip:user@host.")
        return message.format(part=bad[0][:60])
    if len(targets) > MAX_TARGETS:
        return _("At most {n} targets: a digit picks each.").format(n=MAX_TARGETS)
    return ""


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
        for key, input_id, label, longest in FIELDS:
            now = str(getattr(settings, key))
            yield FormField(_(label), FormInput(now, id=input_id, max_length=longest), name=key)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#phone-extension"))

    def collect(self) -> dict[str, str]:
        typed = {
            key: self.query_one(f"#{input_id}", FormInput).value for key, input_id, *_r in FIELDS
        }
        return checked_phone(typed)

    def store(self, services: SetupServices, actor: Actor, values: dict[str, str]) -> Settings:
        try:
            return save_terminal_settings(self.workstation.settings, values)
        except OSError as error:
            raise ValidationFailed({"form": str(error)}) from error
