"""Moving a request on: its history, then the next status (only the allowed ones), the
department when forwarding, and a note. Ctrl+S applies it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static

from cc_terminal import limits
from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.models.request import RequestStatus
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.services.calls.requests import TRANSITIONS, RequestStep, RequestView
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FieldName, FormField, form_field
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.ledger import STATUS_LABELS
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import label

# What a request may be moved to, in the order offered.
MOVES = (
    RequestStatus.FORWARDED,
    RequestStatus.RESOLVED,
    RequestStatus.CLOSED,
    RequestStatus.REOPENED,
)


class MoveField(FieldName):
    STATUS = "status"
    DEPARTMENT = "department"
    NOTE = "note"


@dataclass(frozen=True)
class Move:
    status: str
    department: str
    note: str


class RequestMoveForm(FormScreen[CallsServices, RequestView]):
    AREA = N_("Request")
    FORM_ID = "request-move"

    def __init__(self, request: RequestView, history: tuple[RequestStep, ...]) -> None:
        super().__init__()
        self.request = request
        self.history = history

    def title_text(self) -> str:
        lists = self.workstation.lists
        return _("{category} for {customer} · {department} · {status}").format(
            category=lists.label(ListKind.REQUEST_CATEGORY, self.request.category),
            customer=self.request.customer_name,
            department=lists.label(ListKind.DEPARTMENT, self.request.department),
            status=label(STATUS_LABELS, self.request.status),
        )

    def compose_fields(self) -> Iterable[Widget]:
        zone = self.workstation.zone
        lists = self.workstation.lists
        yield Static(plain(self.request.summary, multi_line=True), id="request-move-summary")
        table: DataTable[str] = PlainTable(id="request-history", cursor_type="none")
        table.add_columns(_("When"), _("Step"), _("Department"), _("By"), _("Note"))
        for step in self.history:
            arrow = label(STATUS_LABELS, step.to_status)
            if step.from_status:
                arrow = f"{label(STATUS_LABELS, step.from_status)} → {arrow}"
            table.add_row(
                local_time(step.at, zone, "%d.%m. %H:%M"),
                arrow,
                lists.label(ListKind.DEPARTMENT, step.department),
                step.actor_name,
                step.note,
            )
        yield table
        next_steps = [
            (label(STATUS_LABELS, status), status)
            for status in MOVES
            if status in TRANSITIONS.get(self.request.status, frozenset())
        ]
        departments = [(_(c.label), c.code) for c in lists.active(ListKind.DEPARTMENT)]
        yield FormField(
            _("Move to"),
            PlainSelect(next_steps, prompt=_("Choose"), id="move-status"),
            name=MoveField.STATUS,
        )
        yield FormField(
            _("Forward to department"),
            PlainSelect(departments, prompt=_("Choose a department"), id="move-department"),
            name=MoveField.DEPARTMENT,
        )
        yield FormField(
            _("Note (needed to reopen)"),
            FormInput(id="move-note", max_length=limits.SHORT_NOTE, enter_moves_focus=True),
            name=MoveField.NOTE,
        )

    def on_mount(self) -> None:
        form_field(self, MoveField.DEPARTMENT).display = False
        self.set_focus(self.query_one("#move-status", Select))

    @on(Select.Changed, "#move-status")
    def status_chosen(self, event: Select.Changed) -> None:
        form_field(self, MoveField.DEPARTMENT).display = event.value == RequestStatus.FORWARDED

    def collect(self) -> Move:
        status = self.query_one("#move-status", Select).value
        department = self.query_one("#move-department", Select).value
        return Move(
            "" if status is Select.NULL else str(status),
            "" if department is Select.NULL else str(department),
            self.query_one("#move-note", FormInput).value,
        )

    def store(self, services: CallsServices, actor: Actor, values: Move) -> RequestView:
        return services.requests.transition(
            actor,
            self.request.id,
            values.status,
            values.note,
            department=values.department,
            expected_version=self.request.version,
        )
