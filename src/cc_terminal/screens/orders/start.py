"""Starting an order from anywhere a customer is on screen (a call, a lead, an order on F4):
the kind picker, then that kind's form; and telling the operator what was stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from cc_terminal.i18n import _
from cc_terminal.models.order import OrderKind
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.orders.dialogs import KindPicker
from cc_terminal.screens.orders.form import OrderForm
from cc_terminal.services.orders.labels import STATUS_LABELS
from cc_terminal.services.orders.orders import StoredOrder
from cc_terminal.widgets.words import label as word


def start_order(
    screen: WorkstationScreen[Any],
    customer_id: uuid.UUID,
    customer_name: str,
    *,
    call_id: uuid.UUID | None = None,
    lead_id: uuid.UUID | None = None,
    then: Callable[[], object] | None = None,
    card: Mapping[str, str] | None = None,
) -> None:
    """The kind picker, then that kind's form with the customer filled in (and the address
    of their ``card``, when the register has it); ``then`` runs after an order was stored
    (the caller's ledger shows it)."""

    def stored(order: StoredOrder | None) -> None:
        announce(screen, order)
        if order is not None and then is not None:
            then()

    def picked(kind: OrderKind | None) -> None:
        if kind is not None:
            form = OrderForm(
                kind, customer_id, customer_name, call_id=call_id, lead_id=lead_id, card=card
            )
            screen.app.push_screen(form, stored)

    screen.app.push_screen(KindPicker(customer_name), picked)


def announce(screen: WorkstationScreen[Any], stored: StoredOrder | None) -> None:
    if stored is None:
        return
    label = word(STATUS_LABELS, stored.status)
    message = _("Order {number} {status}.").format(number=stored.number, status=label)
    if stored.visit:
        message += " " + _("Visit {visit}.").format(visit=stored.visit)
    if stored.note:
        message += " " + stored.note
    screen.notify(message, timeout=10)
