"""A team lead's step on an escalation: a note, advice handed back to the operator, or
the outcome (a digit picks it) with a note. Enter on the words saves, as Ctrl+S does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models.escalation import StepKind
from cc_terminal.screens.calls.escalation_words import outcome_label
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.services.calls.escalation_steps import OUTCOMES
from cc_terminal.services.calls.escalations import EscalationDetail
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FieldName, FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain


class StepField(FieldName):
    OUTCOME = "outcome"
    TEXT = "text"


@dataclass(frozen=True)
class StepValues:
    outcome: str
    text: str


TITLES = {
    StepKind.NOTE: N_("A note on {customer}'s escalation (what was done, for the history)"),
    StepKind.ADVICE: N_("Hand back to {operator} with your advice"),
    StepKind.RESOLVED: N_("Resolve {customer}'s escalation: the outcome, and a note"),
}
TEXT_LABELS = {
    StepKind.NOTE: N_("Note"),
    StepKind.ADVICE: N_("Advice for the operator"),
    StepKind.RESOLVED: N_("Note (optional)"),
}


class EscalationStepForm(FormScreen[CallsServices, EscalationDetail]):
    AREA = N_("Escalation")
    FORM_ID = "escalation-step"
    BINDINGS = [
        Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, len(OUTCOMES) + 1)
    ]

    def __init__(self, detail: EscalationDetail, kind: StepKind) -> None:
        super().__init__()
        self.detail = detail
        self.kind = kind

    def title_text(self) -> str:
        escalation = self.detail.escalation
        return _(TITLES[self.kind]).format(
            customer=escalation.customer_name, operator=escalation.operator_name
        )

    def compose_fields(self) -> Iterable[Widget]:
        if self.kind is StepKind.RESOLVED:
            options = [
                Option(plain(f"{n}  {outcome_label(code)}"), id=code)
                for n, code in enumerate(OUTCOMES, 1)
            ]
            yield FormField(
                _("Outcome (its digit, or arrows)"),
                OptionList(*options, id="step-outcome"),
                name=StepField.OUTCOME,
            )
        yield FormField(
            _(TEXT_LABELS[self.kind]),
            FormInput(id="step-text", max_length=limits.NOTES),
            name=StepField.TEXT,
        )

    def on_mount(self) -> None:
        first = "#step-outcome" if self.kind is StepKind.RESOLVED else "#step-text"
        self.set_focus(self.query_one(first))

    def action_pick(self, number: int) -> None:
        """A digit picks the outcome and moves on to the note."""
        if self.kind is StepKind.RESOLVED:
            self.query_one("#step-outcome", OptionList).highlighted = number - 1
            self.set_focus(self.query_one("#step-text", Input))

    @on(OptionList.OptionSelected, "#step-outcome")
    def outcome_chosen(self) -> None:
        self.set_focus(self.query_one("#step-text", Input))

    @on(Input.Submitted, "#step-text")
    def words_entered(self) -> None:
        self.action_save()

    def collect(self) -> StepValues:
        outcome = ""
        if self.kind is StepKind.RESOLVED:
            index = self.query_one("#step-outcome", OptionList).highlighted
            outcome = OUTCOMES[index] if index is not None else ""
        return StepValues(outcome, self.query_one("#step-text", Input).value)

    def store(self, services: CallsServices, actor: Actor, values: StepValues) -> EscalationDetail:
        escalation_id = self.detail.escalation.id
        if self.kind is StepKind.NOTE:
            return services.escalations.add_note(actor, escalation_id, values.text)
        if self.kind is StepKind.ADVICE:
            return services.escalations.hand_back(actor, escalation_id, values.text)
        return services.escalations.resolve(actor, escalation_id, values.outcome, values.text)
