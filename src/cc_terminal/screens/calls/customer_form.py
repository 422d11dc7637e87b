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
from cc_terminal.customer_fields import CUSTOMER_FIELDS, FIELD_NAMES
from cc_terminal.i18n import N_, _
from cc_terminal.screens.discard import AsksBeforeDiscarding
from cc_terminal.screens.ring_below import ANSWER_RING_BELOW, AnswersRingBelow
from cc_terminal.services.common.errors import ConflictError, ServiceError, ValidationFailed
from cc_terminal.services.common.views import CustomerCard, CustomerDraft
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from cc_terminal.screens.base import WorkstationApp
    from cc_terminal.screens.calls.services import CallsServices


def field_labels() -> dict[str, str]:
    """The form's labels by field: the declared ones (customer_fields.py) and the phones,
    which come second, after the name."""
    labels = {field.name: field.label() for field in CUSTOMER_FIELDS}
    phones = {"phones": _("Phones (comma between several)")}
    first, *rest = labels.items()
    return dict([first, *phones.items(), *rest])


def field_lengths() -> dict[str, int]:
    lengths = {field.name: field.max_length for field in CUSTOMER_FIELDS}
    return {**lengths, "phones": limits.PHONES_TYPED}


class CustomerFormScreen(
    AsksBeforeDiscarding,
    ReportsWorkerFailures,
    AnswersRingBelow,
    ModalScreen[CustomerCard | None],
):
    """Creates a customer through the service; dismisses with the new card, or None."""

    AREA = N_("Customer")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save customer"), id="customer.save"),
        Binding("escape", "cancel", N_("Cancel"), id="customer.cancel"),
        ANSWER_RING_BELOW,
    ]

    def __init__(self, draft: CustomerDraft, editing: CustomerCard | None = None) -> None:
        """A new customer from ``draft``; or, with ``editing``, an edit of that customer."""
        super().__init__()
        self.draft = draft
        self.editing = editing  # the latest version read: a save is checked against it
        self.opened = editing  # what the form showed: only fields typed over it are saved

    @classmethod
    def edit(cls, card: CustomerCard) -> CustomerFormScreen:
        return cls(CustomerDraft.from_card(card), editing=card)

    def compose(self) -> ComposeResult:
        lengths = field_lengths()
        with Vertical(id="customer-form", classes="dialog"):
            title = _("Edit customer") if self.editing else _("New customer")
            yield Static(plain(title, multi_line=True), classes="dialog-title")
            with Grid(id="customer-grid"):
                for name, label in field_labels().items():
                    value = (
                        (self.draft.phones or "") if name == "phones" else self.draft.value(name)
                    )
                    field = FormInput(
                        value,
                        id=f"customer-{name}",
                        max_length=lengths[name],
                        compact=True,
                        enter_moves_focus=True,
                    )
                    yield FormField(label, field, name=name)
                dnc = bool(self.draft.do_not_call)
                yield Checkbox(_("Do not call"), dnc, id="customer-dnc")
            yield Static("", id="customer-message", classes="form-message")
        yield KeyBar()

    def on_mount(self) -> None:
        # A form closed in the tick it opened (a ring that ended at once) mounts with its
        # fields already removed: then there is nothing to focus.
        for name_field in self.query("#customer-full_name").results(Input):
            self.set_focus(name_field)

    def typed(self) -> CustomerDraft:
        """A new customer: every field. An edit: only what was changed in the form, so a
        field someone else saved meanwhile keeps their value unless it was typed over."""
        typed = {name: self.query_one(f"#customer-{name}", Input).value for name in FIELD_NAMES}
        phones = self.query_one("#customer-phones", Input).value
        do_not_call = self.query_one("#customer-dnc", Checkbox).value
        if self.opened is None:
            return CustomerDraft(phones=phones, do_not_call=do_not_call, **typed)
        opened = CustomerDraft.from_card(self.opened)
        changed = {name: value for name, value in typed.items() if value != opened.value(name)}
        return CustomerDraft(
            phones=None if phones == opened.phones else phones,
            do_not_call=None if do_not_call == opened.do_not_call else do_not_call,
            **changed,
        )

    def action_save(self) -> None:
        self.show_errors({})
        self.save(self.typed())

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-save")
    def save(self, draft: CustomerDraft) -> None:
        app = self.app
        workstation: WorkstationApp = app
        services: CallsServices = workstation.require_services()
        customers, actor = services.customers, workstation.require_actor()
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
            labels[name] for name in FIELD_NAMES if latest.values[name] != self.editing.values[name]
        ]
        if latest.phones != self.editing.phones:
            changed.append(labels["phones"])
        self.editing = latest
        message = _(
            "Someone else saved this customer meanwhile ({fields}). Your changes are "
            "still here: Ctrl+S saves the fields you changed over theirs, Escape keeps theirs."
        )
        self.show_errors({"form": message.format(fields=", ".join(changed) or "—")})

    def show_errors(self, errors: dict[str, str]) -> None:
        first = show_field_errors(self, errors)
        self.query_one("#customer-message", Static).update(
            plain(errors.get("form", ""), multi_line=True)
        )
        if first is not None:
            self.set_focus(first.field)
