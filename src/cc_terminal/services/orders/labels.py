"""How order kinds and statuses read on screen, in exports and in the ledger: the tables
hold the English (marked for the catalogue); the functions translate where shown."""

from __future__ import annotations

from cc_terminal.i18n import N_, _
from cc_terminal.models.order import OrderKind, OrderStatus

S = OrderStatus
KIND_LABELS: dict[str, str] = {
    OrderKind.SERVICE: N_("Service or tariff change"),
    OrderKind.EQUIPMENT: N_("Equipment change, technician visit"),
    OrderKind.LOAN: N_("Loan application"),
    OrderKind.TAXI: N_("Taxi"),
    OrderKind.WEB: N_("Web order confirmation"),
}
STATUS_LABELS: dict[str, str] = {
    S.DRAFT: N_("draft"),
    S.SUBMITTED: N_("submitted"),
    S.SCHEDULED: N_("scheduled"),
    S.IN_PROGRESS: N_("in progress"),
    S.DONE: N_("done"),
    S.MISSED: N_("missed"),
    S.RESCHEDULED: N_("rescheduled"),
    S.CANCELLED: N_("cancelled"),
}
PAY_METHODS: dict[str, str] = {
    "account": N_("by bank transfer to our account"),
    "invoice": N_("on the next invoice"),
    "card": N_("by card through an online payment link"),
}
CONFIRMATION: dict[str, str] = {
    "confirmed": N_("confirmed as ordered"),
    "changed": N_("changed with the client"),
}


def kind_label(kind: str) -> str:
    """An order kind as it reads in the current language (the code when unknown)."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def status_label(status: str) -> str:
    """An order status as it reads in the current language (the code when unknown)."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def pay_method_label(method: str) -> str:
    """How the client pays, in the current language (empty when none was chosen)."""
    return _(PAY_METHODS[method]) if method in PAY_METHODS else ""


def confirmation_label(answer: str) -> str:
    """A web order's confirmation, in the current language (empty when none)."""
    return _(CONFIRMATION[answer]) if answer in CONFIRMATION else ""
