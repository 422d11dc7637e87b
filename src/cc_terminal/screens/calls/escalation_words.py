"""How an escalation's status, steps and outcomes read on screen."""

from __future__ import annotations

from cc_terminal.i18n import _
from cc_terminal.models.escalation import EscalationStatus, StepKind
from cc_terminal.services.calls.escalation_steps import StepView

STATUS_WORDS = {
    EscalationStatus.OPEN.value: _("waiting"),
    EscalationStatus.TAKEN.value: _("taken"),
    EscalationStatus.RETURNED.value: _("handed back"),
    EscalationStatus.RESOLVED.value: _("resolved"),
}

OUTCOME_LABELS = {
    "solved": _("Solved on the call"),
    "credit": _("Credit or refund given"),
    "callback": _("The lead calls the customer back"),
    "complaint": _("Registered as a complaint"),
    "refused": _("Refused, with the reason explained"),
    "no_action": _("Nothing to do"),
}

STEP_WORDS = {
    StepKind.TAKEN.value: _("{name} took it"),
    StepKind.NOTE.value: _("{name}'s note"),
    StepKind.ADVICE.value: _("{name} handed it back with advice"),
    StepKind.RESOLVED.value: _("{name} resolved it"),
    StepKind.SEEN.value: _("{name} read the answer"),
}


def outcome_label(code: str) -> str:
    return OUTCOME_LABELS.get(code, code)


def step_line(step: StepView) -> str:
    return STEP_WORDS.get(step.kind, step.kind).format(name=step.actor_name)


def answer_line(step: StepView | None) -> str:
    """The lead's latest answer in one line for a list: the outcome and the words."""
    if step is None:
        return ""
    if step.kind == StepKind.RESOLVED.value:
        outcome = outcome_label(step.outcome)
        return f"{outcome}: {step.text}" if step.text else outcome
    return step.text
