"""The highlighted order on F4 and its life from the keyboard: its detail with every step;
started, done, cancelled with a reason; a missed visit put right with one key once the
visit's slot has begun (M shows by itself then). The list around it is screens/orders/orders.py."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from cc_terminal.formats import day_with_year, local_time, money
from cc_terminal.i18n import _
from cc_terminal.models.order import OrderStatus
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.orders.services import OrdersServices
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.orders.labels import KIND_LABELS, STATUS_LABELS
from cc_terminal.services.orders.misses import MISSABLE, visit_begun, visit_start
from cc_terminal.services.orders.queries import OrderDetail
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import label as word

S = OrderStatus
WAKE_WITHIN_SECONDS = 12 * 3600  # a visit later than that: M shows when the list reloads


class OrderSteps(WorkstationScreen[OrdersServices]):
    """F4's keys that act on the highlighted order (``current``)."""

    current: reactive[OrderDetail | None] = reactive(None, bindings=True, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self._wake: Timer | None = None

    def action_refresh(self) -> None:
        """Reload the list (the screen's own)."""

    def show_detail(self, detail: OrderDetail) -> None:
        self.current = detail
        app = self.workstation
        text = detail_text(detail, app.zone, app.settings.default_region)
        self.query_one("#order-detail", Static).update(plain(text, multi_line=True))
        self._wake_at_visit(detail)

    def _wake_at_visit(self, detail: OrderDetail) -> None:
        """M shows by itself when the highlighted visit's slot begins."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        app = self.workstation
        start = visit_start(detail.row.visit_day, detail.row.visit_slot, app.zone)
        if start is not None and detail.row.status in MISSABLE:
            wait = (start - app.clock()).total_seconds()
            if 0 < wait < WAKE_WITHIN_SECONDS:
                self._wake = self.set_timer(wait, self.refresh_bindings)

    def visit_begun(self, detail: OrderDetail | None) -> bool:
        """M only once the visit's slot has begun (the service refuses it before)."""
        if detail is None:
            return False
        app = self.workstation
        return visit_begun(detail.row.visit_day, detail.row.visit_slot, app.clock(), app.zone)

    def action_move(self, to: str) -> None:
        if self.current is not None:
            self.change(self.current.row.id, S(to), "")

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-move")
    def change(self, order_id: uuid.UUID, to: OrderStatus, note: str) -> None:
        app = self.workstation
        try:
            self.services.orders.move(app.require_actor(), order_id, to, note)
        except ServiceError as error:
            app.call_from_thread(self.notify, str(error), severity="error")
        else:
            app.call_from_thread(self.action_refresh)

    def action_cancel_order(self) -> None:
        detail = self.current
        if detail is None:
            return

        def reason(typed: str | None) -> None:
            if typed:
                self.change(detail.row.id, S.CANCELLED, typed)

        dialog = TextDialog(
            _("Cancel {number}").format(number=detail.row.number),
            _("Why is it cancelled?"),
            _("A booked visit is freed for other clients."),
        )
        self.app.push_screen(dialog, reason)

    def action_missed(self) -> None:
        detail = self.current
        if detail is None:
            return

        def told(apology: str | None) -> None:
            if apology:
                self.report_missed(detail.row.id, apology)

        dialog = TextDialog(
            _("The field team did not come: {number}").format(number=detail.row.number),
            _("What you told the client (goes in the ledger)"),
            _(
                "The order is booked with the first free team at once, the client is "
                "flagged for priority, and whoever took the order gets a callback to confirm "
                "the new time."
            ),
            _("We apologise that the technician did not come."),
        )
        self.app.push_screen(dialog, told)

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-move")
    def report_missed(self, order_id: uuid.UUID, apology: str) -> None:
        app = self.workstation
        try:
            stored = self.services.orders.report_missed(app.require_actor(), order_id, apology)
        except ServiceError as error:
            app.call_from_thread(self.notify, str(error), severity="error")
            return
        message = stored.note
        if stored.visit:
            message = _("Re-booked: {visit}.").format(visit=stored.visit) + " " + stored.note
        app.call_from_thread(self.notify, message, timeout=10)
        app.call_from_thread(self.action_refresh)


def detail_text(detail: OrderDetail, zone: ZoneInfo, region: str) -> Text:
    """The order, its visit, amount and materials, what was read back, and every step."""
    row = detail.row
    text = Text()
    text.append(f"{row.number}  ", style="bold")
    text.append(f"{word(KIND_LABELS, row.kind)} · ")
    text.append(word(STATUS_LABELS, row.status), style="bold")
    if row.priority:
        text.append("  " + _("priority"), style="bold red")
    text.append(f"\n{row.customer_name}\n{row.address}\n")
    if detail.address_override:
        text.append(_("Not in the register: {why}").format(why=detail.address_override) + "\n")
    if row.visit_day:
        text.append(
            _("Visit {day} {slot}, {team}").format(
                day=day_with_year(row.visit_day),
                slot=row.visit_slot,
                team=row.team_name,
            )
            + "\n"
        )
    if row.amount_minor is not None:
        amount = money(row.amount_minor, row.currency, region)
        text.append(_("Amount {amount}").format(amount=amount) + "\n")
    for line in detail.lines:
        if isinstance(line, dict):
            text.append(f"  {line['quantity']}× {line['name']}\n", style="dim")
    if detail.read_back:
        text.append("\n" + _("As read to the client:") + "\n", style="bold")
        text.append(detail.read_back + "\n", style="italic")
    for line in detail.checklist:
        text.append(f"• {line}\n")
    text.append("\n" + _("Steps") + "\n", style="bold")
    for step in detail.steps:
        when = local_time(step.at, zone, "%d.%m. %H:%M")
        label = word(STATUS_LABELS, step.to_status)
        note = f": {step.note}" if step.note else ""
        text.append(f"{when}  {label}  {step.operator_name}{note}\n")
    return text
