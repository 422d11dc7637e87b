"""How order kinds and statuses read on screen, in exports and in the ledger."""

from __future__ import annotations

from cc_terminal.i18n import _
from cc_terminal.models.order import OrderKind, OrderStatus

S = OrderStatus
KIND_LABELS: dict[str, str] = {
    OrderKind.SERVICE: _("Service or tariff change"),
    OrderKind.EQUIPMENT: _("Equipment change, technician visit"),
    OrderKind.LOAN: _("Loan application"),
    OrderKind.TAXI: _("Taxi"),
    OrderKind.WEB: _("Web order confirmation"),
}
STATUS_LABELS: dict[str, str] = {
    S.DRAFT: _("draft"),
    S.SUBMITTED: _("submitted"),
    S.SCHEDULED: _("scheduled"),
    S.IN_PROGRESS: _("in progress"),
    S.DONE: _("done"),
    S.MISSED: _("missed"),
    S.RESCHEDULED: _("rescheduled"),
    S.CANCELLED: _("cancelled"),
}
PAY_METHODS: dict[str, str] = {
    "account": _("by bank transfer to our account"),
    "invoice": _("on the next invoice"),
    "card": _("by card through an online payment link"),
}
CONFIRMATION: dict[str, str] = {
    "confirmed": _("confirmed as ordered"),
    "changed": _("changed with the client"),
}
