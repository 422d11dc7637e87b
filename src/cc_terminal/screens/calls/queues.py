"""F7, the queues: a department's open requests by due time (overdue ones first and
red), for team leads the escalations waiting for a supervisor, the floor board and the
missed calls to give out for a callback; for everyone the escalations they raised with the
lead's answer and their callbacks. Enter on an escalation opens it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Label, Select, TabbedContent, TabPane

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.callback_panes import MissedPane, MyCallbacksPane
from cc_terminal.screens.calls.escalation_dialog import EscalationDialog
from cc_terminal.screens.calls.escalation_words import answer_line, status_word
from cc_terminal.screens.calls.floor_pane import FloorPane
from cc_terminal.screens.calls.queue_columns import (
    ALL,
    ESCALATION_COLUMNS,
    MINE_COLUMNS,
    department_filter,
    fill_requests,
    request_summary,
    request_table,
)
from cc_terminal.screens.calls.request_move import RequestMoveForm
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.calls.escalations import EscalationDetail, EscalationView
from cc_terminal.services.calls.requests import RequestStep, RequestView
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CustomerCard
from cc_terminal.services.phone.views import MissedCallView
from cc_terminal.widgets.column_widths import fill_shared
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.ledger import STATUS_LABELS
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.today_strip import clock_duration
from cc_terminal.widgets.words import label
from cc_terminal.widgets.worker_results import show_latest

if TYPE_CHECKING:
    pass

REFRESH_SECONDS = 5


MISSED_DAYS = 7  # older missed calls nobody called back leave the lead's list
LEAD_TABS = (("tab-escalations",), ("tab-floor",), ("tab-missed",))
PANES = {"tab-floor": "floor-pane", "tab-missed": "missed-pane", "tab-callbacks": "callbacks-pane"}


class QueueScreen(WorkstationScreen[CallsServices]):
    AREA = N_("Queues")
    BINDINGS = [
        Binding("a", "toggle_everything", N_("Open / all"), id="queues.everything"),
        Binding("ctrl+d", "focus_department", N_("Department"), id="queues.department"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="queues.refresh"),
        Binding("1", "tab('tab-requests')", N_("Requests"), id="queues.requests"),
        Binding("2", "tab('tab-escalations')", N_("Escalations"), id="queues.escalations"),
        Binding("3", "tab('tab-mine')", N_("Mine"), id="queues.mine"),
        Binding("4", "tab('tab-floor')", N_("Floor"), id="queues.floor"),
        Binding("5", "tab('tab-missed')", N_("Missed calls"), id="queues.missed"),
        Binding("6", "tab('tab-callbacks')", N_("My callbacks"), id="queues.callbacks"),
    ]

    everything: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.requests: tuple[RequestView, ...] = ()
        self.escalations: tuple[EscalationView, ...] = ()
        self.mine: tuple[EscalationDetail, ...] = ()

    def compose(self) -> ComposeResult:
        actor = self.workstation.require_actor()
        yield WorkstationHeader(_(self.AREA))
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
                        _(
                            "Enter opens the highlighted escalation: take it, note, hand back, "
                            "resolve. The list refreshes by itself."
                        ),
                        classes="queue-hint",
                    )
                    yield PlainTable(id="escalation-queue", cursor_type="row")
            with TabPane(_("My escalations"), id="tab-mine"):
                yield Label(
                    _("The escalations you raised this week; Enter reads the lead's answer."),
                    classes="queue-hint",
                )
                yield PlainTable(id="my-escalations", cursor_type="row")
            if actor.is_lead:
                with TabPane(_("Floor"), id="tab-floor"):
                    yield FloorPane(id="floor-pane")
                with TabPane(_("Missed calls"), id="tab-missed"):
                    yield MissedPane(id="missed-pane")
            with TabPane(_("My callbacks"), id="tab-callbacks"):
                yield MyCallbacksPane(id="callbacks-pane")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#request-queue", DataTable))
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab" and parameters[:1] in LEAD_TABS:
            actor = self.workstation.actor  # none while a sign-out leaves the screen
            return actor is not None and actor.is_lead
        return True

    def action_tab(self, tab: str) -> None:
        """A digit opens a tab and puts the cursor in its list."""
        self.query_one(TabbedContent).active = tab
        if tab in PANES:
            self.set_focus(self.query_one(f"#{PANES[tab]} RowTable"))
            return
        table = {"tab-requests": "#request-queue", "tab-escalations": "#escalation-queue"}
        self.set_focus(self.query_one(table.get(tab, "#my-escalations"), DataTable))

    def show_escalations(self, *, mine: bool = False) -> None:
        """Open the escalations tab, or the operator's own (the header badges' key)."""
        lead = self.workstation.require_actor().is_lead
        self.action_tab("tab-mine" if mine or not lead else "tab-escalations")

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
        self.refresh_floor()

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
        mine = services.escalations.mine(actor)
        since = self.workstation.clock() - timedelta(days=MISSED_DAYS)
        missed = services.phone.missed(since) if actor.is_lead else []
        callbacks = services.phone.my_callbacks(actor)
        show_latest(self.app, self.show, requests, escalations, mine)
        show_latest(self.app, self.show_callbacks, missed, callbacks)

    def show_callbacks(self, missed: list[MissedCallView], mine: list[MissedCallView]) -> None:
        if self.workstation.require_actor().is_lead:
            self.query_one(MissedPane).show(missed)
        self.query_one(MyCallbacksPane).show(mine)

    def refresh_floor(self) -> None:
        """Something the floor board shows changed (the app's floor watch). A team lead's
        board only; none yet while the screen is still being composed (a change heard
        right at the sign-in that shows it)."""
        for pane in self.query(FloorPane):
            pane.refresh_board()

    @on(MissedPane.Given)
    def callback_given(self) -> None:
        self.action_refresh()

    @on(FloorPane.AlertsChanged)
    def floor_alerts(self, event: FloorPane.AlertsChanged) -> None:
        title = _("Floor")
        if event.count:
            title += f" ⚠ {event.count}"
        self.query_one(TabbedContent).get_tab("tab-floor").label = title

    def show(
        self,
        requests: tuple[RequestView, ...],
        escalations: tuple[EscalationView, ...],
        mine: tuple[EscalationDetail, ...] = (),
    ) -> None:
        now = self.workstation.clock()
        self.requests = requests
        self.escalations = escalations
        self.mine = mine
        self._fill_requests(now)
        if self.workstation.require_actor().is_lead:
            self._fill_escalations(now)
        self._fill_mine()

    def _fill_requests(self, now: datetime) -> None:
        lists = self.workstation.lists
        zone = self.workstation.zone
        table = self.query_one("#request-queue", DataTable)
        cursor = table.cursor_row
        overdue = 0
        rows: list[tuple[str, list[Text | str]]] = []
        for request in self.requests:
            due = local_time(request.due_at, zone, "%d.%m. %H:%M")
            due_cell: Text | str = due
            if request.overdue(now):
                overdue += 1
                due_cell = Text(_("OVERDUE {due}").format(due=due), style="bold red")
            cells: list[Text | str] = [
                due_cell,
                label(STATUS_LABELS, request.status),
                lists.label(ListKind.REQUEST_CATEGORY, request.category),
                lists.label(ListKind.DEPARTMENT, request.department),
                request.customer_name,
                request.summary.splitlines()[0][:80] if request.summary else "",
                request.created_by,
            ]
            rows.append((str(request.id), cells))
        fill_requests(table, rows, table.size.width or self.size.width)
        if self.requests:
            table.move_cursor(row=min(cursor, len(self.requests) - 1))
        summary = request_summary(len(self.requests), overdue, self.everything)
        self.query_one("#queue-summary", Label).update(plain(summary, multi_line=True))

    def _fill_escalations(self, now: datetime) -> None:
        table = self.query_one("#escalation-queue", DataTable)
        rows = [(str(e.id), self._escalation_cells(e, now)) for e in self.escalations]
        self._refill(table, ESCALATION_COLUMNS, rows)

    def _escalation_cells(self, escalation: EscalationView, now: datetime) -> list[Text | str]:
        if escalation.status == "open":
            waiting = clock_duration(max(0, round((now - escalation.raised_at).total_seconds())))
            status = Text(_("waiting {time}").format(time=waiting), style="bold red")
        else:
            words = status_word(escalation.status)
            status = Text(f"{words} · {escalation.taken_by}", style="dim")
        return [
            local_time(escalation.raised_at, self.workstation.zone, "%H:%M"),
            status,
            escalation.operator_name,
            escalation.customer_name,
            self._reason(escalation.reason),
            clock_duration(escalation.elapsed_seconds),
            escalation.notes,
        ]

    def _fill_mine(self) -> None:
        table = self.query_one("#my-escalations", DataTable)
        rows = []
        for detail in self.mine:
            escalation = detail.escalation
            status: Text | str = status_word(escalation.status)
            if detail.unread:
                status = Text(_("● new answer"), style="bold reverse")
            cells: list[Text | str] = [
                local_time(escalation.raised_at, self.workstation.zone, "%d.%m. %H:%M"),
                status,
                escalation.customer_name,
                self._reason(escalation.reason),
                answer_line(detail.answer),
            ]
            rows.append((str(escalation.id), cells))
        self._refill(table, MINE_COLUMNS, rows)

    def on_resize(self, event: events.Resize) -> None:
        """The escalations' columns share the new width at once, not at the next refresh
        (Textual runs FitsTheTerminal's own on_resize too)."""
        if self.requests:
            self._fill_requests(self.workstation.clock())
        if self.escalations:
            self._fill_escalations(self.workstation.clock())
        if self.mine:
            self._fill_mine()

    def _reason(self, code: str) -> str:
        return self.workstation.lists.label(ListKind.CALL_REASON, code) if code else "—"

    def _refill(
        self,
        table: DataTable[Text | str],
        titles: tuple[str, ...],
        rows: list[tuple[str, list[Text | str]]],
    ) -> None:
        """Columns share the width by content: the notes and answers wrap, never cut."""
        cursor = table.cursor_row
        width = table.size.width or self.size.width
        fill_shared(table, [_(title) for title in titles], rows, width)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    # -- acting on a row --------------------------------------------------------------

    @on(DataTable.RowSelected, "#request-queue")
    def request_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_request(self.requests[event.cursor_row])

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-open")
    def open_request(self, request: RequestView) -> None:
        history = self.services.requests.history(self.workstation.require_actor(), request.id)
        show_latest(self.app, self.show_request, request, history)

    def show_request(self, request: RequestView, history: tuple[RequestStep, ...]) -> None:
        def moved(result: RequestView | None) -> None:
            if result is not None:
                self.notify(
                    _("Request is now {status}.").format(status=label(STATUS_LABELS, result.status))
                )
            self.action_refresh()

        self.app.push_screen(RequestMoveForm(request, history), moved)

    @on(DataTable.RowSelected, "#escalation-queue")
    def escalation_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_escalation(self.escalations[event.cursor_row].id)

    @on(DataTable.RowSelected, "#my-escalations")
    def mine_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_escalation(self.mine[event.cursor_row].escalation.id, own=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-open")
    def open_escalation(self, escalation_id: uuid.UUID, *, own: bool = False) -> None:
        """The escalation, its steps and the customer's card; the raising operator's
        reading of an answer is marked, so their notice goes."""
        actor = self.workstation.require_actor()
        escalations = self.services.escalations
        try:
            detail = escalations.detail(actor, escalation_id)
            if own and detail.unread:
                detail = escalations.mark_seen(actor, escalation_id)
                self.app.call_from_thread(self.workstation.poll_escalations)  # badge goes now
            card = self.services.customers.card(detail.escalation.customer_id)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        show_latest(self.app, self.show_escalation, detail, card)
        self.services.audit.record(actor, AuditKind.CUSTOMER_VIEWED, str(card.id), "escalation")

    def show_escalation(self, detail: EscalationDetail, card: CustomerCard) -> None:
        def closed(_result: None) -> None:
            self.action_refresh()
            self.workstation.poll_escalations()

        self.app.push_screen(EscalationDialog(detail, card), closed)
