"""F7, the queues: a department's open requests by due time (overdue ones first and
red), and for team leads the escalations waiting for a supervisor."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Label, Select, TabbedContent, TabPane

from cc_terminal.formats import local_time
from cc_terminal.i18n import _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.request_move import RequestMoveForm
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.calls.escalations import EscalationView
from cc_terminal.services.calls.requests import RequestStep, RequestView
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.ledger import STATUS_LABELS
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.today_strip import clock_duration

if TYPE_CHECKING:
    from cc_terminal.services.common.reference import ReferenceLists
    from cc_terminal.services.common.views import Actor

REFRESH_SECONDS = 5
ALL = "*"


REQUEST_COLUMNS = (
    (_("Due"), 20),
    (_("Status"), 11),
    (_("Category"), 14),
    (_("Department"), 14),
    (_("Customer"), 16),
    (_("About"), 16),
    (_("Raised by"), 14),
)


def department_filter(actor: Actor, lists: ReferenceLists) -> PlainSelect[str]:
    """A team lead picks any department, or all; anyone else sees their own."""
    departments = [(_(c.label), c.code) for c in lists.active(ListKind.DEPARTMENT)]
    if actor.is_lead:
        departments.insert(0, (_("All departments"), ALL))
    return PlainSelect(
        departments,
        value=ALL if actor.is_lead else actor.department,
        allow_blank=False,
        disabled=not actor.is_lead,
        id="queue-department",
    )


def request_table() -> DataTable[Text | str]:
    table: DataTable[Text | str] = PlainTable(id="request-queue", cursor_type="row")
    # Fixed widths: a refresh that clears and refills the rows never changes
    # the layout under the operator's eyes (auto widths shrank for a frame).
    for title, width in REQUEST_COLUMNS:
        table.add_column(title, width=width)
    return table


def escalation_table() -> DataTable[Text | str]:
    escalations: DataTable[Text | str] = PlainTable(id="escalation-queue", cursor_type="row")
    escalations.add_columns(
        _("Raised"),
        _("Status"),
        _("Operator"),
        _("Customer"),
        _("Reason"),
        _("Call time"),
        _("Notes so far"),
    )
    return escalations


class QueueScreen(WorkstationScreen[CallsServices]):
    AREA = _("Queues")
    BINDINGS = [
        Binding("a", "toggle_everything", _("Open / all"), id="queues.everything"),
        Binding("ctrl+d", "focus_department", _("Department"), id="queues.department"),
        Binding("ctrl+r", "refresh", _("Refresh"), id="queues.refresh"),
    ]

    everything: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.requests: tuple[RequestView, ...] = ()
        self.escalations: tuple[EscalationView, ...] = ()

    def compose(self) -> ComposeResult:
        actor = self.workstation.require_actor()
        yield WorkstationHeader(self.AREA)
        with TabbedContent(id="queue-tabs"):
            with TabPane(_("Requests"), id="tab-requests"):
                with Horizontal(id="queue-filters"):
                    yield department_filter(actor, self.workstation.lists)
                    yield Label("", id="queue-summary")
                yield Label(
                    _("Enter opens a request: its history, and moving it on."), classes="queue-hint"
                )
                yield request_table()
            if actor.is_lead:
                with TabPane(_("Escalations"), id="tab-escalations"):
                    yield Label(
                        _("Enter takes the highlighted escalation; the list refreshes by itself."),
                        classes="queue-hint",
                    )
                    yield escalation_table()
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#request-queue", DataTable))
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def show_escalations(self) -> None:
        """Open the escalations tab (the header badge's key lands here)."""
        if self.workstation.require_actor().is_lead:
            self.query_one(TabbedContent).active = "tab-escalations"
            self.set_focus(self.query_one("#escalation-queue", DataTable))

    def show_overdue(self) -> None:
        """The requests tab at its top, where the overdue ones are (a lead's overdue badge
        lands here), filtered to the lead's department when it has one."""
        self.query_one(TabbedContent).active = "tab-requests"
        own = self.workstation.require_actor().department
        if self.workstation.lists.is_active(ListKind.DEPARTMENT, own):  # one of the choices
            self.query_one("#queue-department", Select).value = own
        table = self.query_one("#request-queue", DataTable)
        table.move_cursor(row=0)
        self.set_focus(table)

    # -- loading ------------------------------------------------------------------------

    def action_refresh(self) -> None:
        department = self.query_one("#queue-department", Select).value
        self.load(str(department), self.everything)

    def watch_everything(self) -> None:
        if self.is_mounted:
            self.action_refresh()

    def action_toggle_everything(self) -> None:
        self.everything = not self.everything

    def action_focus_department(self) -> None:
        self.query_one(TabbedContent).active = "tab-requests"
        self.set_focus(self.query_one("#queue-department", Select))

    @on(Select.Changed, "#queue-department")
    def department_changed(self) -> None:
        self.action_refresh()

    @work(thread=True, exclusive=True, exit_on_error=False, group="queues")
    def load(self, department: str, everything: bool) -> None:
        actor = self.workstation.require_actor()
        services = self.services
        requests = services.requests.queue(
            actor, "" if department == ALL else department, everything=everything
        )
        escalations = services.escalations.queue(actor) if actor.is_lead else ()
        self.app.call_from_thread(self.show, requests, escalations)

    def show(
        self, requests: tuple[RequestView, ...], escalations: tuple[EscalationView, ...]
    ) -> None:
        now = self.workstation.clock()
        self.requests = requests
        self.escalations = escalations
        self._fill_requests(now)
        if self.workstation.require_actor().is_lead:
            self._fill_escalations(now)

    def _fill_requests(self, now: datetime) -> None:
        lists = self.workstation.lists
        zone = self.workstation.zone
        table = self.query_one("#request-queue", DataTable)
        cursor = table.cursor_row
        table.clear()
        overdue = 0
        for request in self.requests:
            due = local_time(request.due_at, zone, "%d.%m. %H:%M")
            due_cell: Text | str = due
            if request.overdue(now):
                overdue += 1
                due_cell = Text(_("OVERDUE {due}").format(due=due), style="bold red")
            table.add_row(
                due_cell,
                STATUS_LABELS.get(request.status, request.status),
                lists.label(ListKind.REQUEST_CATEGORY, request.category),
                lists.label(ListKind.DEPARTMENT, request.department),
                request.customer_name,
                request.summary.splitlines()[0][:50] if request.summary else "",
                request.created_by,
                key=str(request.id),
            )
        if self.requests:
            table.move_cursor(row=min(cursor, len(self.requests) - 1))
        scope = _("all requests") if self.everything else _("open requests")
        summary = _("{n} {scope}, {late} overdue · A switches open/all").format(
            n=len(self.requests), scope=scope, late=overdue
        )
        self.query_one("#queue-summary", Label).update(plain(summary, multi_line=True))

    def _fill_escalations(self, now: datetime) -> None:
        lists = self.workstation.lists
        zone = self.workstation.zone
        table = self.query_one("#escalation-queue", DataTable)
        cursor = table.cursor_row
        table.clear()
        for escalation in self.escalations:
            if escalation.status == "open":
                waiting = clock_duration(
                    max(0, round((now - escalation.raised_at).total_seconds()))
                )
                status = Text(_("waiting {time}").format(time=waiting), style="bold red")
            else:
                status = Text(_("taken by {name}").format(name=escalation.taken_by), style="dim")
            table.add_row(
                local_time(escalation.raised_at, zone, "%H:%M"),
                status,
                escalation.operator_name,
                escalation.customer_name,
                lists.label(ListKind.CALL_REASON, escalation.reason) if escalation.reason else "—",
                clock_duration(escalation.elapsed_seconds),
                escalation.notes.splitlines()[0][:50] if escalation.notes else "",
                key=str(escalation.id),
            )
        if self.escalations:
            table.move_cursor(row=min(cursor, len(self.escalations) - 1))

    # -- acting on a row --------------------------------------------------------------

    @on(DataTable.RowSelected, "#request-queue")
    def request_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_request(self.requests[event.cursor_row])

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-open")
    def open_request(self, request: RequestView) -> None:
        history = self.services.requests.history(self.workstation.require_actor(), request.id)
        self.app.call_from_thread(self.show_request, request, history)

    def show_request(self, request: RequestView, history: tuple[RequestStep, ...]) -> None:
        def moved(result: RequestView | None) -> None:
            if result is not None:
                self.notify(
                    _("Request is now {status}.").format(
                        status=STATUS_LABELS.get(result.status, result.status)
                    )
                )
            self.action_refresh()

        self.app.push_screen(RequestMoveForm(request, history), moved)

    @on(DataTable.RowSelected, "#escalation-queue")
    def escalation_chosen(self, event: DataTable.RowSelected) -> None:
        escalation = self.escalations[event.cursor_row]
        if escalation.status == "open":
            self.take(escalation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-take")
    def take(self, escalation: EscalationView) -> None:
        try:
            taken = self.services.escalations.take(self.workstation.require_actor(), escalation.id)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
        else:
            message = _("You took it: {operator} is on the line with {customer}.").format(
                operator=taken.operator_name, customer=taken.customer_name
            )
            self.app.call_from_thread(self.notify, message, timeout=8)
        self.app.call_from_thread(self.action_refresh)
