"""The small forms around the tally: a claim (+ or Ctrl+Y), a pause and its reason
(Ctrl+B), a chosen period, a team lead's decision on a dispute, a complaint against an
operator, assigning a pay plan, the payroll export and closing a period."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.tally import ComplaintSource, PauseReason, SuccessKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.tally.services import TallyServices
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.export_files import private_folder
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.periods import Period, chosen
from cc_terminal.services.tally.tally import ClaimDraft
from cc_terminal.services.tally.work_sessions import PAUSE_LABELS
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.form_select import FormSelect
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

SUCCESS_LABELS: dict[str, str] = {
    SuccessKind.SALE.value: N_("Sale"),
    SuccessKind.APPOINTMENT.value: N_("Appointment"),
    SuccessKind.APPLICATION.value: N_("Application"),
    SuccessKind.ORDER.value: N_("Order"),
    SuccessKind.SURVEY.value: N_("Survey or confirmation"),
}
PAUSES = tuple(PauseReason)


def success_label(kind: str) -> str:
    """A kind of success in words of the current language (an unknown code as it is)."""
    return _(SUCCESS_LABELS[kind]) if kind in SUCCESS_LABELS else kind


def _field_input(value: str, name: str, limit: int) -> FormInput:
    return FormInput(value, id=f"tally-{name}", max_length=limit, enter_moves_focus=True)


class ClaimForm(FormScreen[TallyServices, uuid.UUID]):
    """A success for the operator's own tally, about the current call or lead."""

    AREA = N_("Claim a success")
    FORM_ID = "claim-form"

    def __init__(self, call_id: uuid.UUID | None, lead_id: uuid.UUID | None, about: str) -> None:
        super().__init__()
        self.call_id, self.lead_id, self.about = call_id, lead_id, about

    def title_text(self) -> str:
        if self.about:
            return _("Claim a success: {about}").format(about=self.about)
        return _("Claim a success (no call or lead on screen)")

    def compose_fields(self) -> Iterable[Widget]:
        kinds = [(success_label(kind), kind) for kind in SUCCESS_LABELS]
        yield FormField(
            _("What (press its digit)"),
            FormSelect(kinds, value=SuccessKind.SALE.value, allow_blank=False, id="claim-kind"),
            name="kind",
        )
        yield FormField(
            _("Amount (a sale: required)"), _field_input("", "amount", 20), name="amount"
        )
        yield FormField(_("Note"), _field_input("", "note", 500), name="note")
        yield Static(
            _("The records decide pay: a claim with no record is a dispute."), classes="hint"
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#claim-kind"))

    def collect(self) -> ClaimDraft:
        return ClaimDraft(
            kind=str(self.query_one("#claim-kind", Select).value),
            amount=self.query_one("#tally-amount", FormInput).value,
            call_id=self.call_id,
            lead_id=self.lead_id,
            note=self.query_one("#tally-note", FormInput).value,
        )

    def store(self, services: TallyServices, actor: Actor, values: Any) -> uuid.UUID:
        return services.tally.add_claim(actor, values)


class PausePicker(ModalScreen[PauseReason | None]):
    """A digit picks the pause's reason; Ctrl+B again resumes."""

    AREA = N_("Pause")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="pause.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, len(PAUSES) + 1)),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Pause: why?"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(f"{n}  {_(PAUSE_LABELS[r])}"), id=r.value)
                    for n, r in enumerate(PAUSES, 1)
                ),
                id="pause-reasons",
            )
            yield Static(_("Paid time and occupancy come from these."), classes="hint")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#pause-reasons")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(PauseReason(str(event.option.id)))

    def action_pick(self, number: int) -> None:
        self.dismiss(PAUSES[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class PeriodForm(FormScreen[TallyServices, Period]):
    """Two dates, both days included."""

    AREA = N_("Choose a period")
    FORM_ID = "period-form"

    def __init__(self, current: Period) -> None:
        super().__init__()
        self.current = current

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            _("From"), _field_input(f"{self.current.start:%d.%m.%Y}", "start", 12), name="start"
        )
        yield FormField(
            _("To"), _field_input(f"{self.current.end:%d.%m.%Y}", "end", 12), name="end"
        )

    def collect(self) -> Period:
        start = self.query_one("#tally-start", FormInput).value
        return chosen(start, self.query_one("#tally-end", FormInput).value)

    def store(self, services: TallyServices, actor: Actor, values: Any) -> Period:
        return values


class DecisionForm(FormScreen[TallyServices, bool]):
    """Accept or reject a disputed claim; the note is required."""

    FORM_ID = "decision-form"

    def __init__(self, claim_id: uuid.UUID, accept: bool, summary: str) -> None:
        super().__init__()
        self.claim_id, self.accept, self.summary = claim_id, accept, summary

    def title_text(self) -> str:
        verb = _("Accept") if self.accept else _("Reject")
        return f"{verb}: {self.summary}"

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(_("Note (why)"), _field_input("", "decision-note", 500), name="note")

    def collect(self) -> str:
        return self.query_one("#tally-decision-note", FormInput).value

    def store(self, services: TallyServices, actor: Actor, values: Any) -> bool:
        services.tally.decide(actor, self.claim_id, self.accept, values)
        return True


class ComplaintForm(FormScreen[TallyServices, uuid.UUID]):
    """A justified complaint against an operator, about one of their calls if known."""

    FORM_ID = "complaint-form"

    def __init__(self, operator_id: uuid.UUID, name: str, calls: list[tuple[str, str]]) -> None:
        super().__init__()
        self.operator_id, self.operator_name, self.calls = operator_id, name, calls

    def title_text(self) -> str:
        return _("Justified complaint against {name}").format(name=self.operator_name)

    def compose_fields(self) -> Iterable[Widget]:
        sources = [
            (_("A client"), ComplaintSource.CLIENT.value),
            (_("A department"), ComplaintSource.DEPARTMENT.value),
        ]
        yield FormField(
            _("From"),
            FormSelect(
                sources,
                value=ComplaintSource.CLIENT.value,
                allow_blank=False,
                id="complaint-source",
            ),
            name="source",
        )
        yield FormField(
            _("Department (when a department)"),
            _field_input("", "department", 40),
            name="department",
        )
        yield FormField(
            _("About the call"),
            FormSelect(self.calls, prompt=_("No particular call"), id="complaint-call"),
            name="call",
        )
        yield FormField(_("What happened"), _field_input("", "complaint-note", 500), name="note")

    def collect(self) -> dict[str, Any]:
        call = self.query_one("#complaint-call", Select).value
        return {
            "source": str(self.query_one("#complaint-source", Select).value),
            "department": self.query_one("#tally-department", FormInput).value,
            "call_id": None if call is Select.NULL else uuid.UUID(str(call)),
            "note": self.query_one("#tally-complaint-note", FormInput).value,
        }

    def store(self, services: TallyServices, actor: Actor, values: Any) -> uuid.UUID:
        return services.quality.record_complaint(
            actor,
            self.operator_id,
            values["source"],
            values["note"],
            department=values["department"],
            call_id=values["call_id"],
        )


class PlanPicker(ModalScreen[uuid.UUID | None]):
    """Which pay plan an operator is paid on."""

    AREA = N_("Pay plan")
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="plan-pick.cancel")]
    NONE = "none"

    def __init__(self, name: str, plans: list[tuple[str, uuid.UUID]]) -> None:
        super().__init__()
        self.name_shown, self.plans = name, plans

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(_("Pay plan for {name}").format(name=self.name_shown)), classes="dialog-title"
            )
            yield OptionList(
                *(Option(plain(label), id=str(plan_id)) for label, plan_id in self.plans),
                Option(plain(_("No pay plan")), id=self.NONE),
                id="plan-options",
            )
        yield KeyBar()

    @on(OptionList.OptionSelected, "#plan-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        option = str(event.option.id)
        self.dismiss(None if option == self.NONE else uuid.UUID(option))

    def action_cancel(self) -> None:
        self.app.pop_screen()


class ExportForm(FormScreen[TallyServices, str]):
    """Where the period's payroll file goes; .csv or .xlsx decides the format."""

    AREA = N_("Export the period for payroll")
    FORM_ID = "tally-export-form"

    def __init__(self, period: Period, folder: Path) -> None:
        super().__init__()
        self.period = period
        self.folder = folder

    def compose_fields(self) -> Iterable[Widget]:
        name = f"{self.folder}/pay-{self.period.start:%Y-%m-%d}-{self.period.end:%Y-%m-%d}.xlsx"
        yield FormField(
            _("File (.xlsx or .csv)"), _field_input(name, "export-path", 400), name="path"
        )
        yield Static(
            _("One row per operator; in XLSX one sheet per operator's lines."), classes="hint"
        )

    def collect(self) -> str:
        return self.query_one("#tally-export-path", FormInput).value.strip()

    def store(self, services: TallyServices, actor: Actor, values: Any) -> str:
        path = Path(values).expanduser()
        kind = path.suffix.lower().lstrip(".")
        if path.parent == self.folder:
            private_folder(self.folder)  # the proposed folder is made on first use
        elif not path.parent.is_dir():
            raise ValidationFailed(
                {"path": _("No such folder: {folder}").format(folder=path.parent)}
            )
        result = services.tally_export.export(actor, self.period, path, kind)
        return ngettext(
            "{n} operator exported to {path}.",
            "{n} operators exported to {path}.",
            result.operators,
        ).format(n=result.operators, path=result.path)


class ClosePeriodForm(FormScreen[TallyServices, int]):
    """Closing a pay period writes its lines once; Ctrl+S closes it."""

    AREA = N_("Close the pay period")
    FORM_ID = "close-period-form"

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period

    def compose_fields(self) -> Iterable[Widget]:
        question = _(
            "Close {period} for payroll? Every operator's pay lines are written now "
            "and never change; a later cancellation is a line of a later period."
        )
        yield Static(plain(question.format(period=self.period.label())))
        yield FormField("", Static(""), name="period")

    def collect(self) -> Period:
        return self.period

    def store(self, services: TallyServices, actor: Actor, values: Any) -> int:
        return services.tally.close_period(actor, values)


class PickList(ModalScreen[str | None]):
    """A list to pick one entry from with Enter; Escape goes back."""

    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="pick.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_shown, self.options = title, options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_shown, multi_line=True), classes="dialog-title")
            yield OptionList(
                *(Option(plain(label), id=key) for label, key in self.options), id="pick-options"
            )
        yield KeyBar()

    @on(OptionList.OptionSelected, "#pick-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
