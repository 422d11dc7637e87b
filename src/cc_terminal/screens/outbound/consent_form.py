"""Recording a consent to marketing for a number (calls) or an address (offers by e-mail,
screens/channels/letter_offers.py): where it came from and when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from textual.widget import Widget
from textual.widgets import Select

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models import ConsentSource
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.typed_dates import parse_date
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.consents import SOURCE_LABELS, ConsentView
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.words import label


class ConsentFields:
    """The fields of a consent (where from, the day, a note), for a number or an address."""

    workstation: Any
    query_one: Any
    set_focus: Any

    def compose_fields(self) -> Iterable[Widget]:
        sources = [
            (label(SOURCE_LABELS, source), source.value)
            for source in ConsentSource
            if source != ConsentSource.IMPORT
        ]
        yield FormField(
            _("Where did the consent come from?"),
            PlainSelect(sources, prompt=_("Choose"), id="consent-source"),
            name="source",
        )
        today = self.workstation.clock().astimezone(self.workstation.zone).date()
        yield FormField(
            _("Given on (day.month.year)"),
            FormInput(today.strftime("%d.%m.%Y"), id="consent-date", enter_moves_focus=True),
            name="given_on",
        )
        yield FormField(
            _("Note (who said it, on which call)"),
            FormInput(id="consent-note", max_length=limits.SHORT_NOTE),
            name="note",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#consent-source", Select))

    def collect(self) -> tuple[str, date, str]:
        source = self.query_one("#consent-source", Select).value
        try:
            given_on = parse_date(self.query_one("#consent-date", FormInput).value)
        except ValueError as error:
            message = _("Not a date: write it as 27.11.2026.")
            raise ValidationFailed({"given_on": message}) from error
        note = self.query_one("#consent-note", FormInput).value
        return ("" if source is Select.NULL else str(source), given_on, note)


class ConsentForm(ConsentFields, FormScreen[OutboundServices, ConsentView]):
    AREA = N_("Record a consent")
    FORM_ID = "consent-form"

    def __init__(self, phone_e164: str) -> None:
        super().__init__()
        self.phone_e164 = phone_e164

    def title_text(self) -> str:
        return _("Consent to marketing calls on {phone}").format(
            phone=phones.display(self.phone_e164)
        )

    def store(
        self, services: OutboundServices, actor: Actor, values: tuple[str, date, str]
    ) -> ConsentView:
        source, given_on, note = values
        return services.consents.record_consent(actor, self.phone_e164, source, given_on, note)
