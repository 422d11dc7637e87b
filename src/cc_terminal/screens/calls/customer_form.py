"""A new (or edited) customer: every field validated, every message next to its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ConflictError, ServiceError, ValidationFailed
from cc_terminal.services.common.views import CustomerCard, CustomerDraft
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from cc_terminal.screens.base import WorkstationApp


_CARD_FIELDS = ("full_name", "street", "house_number", "city", "postal_code", "email", "notes")


def field_labels() -> dict[str, str]:
    return {
        "full_name": _("Full name"),
        "phones": _("Phones (comma between several)"),
        "street": _("Street"),
        "house_number": _("House number"),
        "city": _("City"),
        "postal_code": _("Postal code"),
        "email": _("E-mail"),
        "notes": _("Notes"),
    }


class CustomerFormScreen(ReportsWorkerFailures, ModalScreen[CustomerCard | None]):
    """Creates a customer through the service; dismisses with the new card, or None."""

    AREA = _("Customer")
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save customer"), id="customer.save"),
        Binding("escape", "cancel", _("Cancel"), id="customer.cancel"),
    ]

    def __init__(self, draft: CustomerDraft, editing: CustomerCard | None = None) -> None:
        """A new customer from ``draft``; or, with ``editing``, an edit of that customer."""
        super().__init__()
        self.draft = draft
        self.editing = editing

    @classmethod
    def edit(cls, card: CustomerCard) -> CustomerFormScreen:
        return cls(CustomerDraft.from_card(card), editing=card)

    def compose(self) -> ComposeResult:
        labels = field_labels()
        with Vertical(id="customer-form", classes="dialog"):
            title = _("Edit customer") if self.editing else _("New customer")
            yield Static(plain(title, multi_line=True), classes="dialog-title")
            with Grid(id="customer-grid"):
                for name, limit in limits.CUSTOMER_FIELDS.items():
                    value = str(getattr(self.draft, name))
                    field = FormInput(
                        value,
                        id=f"customer-{name}",
                        max_length=limit,
                        compact=True,
                        enter_moves_focus=True,
                    )
                    yield FormField(labels[name], field, name=name)
                yield Checkbox(_("Do not call"), self.draft.do_not_call, id="customer-dnc")
            yield Static("", id="customer-message", classes="form-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#customer-full_name", Input))

    def typed(self) -> CustomerDraft:
        values = {
            name: self.query_one(f"#customer-{name}", Input).value
            for name in limits.CUSTOMER_FIELDS
        }
        return CustomerDraft(**values, do_not_call=self.query_one("#customer-dnc", Checkbox).value)

    def action_save(self) -> None:
        self.show_errors({})
        self.save(self.typed())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-save")
    def save(self, draft: CustomerDraft) -> None:
        app = self.app
        workstation: WorkstationApp = app
        customers, actor = workstation.require_services().customers, workstation.require_actor()
        try:
            if self.editing is None:
                card = customers.create(actor, draft)
            else:
                card = customers.update(actor, self.editing.id, draft, self.editing.version)
        except ValidationFailed as failed:
            app.call_from_thread(self.show_errors, failed.errors)
        except ConflictError:
            assert self.editing is not None
            latest = customers.card(self.editing.id)
            app.call_from_thread(self.changed_meanwhile, latest)
        except ServiceError as error:
            app.call_from_thread(self.show_errors, {"form": str(error)})
        else:
            app.call_from_thread(self.dismiss, card)

    def changed_meanwhile(self, latest: CustomerCard) -> None:
        """Someone saved this customer first: say what they changed; the typing stays."""
        assert self.editing is not None
        labels = field_labels()
        changed = [
            labels[name]
            for name in _CARD_FIELDS
            if getattr(latest, name) != getattr(self.editing, name)
        ]
        if latest.phones != self.editing.phones:
            changed.append(labels["phones"])
        self.editing = latest
        message = _(
            "Someone else saved this customer meanwhile ({fields}). Your changes are "
            "still here: Ctrl+S saves them over theirs, Escape keeps theirs."
        )
        self.show_errors({"form": message.format(fields=", ".join(changed) or "—")})

    def show_errors(self, errors: dict[str, str]) -> None:
        first = show_field_errors(self, errors)
        self.query_one("#customer-message", Static).update(
            plain(errors.get("form", ""), multi_line=True)
        )
        if first is not None:
            self.set_focus(first.field)
