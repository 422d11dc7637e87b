"""An order's form, one per kind (its fields are form_fields.py). Ctrl+S checks it (every
message next to its field, nothing stored) and shows the read-back panel: the order in one
sentence and what the client must know; Enter there submits it. Ctrl+D keeps it as a draft."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from cc_terminal.formats import money_of, number
from cc_terminal.i18n import N_, _
from cc_terminal.models.order import OrderKind
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.discard import AsksBeforeDiscarding
from cc_terminal.screens.orders.dialogs import ReadBackPanel, SlotPicker
from cc_terminal.screens.orders.form_fields import (
    MATERIAL_ROWS,
    OrderField,
    OrderFields,
    input_id,
    input_name,
)
from cc_terminal.screens.orders.services import OrdersServices
from cc_terminal.services.common.errors import ConflictError, ServiceError, ValidationFailed
from cc_terminal.services.orders.card_address import register_address
from cc_terminal.services.orders.dispatch import FreeSlot
from cc_terminal.services.orders.labels import KIND_LABELS
from cc_terminal.services.orders.loans import monthly_payment
from cc_terminal.services.orders.orders import StoredOrder
from cc_terminal.services.orders.readback import visit_text
from cc_terminal.services.orders.values import ChosenAddress, OrderDraft, PreparedOrder
from cc_terminal.widgets.address_input import AddressInput
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import show_field_errors
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import label

TypedIn = TypeVar("TypedIn", bound=Widget)


class OrderForm(
    AsksBeforeDiscarding, WorkstationAccess[OrdersServices], ModalScreen[StoredOrder | None]
):
    AREA = N_("Order")
    BINDINGS = [
        Binding("ctrl+s", "check", N_("Check and read back"), id="order.check"),
        Binding("f5", "slots", N_("Visit slots"), id="order.slots"),
        Binding("ctrl+d", "keep_draft", N_("Keep as draft"), id="order.draft", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="order.cancel"),
    ]

    slot: reactive[FreeSlot | None] = reactive(None, bindings=True)

    def __init__(
        self,
        kind: OrderKind,
        customer_id: uuid.UUID,
        customer_name: str,
        *,
        call_id: uuid.UUID | None = None,
        lead_id: uuid.UUID | None = None,
        order_id: uuid.UUID | None = None,
        values: dict[str, str] | None = None,
        address: ChosenAddress | None = None,
        lines: tuple[tuple[str, str], ...] = (),
        card: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.card = card  # the customer's card: its address is offered when in the register
        self.kind = kind
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.call_id, self.lead_id, self.order_id = call_id, lead_id, order_id
        self.start = dict(values or {})
        self.start_address = address
        self.start_lines = lines
        self.busy = False

    # -- the fields -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.fields = OrderFields(
            self.kind, self.services, self.start, self.start_address, self.start_lines
        )
        with Vertical(id="order-form", classes="dialog form-dialog"):
            yield Static(
                plain(
                    _("{kind} for {name}").format(
                        kind=label(KIND_LABELS, self.kind), name=self.customer_name
                    )
                ),
                classes="dialog-title",
            )
            with VerticalScroll(id="order-fields"):
                yield from self.fields.compose()
            yield Static("", id="form-message", classes="form-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#address-town"))
        if self.start_address is None and self.card is not None:
            self.offer_card_address(self.card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-card-address")
    def offer_card_address(self, card: Mapping[str, str]) -> None:
        found = register_address(self.services.addresses, card)
        if found is not None:
            self.app.call_from_thread(self.card_address_found, found)

    def card_address_found(self, address: ChosenAddress) -> None:
        """The card's address fills the empty address; the focus moves past it when it is
        still in the address's first part."""
        field = self.query_one("#address-address", AddressInput)
        if field.offer(address) and self.focused is self.query_one("#address-town"):
            self.focus_next()
            while self.focused is not None and field in self.focused.ancestors:
                self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "slots":
            return self.kind is OrderKind.EQUIPMENT
        return True

    # -- reading what was typed -------------------------------------------------------

    def _typed(self, name: OrderField, expected: type[TypedIn]) -> TypedIn:
        """The input a field of the form is typed in."""
        return self.query_one(f"#{input_id(name)}", expected)

    def draft(self) -> OrderDraft:
        values: dict[str, str] = {}
        for widget in self.query("#order-fields Input, #order-fields Select"):
            name = input_name(widget.id or "")
            if name is None:
                continue
            value = widget.value  # type: ignore[attr-defined]
            values[name] = "" if value is Select.NULL else str(value)
        if self.kind is OrderKind.WEB:
            values[OrderField.ITEMS] = self._typed(OrderField.ITEMS, TextArea).text
        lines: tuple[tuple[str, str], ...] = ()
        if self.kind is OrderKind.EQUIPMENT:
            picked = []
            for index in range(MATERIAL_ROWS):
                code = self.query_one(f"#material-{index}", Select).value
                quantity = self.query_one(f"#quantity-{index}", Input).value.strip()
                if code is not Select.NULL:
                    picked.append((str(code), quantity))
                elif quantity:
                    picked.append(("", quantity))
            lines = tuple(picked)
        destination = None
        if self.kind is OrderKind.TAXI:
            destination = self.query_one("#destination-address", AddressInput).chosen
        return OrderDraft(
            self.kind,
            self.customer_id,
            values,
            self.query_one("#address-address", AddressInput).chosen,
            destination,
            lines,
            self.slot,
            self.call_id,
            self.lead_id,
            self.order_id,
        )

    # -- live figures -----------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def figures(self) -> None:
        if self.kind is not OrderKind.LOAN or not self.is_mounted:
            return
        text = ""
        terms = self.fields.loans.get(str(self._typed(OrderField.LOAN_PRODUCT, Select).value))
        amount = _decimal(self._typed(OrderField.AMOUNT, Input).value)
        months = self._typed(OrderField.MONTHS, Input).value.strip()
        if terms is not None and amount and months.isdigit() and 0 < int(months) <= 600:
            payment = monthly_payment(amount, terms.yearly_rate, int(months))
            region = self.workstation.settings.default_region
            text = _("Monthly payment {payment} at {rate} % a year.").format(
                payment=money_of(payment, terms.currency, region),
                rate=number(terms.yearly_rate, region),
            )
        self.query_one("#loan-payment", InPlaceText).text = text

    @on(AddressInput.Chosen, "#address-address")
    def address_changed(self) -> None:
        self.slot = None  # a slot was offered for the old address

    def watch_slot(self, slot: FreeSlot | None) -> None:
        if self.kind is OrderKind.EQUIPMENT and self.is_mounted:
            text = visit_text(slot) if slot else _("F5 offers the free slots of the teams.")
            self.query_one("#slot", InPlaceText).text = text

    # -- the keys ---------------------------------------------------------------------

    def action_slots(self) -> None:
        address = self.query_one("#address-address", AddressInput).chosen
        if address is None or address.code is None:
            show_field_errors(
                self, {OrderField.ADDRESS: _("Choose the address from the register first.")}
            )
            return
        self.app.push_screen(SlotPicker(address.code, address.text), self._slot_picked)

    def _slot_picked(self, slot: FreeSlot | None) -> None:
        if slot is not None:
            self.slot = slot
            show_field_errors(self, {})

    def action_check(self) -> None:
        if not self.busy:
            self.busy = True
            self.prepare(self.draft())

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-check")
    def prepare(self, draft: OrderDraft) -> None:
        try:
            prepared = self.services.orders.prepare(draft)
        except ValidationFailed as failed:
            self.app.call_from_thread(self.show_errors, failed.errors)
        except ServiceError as error:
            self.app.call_from_thread(self.show_message, str(error))
        else:
            self.app.call_from_thread(self.read_back, prepared)

    def read_back(self, prepared: PreparedOrder) -> None:
        self.show_errors({})

        def answered(submit: bool | None) -> None:
            if submit:
                self.submit(prepared.draft)
            else:
                self.busy = False

        self.app.push_screen(ReadBackPanel(prepared), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-submit")
    def submit(self, draft: OrderDraft) -> None:
        app = self.workstation
        try:
            stored = self.services.orders.submit(app.require_actor(), draft)
        except ValidationFailed as failed:
            app.call_from_thread(self.show_errors, failed.errors)
        except ConflictError as error:
            app.call_from_thread(self.slot_taken, str(error))
        except ServiceError as error:
            app.call_from_thread(self.show_message, str(error))
        else:
            app.call_from_thread(self.dismiss, stored)

    def slot_taken(self, message: str) -> None:
        self.busy = False
        if self.kind is OrderKind.EQUIPMENT:
            self.slot = None
            self.show_errors({"slot": message + " " + _("F5 offers the free ones.")})
        else:
            self.show_message(message)

    def action_keep_draft(self) -> None:
        if not self.busy:
            self.busy = True
            self.keep(self.draft())

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-submit")
    def keep(self, draft: OrderDraft) -> None:
        app = self.workstation
        try:
            stored = self.services.orders.keep_draft(app.require_actor(), draft)
        except ServiceError as error:
            app.call_from_thread(self.show_message, str(error))
        else:
            app.call_from_thread(self.dismiss, stored)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.busy = False
        first = show_field_errors(self, errors)
        for address in self.query(AddressInput):
            address.show_number_problem()
        message = _("Check the fields marked in red.") if errors else ""
        self.query_one("#form-message", Static).update(plain(message, multi_line=True))
        if first is not None:
            focusable = first.query("Input, Select, TextArea").first()
            self.set_focus(focusable)
            first.scroll_visible()

    def show_message(self, message: str) -> None:
        self.busy = False
        self.query_one("#form-message", Static).update(plain(message, multi_line=True))


def _decimal(typed: str) -> Decimal | None:
    try:
        value = Decimal(typed.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None
