"""The floor's limits (F on F10, team leads): the service level's seconds, how long a pause
or a wrap-up may run before the board turns its row red, and how long a chat may wait for
its first answer before a team lead is alerted. One setting for the
whole floor (services/phone/floor_limits.py): every lead's board reads the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.widget import Widget
from textual.widgets import Input, Static

from cc_terminal.i18n import N_, _
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.floor_limits import RANGES
from cc_terminal.services.phone.floor_views import FloorLimits
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain

LABELS = {
    "service_seconds": N_("Service level: answered within (seconds, {low} to {high})"),
    "pause_minutes": N_("A pause alerts after (minutes, {low} to {high})"),
    "wrap_seconds": N_("A wrap-up alerts after (seconds, {low} to {high})"),
    "chat_first_response_seconds": N_("A chat unanswered alerts after (seconds, {low} to {high})"),
}
LAST = list(RANGES)[-1]


class FloorLimitsForm(FormScreen[SetupServices, FloorLimits]):
    AREA = N_("Floor limits")
    FORM_ID = "floor-limits-form"

    def __init__(self, limits: FloorLimits) -> None:
        super().__init__()
        self.limits = limits

    def compose_fields(self) -> Iterable[Widget]:
        hint = _(
            "The floor board (F7, 4) of every team lead: the share of calls answered in "
            "time, and when a pause or a wrap-up turns its row red; and when a chat still "
            "without its first answer alerts the team lead."
        )
        yield Static(plain(hint, multi_line=True), classes="form-hint")
        for name, (low, high) in RANGES.items():
            value = FormInput(
                str(getattr(self.limits, name)),
                id=_field_id(name),
                max_length=4,
                compact=True,
                # in order with the keys typed behind it (tmux found "30", Enter, Ctrl+U
                # clearing the field just left when the focus moved by a message)
                enter_moves_focus=name != LAST,
            )
            yield FormField(_(LABELS[name]).format(low=low, high=high), value, name=name)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#floor-service-seconds"))

    @on(Input.Submitted)
    def save_on_the_last(self, event: Input.Submitted) -> None:
        """Enter moves on (the fields do it themselves); on the last field it saves."""
        if event.input.id == _field_id(LAST):
            self.action_save()

    def collect(self) -> dict[str, str]:
        return {name: self.query_one(f"#{_field_id(name)}", FormInput).value for name in RANGES}

    def store(self, services: SetupServices, actor: Actor, values: dict[str, str]) -> FloorLimits:
        return services.floor_settings.set_limits(actor, values)


def _field_id(name: str) -> str:
    return f"floor-{name.replace('_', '-')}"


class SetsFloorLimits:
    """F on F10: the form, with the limits as the floor has them now."""

    app: Any
    services: SetupServices

    @work(thread=True, exclusive=True, exit_on_error=False, group="floor-limits")
    def action_floor_limits(self) -> None:
        limits = self.services.floor_settings.limits()
        self.app.call_from_thread(self.app.push_screen, FloorLimitsForm(limits), self.limits_set)

    def limits_set(self, limits: FloorLimits | None) -> None:
        if limits is not None:
            self.app.notify(_("The floor's limits are saved."))
