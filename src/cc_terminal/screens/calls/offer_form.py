"""Recording an offer from the knowledge base: the price, the answer, and if refused, why."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Select

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.services.calls.catalog import ProductItem, parse_price
from cc_terminal.services.calls.offers import OfferDraft, OfferView
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FieldName, FormField, form_field
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect


class OfferField(FieldName):
    PRICE = "price"
    ACCEPTED = "accepted"
    REFUSAL_REASON = "refusal_reason"
    REFUSAL_NOTE = "refusal_note"


class OfferForm(FormScreen[CallsServices, OfferView]):
    AREA = N_("Record an offer")
    FORM_ID = "offer-form"

    def __init__(self, item: ProductItem, customer_id: uuid.UUID, call_id: uuid.UUID) -> None:
        super().__init__()
        self.item = item
        self.customer_id = customer_id
        self.call_id = call_id

    def title_text(self) -> str:
        return _("Offer: {name}").format(name=self.item.name)

    def compose_fields(self) -> Iterable[Widget]:
        price = f"{self.item.price_minor / 100:.2f}".replace(".", ",")
        reasons = [
            (_(c.label), c.code) for c in self.workstation.lists.active(ListKind.REFUSAL_REASON)
        ]
        yield FormField(
            _("Price offered ({currency})").format(currency=self.item.currency),
            FormInput(price, id="offer-price", max_length=20, enter_moves_focus=True),
            name=OfferField.PRICE,
        )
        yield FormField(
            _("Answer"),
            PlainSelect(
                [(_("Accepted"), "yes"), (_("Refused"), "no")],
                prompt=_("Choose"),
                id="offer-answer",
            ),
            name=OfferField.ACCEPTED,
        )
        yield FormField(
            _("Why refused"),
            PlainSelect(reasons, prompt=_("Choose a reason"), id="offer-reason"),
            name=OfferField.REFUSAL_REASON,
        )
        yield FormField(
            _("In their words (needed for Other)"),
            FormInput(id="offer-note", max_length=limits.SHORT_NOTE, enter_moves_focus=True),
            name=OfferField.REFUSAL_NOTE,
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#offer-answer", Select))
        self.show_refusal(False)

    @on(Select.Changed, "#offer-answer")
    def answer_changed(self, event: Select.Changed) -> None:
        self.show_refusal(event.value == "no")

    def show_refusal(self, refused: bool) -> None:
        for name in (OfferField.REFUSAL_REASON, OfferField.REFUSAL_NOTE):
            form_field(self, name).display = refused

    def collect(self) -> OfferDraft:
        text = self.query_one("#offer-price", FormInput).value
        try:
            price = parse_price(text)
        except ValueError:
            raise ValidationFailed(
                {OfferField.PRICE: _("Write an amount such as 399,90.")}
            ) from None
        answer = self.query_one("#offer-answer", Select).value
        reason = self.query_one("#offer-reason", Select).value
        return OfferDraft(
            customer_id=self.customer_id,
            product_code=self.item.code,
            accepted=None if answer is Select.NULL else answer == "yes",
            price_minor=price,
            refusal_reason="" if reason is Select.NULL else str(reason),
            refusal_note=self.query_one("#offer-note", FormInput).value,
            call_id=self.call_id,
        )

    def store(self, services: CallsServices, actor: Actor, values: OfferDraft) -> OfferView:
        return services.offers.record(actor, values)
