"""Registering a request on a call: category, what it is about, department and due time.
Choosing the category (its digit) routes it, proposes the due time (the category's target
counted in the department's working hours; again when the department changes) and moves
on to what it is about; both can be changed before saving."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from textual import on
from textual.widget import Widget
from textual.widgets import Select, TextArea

from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.services.calls.requests import RequestDraft, RequestView
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea

DUE_FORMAT = "%d.%m.%Y %H:%M"


class RequestForm(FormScreen[CallsServices, RequestView]):
    AREA = N_("New request")
    FORM_ID = "request-form"

    def __init__(self, customer_id: uuid.UUID, customer_name: str, call_id: uuid.UUID) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.call_id = call_id
        self.suggested_due = ""

    def title_text(self) -> str:
        return _("New request for {name}").format(name=self.customer_name)

    def compose_fields(self) -> Iterable[Widget]:
        lists = self.workstation.lists
        categories = [(_(c.label), c.code) for c in lists.active(ListKind.REQUEST_CATEGORY)]
        departments = [(_(c.label), c.code) for c in lists.active(ListKind.DEPARTMENT)]
        yield FormField(
            _("Category"),
            PlainSelect(categories, prompt=_("Choose a category"), id="request-category"),
            name="category",
        )
        yield FormField(_("What it is about"), PlainTextArea(id="request-summary"), name="summary")
        yield FormField(
            _("Department"),
            PlainSelect(departments, prompt=_("From the category"), id="request-department"),
            name="department",
        )
        yield FormField(
            _("Due (day.month.year hour:minute)"),
            FormInput(id="request-due", max_length=16, enter_moves_focus=True),
            name="due_at",
        )

    def on_mount(self) -> None:
        self.query_one("#request-summary", TextArea).cursor_blink = self.workstation.cursor_blink
        self.set_focus(self.query_one("#request-category", Select))

    @on(Select.Changed, "#request-category")
    def category_chosen(self, event: Select.Changed) -> None:
        category = self.workstation.lists.find(ListKind.REQUEST_CATEGORY, str(event.value))
        if category is None:
            return
        self.query_one("#request-department", Select).value = category.department
        self.propose_due()

    @on(Select.Changed, "#request-department")
    def propose_due(self) -> None:
        """The due time the category's target gives in the department's working hours,
        unless the operator typed one of their own."""
        category = self.query_one("#request-category", Select).value
        department = self.query_one("#request-department", Select).value
        due = self.query_one("#request-due", FormInput)
        if category is Select.NULL or due.value not in ("", self.suggested_due):
            return
        when = self.services.requests.default_due(
            self.workstation.lists,
            str(category),
            "" if department is Select.NULL else str(department),
        )
        if when is not None:
            self.suggested_due = when.astimezone(self.workstation.zone).strftime(DUE_FORMAT)
            due.value = self.suggested_due

    def collect(self) -> RequestDraft:
        category = self.query_one("#request-category", Select).value
        department = self.query_one("#request-department", Select).value
        due_text = self.query_one("#request-due", FormInput).value.strip()
        due_at = None
        if due_text and due_text != self.suggested_due:
            try:
                local = datetime.strptime(due_text, DUE_FORMAT)
            except ValueError:
                message = _("Write it as {example}.").format(
                    example=self.workstation.clock()
                    .astimezone(self.workstation.zone)
                    .strftime(DUE_FORMAT)
                )
                raise ValidationFailed({"due_at": message}) from None
            due_at = local.replace(tzinfo=self.workstation.zone)
        return RequestDraft(
            customer_id=self.customer_id,
            category="" if category is Select.NULL else str(category),
            summary=self.query_one("#request-summary", TextArea).text,
            department="" if department is Select.NULL else str(department),
            due_at=due_at,
            call_id=self.call_id,
        )

    def store(self, services: CallsServices, actor: Actor, values: RequestDraft) -> RequestView:
        return services.requests.create(actor, values)
