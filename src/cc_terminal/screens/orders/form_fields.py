"""The fields of an order's form (form.py): the address, one set per kind of order, and the
fields a team lead added, each filled with what it opens with (a draft kept, a form
opened again)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import events
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Select

from cc_terminal.i18n import _
from cc_terminal.models.order import OrderKind
from cc_terminal.services.orders.forms import EMPLOYMENT
from cc_terminal.services.orders.labels import CONFIRMATION, PAY_METHODS
from cc_terminal.services.orders.values import ChosenAddress
from cc_terminal.widgets.address_input import AddressInput
from cc_terminal.widgets.form_field import FieldName, FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.form_select import FormSelect
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.plain_widgets import PlainTextArea
from cc_terminal.widgets.words import labelled

if TYPE_CHECKING:
    from cc_terminal.screens.orders.services import OrdersServices

MATERIAL_ROWS = 3
INPUT_PREFIX = "order-"
EXTRA_PREFIX = "x:"  # a field a team lead added: "x:<its code>"


class OrderField(FieldName):
    """The order form's own fields, named as services/orders/forms.py names their values."""

    PRODUCT = "product"
    EFFECTIVE = "effective"
    WORK = "work"
    PAY_METHOD = "pay_method"
    LOAN_PRODUCT = "loan_product"
    AMOUNT = "amount"
    MONTHS = "months"
    INCOME = "income"
    PURPOSE = "purpose"
    EMPLOYMENT = "employment"
    WHEN = "when"
    PASSENGERS = "passengers"
    NOTES = "notes"
    WEB_NUMBER = "web_number"
    DELIVERY = "delivery"
    CONFIRMATION = "confirmation"
    CHANGE = "change"
    ADDRESS = "address"
    MATERIALS = "materials"
    SLOT = "slot"
    DESTINATION = "destination"
    ITEMS = "items"


def input_id(name: str) -> str:
    """The id of the input a field's value is typed in ("x:code" has "order-x-code")."""
    return INPUT_PREFIX + name.replace(EXTRA_PREFIX, "x-", 1)


def input_name(widget_id: str) -> str | None:
    """The field an input of the form fills (``input_id`` read back), or None."""
    if not widget_id.startswith(INPUT_PREFIX):
        return None
    name = widget_id.removeprefix(INPUT_PREFIX)
    return EXTRA_PREFIX + name.removeprefix("x-") if name.startswith("x-") else name


