"""A new (or edited) customer: every field validated, every message next to its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Static

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.services.errors import ServiceError, ValidationFailed
from cc_terminal.services.views import CustomerCard, CustomerDraft
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput

if TYPE_CHECKING:
    from cc_terminal.app import CCTerminal


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


class CustomerFormScreen(ModalScreen[CustomerCard | None]):
    """Creates a customer through the service; dismisses with the new card, or None."""

    AREA = _("Customer")
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save customer"), id="customer.save"),
        Binding("escape", "cancel", _("Cancel"), id="customer.cancel"),
    ]

    def __init__(self, draft: CustomerDraft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        labels = field_labels()
        with Vertical(id="customer-form", classes="dialog"):
            yield Static(_("New customer"), classes="dialog-title")
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
        yield Footer()

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
        app: CCTerminal = self.app  # type: ignore[assignment]
        try:
            card = app.require_services().customers.create(app.require_actor(), draft)
        except ValidationFailed as failed:
            app.call_from_thread(self.show_errors, failed.errors)
        except ServiceError as error:
            app.call_from_thread(self.show_errors, {"form": str(error)})
        else:
            app.call_from_thread(self.dismiss, card)

    def show_errors(self, errors: dict[str, str]) -> None:
        first = show_field_errors(self, errors)
        self.query_one("#customer-message", Static).update(errors.get("form", ""))
        if first is not None:
            self.set_focus(first.field)
