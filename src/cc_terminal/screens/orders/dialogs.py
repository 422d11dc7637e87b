"""The small dialogs around orders: which kind, the free visit slots, the read-back panel, a
reason (cancelling) or what was told to the client (a missed visit), and the team lead's
export and miss report."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Select, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from cc_terminal.formats import day_with_year
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.order import OrderKind
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.orders.services import OrdersServices
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.typed_dates import parse_date
from cc_terminal.services.orders.dispatch import FreeSlot
from cc_terminal.services.orders.labels import KIND_LABELS
from cc_terminal.services.orders.values import PreparedOrder
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import kilometres, label
from cc_terminal.widgets.worker_results import show_latest

SLOTS_SHOWN = 60
KIND_KEYS = tuple(OrderKind)


class KindPicker(ModalScreen[OrderKind | None]):
    """A digit picks the kind of the new order."""

    AREA = N_("New order")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="kind.cancel"),
        *(
            Binding(str(n), f"pick({n})", N_("Pick kind"), show=False)
            for n in range(1, len(KIND_KEYS) + 1)
        ),
    ]

    def __init__(self, customer_name: str) -> None:
        super().__init__()
        self.customer_name = customer_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(_("New order for {name}").format(name=self.customer_name)),
                classes="dialog-title",
            )
            yield OptionList(
                *(
                    Option(plain(f"{n}  {label(KIND_LABELS, kind)}"), id=kind.value)
                    for n, kind in enumerate(KIND_KEYS, 1)
                ),
                id="order-kinds",
            )
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#order-kinds")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(OrderKind(str(event.option.id)))

    def action_pick(self, number: int) -> None:
        self.dismiss(KIND_KEYS[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SlotPicker(WorkstationAccess[OrdersServices], ModalScreen[FreeSlot | None]):
    """The free slots of the teams serving the address, soonest first, nearest team first."""

    AREA = N_("Visit slots")
    BINDINGS = [Binding("escape", "cancel", N_("Back to the order"), id="slots.cancel")]

    def __init__(self, address_code: int, address_text: str) -> None:
        super().__init__()
        self.address_code = address_code
        self.address_text = address_text
        self.slots: list[FreeSlot] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="slot-picker", classes="dialog"):
            yield Static(
                plain(_("Free visit slots for {address}").format(address=self.address_text)),
                classes="dialog-title",
            )
            yield Static(_("Looking…"), id="slot-summary")
            yield RowTable(
                ((_("Day"), 16), (_("Slot"), 12), (_("Team"), 24), (_("Distance"), 10)),
                id="slot-table",
                share_width=True,
            )
            yield Static(_("Enter books the highlighted slot with the order."), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#slot-table"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="slots")
    def load(self) -> None:
        dispatch = self.services.dispatch
        try:
            slots = dispatch.free_slots(self.address_code, limit=SLOTS_SHOWN)
        except ServiceError as error:
            self.app.call_from_thread(self.query_one("#slot-summary", Static).update, str(error))
            return
        served = bool(slots) or dispatch.serves(self.address_code)
        show_latest(self.app, self.show, slots, served)

    def show(self, slots: list[FreeSlot], served: bool = True) -> None:
        self.slots = slots
        if not served:
            summary = _("No field team serves this town or postal code: ask a team lead.")
        elif not slots:
            summary = _("No team serving this address has a free slot in the next 30 days.")
        else:
            summary = ngettext(
                "{n} free slot, the soonest first.",
                "{n} free slots, the soonest first.",
                len(slots),
            ).format(n=len(slots))
        self.query_one("#slot-summary", Static).update(plain(summary, multi_line=True))
        self.query_one("#slot-table", RowTable).show(
            [
                (
                    day_with_year(slot.day),
                    slot.slot,
                    slot.team_name,
                    "—" if slot.distance_m is None else kilometres(slot.distance_m),
                )
                for slot in slots
            ]
        )

    @on(RowTable.Selected, "#slot-table")
    def chosen(self, event: RowTable.Selected) -> None:
        if event.index < len(self.slots):
            self.dismiss(self.slots[event.index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReadBackPanel(ModalScreen[bool]):
    """The order in one sentence and what the client must know, to be read aloud."""

    AREA = N_("Read back")
    BINDINGS = [
        Binding("enter", "answer(True)", N_("Submit the order"), id="readback.submit"),
        Binding("escape", "answer(False)", N_("Back to the form"), id="readback.back"),
    ]

    def __init__(self, prepared: PreparedOrder) -> None:
        super().__init__()
        self.prepared = prepared

    def compose(self) -> ComposeResult:
        with Vertical(id="read-back", classes="dialog"):
            yield Static(_("Read this to the client"), classes="dialog-title")
            yield Static(plain(self.prepared.read_back, multi_line=True), id="read-back-sentence")
            yield Static(_("What the client must know:"), classes="hint")
            yield Static(
                plain("\n".join(f"• {line}" for line in self.prepared.checklist), multi_line=True),
                id="read-back-checklist",
            )
            yield Static(
                _("Enter submits the order; Escape goes back to the form."), classes="hint"
            )
        yield KeyBar()

    def action_answer(self, submit: bool) -> None:
        self.dismiss(submit)


class TextDialog(ModalScreen[str | None]):
    """One line of text that must not be empty: why an order is cancelled, or what the
    client was told when a visit was missed. A suggested text comes selected: Enter keeps
    it, typing replaces it (never glued to it)."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="text.save"),
        Binding("escape", "cancel", N_("Back"), id="text.cancel"),
    ]

    def __init__(self, title: str, label: str, explanation: str = "", default: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.explanation = explanation
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Static(plain(self.title_text, multi_line=True), classes="dialog-title")
            if self.explanation:
                yield Static(plain(self.explanation, multi_line=True))
            yield FormField(self.label, FormInput(self.default, id="text-value"), name="text")
            yield Static(_("Enter or Ctrl+S saves; Escape goes back."), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        field = self.query_one("#text-value", FormInput)
        self.set_focus(field)
        field.selection = Selection(0, len(field.value))

    @on(FormInput.Submitted, "#text-value")
    def action_save(self) -> None:
        typed = self.query_one("#text-value", FormInput).value.strip()
        if not typed:
            show_field_errors(self, {"text": _("Required.")})
            return
        self.dismiss(typed)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OrderExportDialog(WorkstationAccess[OrdersServices], ModalScreen[str | None]):
    """A team lead's export of a period's orders (CSV, XLSX) or a team's day sheet."""

    AREA = N_("Export orders")
    BINDINGS = [
        Binding("ctrl+s", "export", N_("Export"), id="orders.export.save"),
        Binding("escape", "cancel", N_("Back"), id="orders.export.cancel"),
    ]

    def __init__(self, today: date, teams: list[tuple[str, str]]) -> None:
        super().__init__()
        self.today = today
        self.teams = teams

    def compose(self) -> ComposeResult:
        tomorrow = (self.today + timedelta(days=1)).strftime("%d.%m.%Y")
        formats = [
            (_("CSV"), "csv"),
            (_("XLSX"), "xlsx"),
            (_("Day sheet, text for 80 columns"), "sheet"),
        ]
        with Vertical(id="order-export", classes="dialog form-dialog"):
            yield Static(_("Export orders for the field teams"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield FormField(
                    _("Format"),
                    PlainSelect(formats, value="csv", allow_blank=False, id="export-format"),
                    name="format",
                )
                yield FormField(
                    _("Team"),
                    PlainSelect(self.teams, prompt=_("All teams"), id="export-team"),
                    name="team",
                )
            with Horizontal(classes="form-row"):
                yield FormField(_("From"), FormInput(tomorrow, id="export-from"), name="day_from")
                yield FormField(_("To"), FormInput(tomorrow, id="export-to"), name="day_to")
            default = f"orders-{self.today + timedelta(days=1):%Y-%m-%d}.csv"
            yield FormField(_("File"), FormInput(default, id="export-path"), name="path")
            yield Static(_("A day sheet is one team's, for the From day."), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#export-format"))

    def action_export(self) -> None:
        errors: dict[str, str] = {}
        days: dict[str, date] = {}
        for name in ("from", "to"):
            typed = self.query_one(f"#export-{name}", FormInput).value
            try:
                days[name] = parse_date(typed)
            except ValueError:
                errors[f"day_{name}"] = _("Not a date: write 1.12.2026.")
        kind = str(self.query_one("#export-format", Select).value)
        team_value = self.query_one("#export-team", Select).value
        team = "" if team_value is Select.NULL else str(team_value)
        if kind == "sheet" and not team:
            errors["team"] = _("A day sheet is for one team.")
        typed_path = self.query_one("#export-path", FormInput).value.strip()
        if not typed_path:
            errors["path"] = _("Where to write it: a file name.")
        show_field_errors(self, errors)
        if not errors:
            self.write(kind, team, days["from"], days["to"], Path(typed_path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-export")
    def write(self, kind: str, team: str, day_from: date, day_to: date, path: Path) -> None:
        app = self.workstation
        actor = app.require_actor()
        export = self.services.order_export
        try:
            if kind == "sheet":
                lines = export.write_day_sheet(actor, team, day_from, path)
                done = ngettext(
                    "Day sheet written to {path} ({n} line).",
                    "Day sheet written to {path} ({n} lines).",
                    lines,
                ).format(path=path, n=lines)
            else:
                result = export.export(actor, path, kind, day_from, day_to, team)
                done = ngettext(
                    "{n} order written to {path}.", "{n} orders written to {path}.", result.rows
                ).format(n=result.rows, path=path)
        except ValidationFailed as failed:
            app.call_from_thread(show_field_errors, self, failed.errors)
        except (ServiceError, OSError) as error:
            app.call_from_thread(show_field_errors, self, {"path": str(error)})
        else:
            app.call_from_thread(self.dismiss, done)

    def action_cancel(self) -> None:
        self.dismiss(None)