class OrderFields:
    """The fields of one order's form, and the catalogue, loans and extra fields they
    offer (read once, when the form is composed)."""

    def __init__(
        self,
        kind: OrderKind,
        services: OrdersServices,
        start: dict[str, str],
        address: ChosenAddress | None,
        lines: tuple[tuple[str, str], ...],
    ) -> None:
        self.kind = kind
        self.services = services
        self.start = start
        self.start_address = address
        self.start_lines = lines
        self.catalogue = {item.code: item for item in services.catalog.items()}
        self.loans = {terms.code: terms for terms in services.order_setup.loan_products()}
        self.extras = services.order_setup.extra_fields(kind)

    def compose(self) -> Iterator[Widget]:
        label = _("Pickup") if self.kind is OrderKind.TAXI else _("Address")
        yield AddressInput(
            label, self.services.addresses, name=OrderField.ADDRESS, start=self.start_address
        )
        yield from getattr(self, f"_{self.kind.value}_fields")()
        for extra in self.extras:
            yield self._extra(extra.key, extra.label, extra.choices)

    def _service_fields(self) -> Iterator[Widget]:
        offered = [
            (f"{item.name} ({item.code})", code)
            for code, item in self.catalogue.items()
            if item.kind in ("tariff", "service")
        ]
        yield self._select(OrderField.PRODUCT, _("Service or tariff"), offered)
        yield self._input(OrderField.EFFECTIVE, _("Takes effect on (1.12.2026)"))

    def _equipment_fields(self) -> Iterator[Widget]:
        materials = [
            (f"{item.name} ({item.code})", code)
            for code, item in self.catalogue.items()
            if item.kind == "material"
        ]
        rows = [self._material_row(index, materials) for index in range(MATERIAL_ROWS)]
        yield FormField(
            _("Materials and quantities"),
            Vertical(*rows, id="materials"),
            name=OrderField.MATERIALS,
        )
        work = [
            (f"{item.name} ({item.code})", code)
            for code, item in self.catalogue.items()
            if item.kind == "work"
        ]
        yield self._select(OrderField.WORK, _("Technician's work"), work)
        pay = labelled(PAY_METHODS)
        yield self._select(OrderField.PAY_METHOD, _("How the client pays (never cash)"), pay)
        yield FormField(
            _("Visit"),
            InPlaceText(_("F5 offers the free slots of the teams serving the address."), id="slot"),
            name=OrderField.SLOT,
        )

    def _material_row(self, index: int, materials: list[tuple[str, str]]) -> Horizontal:
        code, quantity = self.start_lines[index] if index < len(self.start_lines) else ("", "")
        select = MaterialSelect(
            materials, prompt=_("material"), id=f"material-{index}", value=code or Select.NULL
        )
        typed = FormInput(
            quantity, placeholder=_("pcs"), id=f"quantity-{index}", enter_moves_focus=True
        )
        return Horizontal(select, typed, classes="material-row")

    def _loan_fields(self) -> Iterator[Widget]:
        products = [
            (
                _("{name}: {low}-{high}, {months_low}-{months_high} months, {rate} %").format(
                    name=terms.name,
                    low=f"{terms.min_amount:,.0f}".replace(",", " "),
                    high=f"{terms.max_amount:,.0f}".replace(",", " "),
                    months_low=terms.min_months,
                    months_high=terms.max_months,
                    rate=terms.yearly_rate,
                ),
                code,
            )
            for code, terms in self.loans.items()
        ]
        yield self._select(OrderField.LOAN_PRODUCT, _("Loan"), products)
        with Horizontal(classes="form-row"):
            yield self._input(OrderField.AMOUNT, _("Amount"))
            yield self._input(OrderField.MONTHS, _("Months"))
            yield self._input(OrderField.INCOME, _("Monthly income"))
        yield InPlaceText("", id="loan-payment")
        yield self._input(OrderField.PURPOSE, _("Purpose"))
        yield self._select(OrderField.EMPLOYMENT, _("Employment"), labelled(EMPLOYMENT))

    def _taxi_fields(self) -> Iterator[Widget]:
        destination = None
        if self.start.get("destination"):
            code = self.start.get("destination_code", "")
            destination = ChosenAddress(
                int(code) if code.isdigit() else None,
                self.start["destination"],
                self.start.get("destination_override", ""),
            )
        yield AddressInput(
            _("Destination"),
            self.services.addresses,
            name=OrderField.DESTINATION,
            start=destination,
        )
        with Horizontal(classes="form-row"):
            yield self._input(OrderField.WHEN, _("When (now, 15:30, +30m, tomorrow 8:00)"))
            yield self._input(OrderField.PASSENGERS, _("Passengers"), "1")
        yield self._input(OrderField.NOTES, _("Notes for the driver"))

    def _web_fields(self) -> Iterator[Widget]:
        with Horizontal(classes="form-row"):
            yield self._input(OrderField.WEB_NUMBER, _("Web order number"))
            yield self._input(OrderField.DELIVERY, _("Delivery day (2.12.2026)"))
        items = PlainTextArea(
            self.start.get(OrderField.ITEMS, ""), id=input_id(OrderField.ITEMS), soft_wrap=True
        )
        yield FormField(_("Items, one per line"), items, name=OrderField.ITEMS)
        confirm = labelled(CONFIRMATION)
        yield self._select(OrderField.CONFIRMATION, _("With the client"), confirm)
        yield self._input(OrderField.CHANGE, _("What changed"))

    def _input(self, name: OrderField, label: str, default: str = "") -> FormField:
        typed = FormInput(self.start.get(name, default), id=input_id(name), enter_moves_focus=True)
        return FormField(label, typed, name=name)

    def _select(self, name: OrderField, label: str, options: list[tuple[str, str]]) -> FormField:
        value = self.start.get(name, "")
        known = {code for _label, code in options}
        select = FormSelect(
            options, id=input_id(name), value=value if value in known else Select.NULL
        )
        return FormField(label, select, name=name)

    def _extra(self, key: str, label: str, choices: tuple[str, ...]) -> FormField:
        value = self.start.get(key, "")
        field: Widget
        if choices:
            field = FormSelect(
                [(choice, choice) for choice in choices],
                id=input_id(key),
                value=value if value in choices else Select.NULL,
            )
        else:
            field = FormInput(value, id=input_id(key), enter_moves_focus=True)
        return FormField(label, field, name=key)


class MaterialSelect(FormSelect):
    """A material row: Enter on one left empty moves past the empty rows below it."""

    def on_key(self, event: events.Key) -> None:
        if event.key != "enter" or not self.is_blank() or self.screen.focused is not self:
            return
        event.stop()
        event.prevent_default()
        materials = self.screen.query_one("#materials")
        while self.screen.focused is not None and materials in self.screen.focused.ancestors:
            if self.screen.focus_next() is self:
                break
