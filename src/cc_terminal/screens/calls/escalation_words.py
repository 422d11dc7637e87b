"""How an escalation's status, steps and outcomes read on screen."""

from __future__ import annotations

from cc_terminal.i18n import N_, _
from cc_terminal.models.escalation import EscalationStatus, StepKind
from cc_terminal.services.calls.escalation_steps import StepView

STATUS_WORDS = {
    EscalationStatus.OPEN.value: N_("waiting"),
    EscalationStatus.TAKEN.value: N_("taken"),
    EscalationStatus.RETURNED.value: N_("handed back"),
    EscalationStatus.RESOLVED.value: N_("resolved"),
}

OUTCOME_LABELS = {
    "solved": N_("Solved on the call"),
    "credit": N_("Credit or refund given"),
    "callback": N_("The lead calls the customer back"),
    "complaint": N_("Registered as a complaint"),
    "refused": N_("Refused, with the reason explained"),
    "no_action": N_("Nothing to do"),
}

STEP_WORDS = {
    StepKind.TAKEN.value: N_("{name} took it"),
    StepKind.NOTE.value: N_("{name}'s note"),
    StepKind.ADVICE.value: N_("{name} handed it back with advice"),
    StepKind.RESOLVED.value: N_("{name} resolved it"),
    StepKind.SEEN.value: N_("{name} read the answer"),
}


def status_word(status: str) -> str:
    """An escalation's status in words (a status this version does not know: as stored)."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def outcome_label(code: str) -> str:
    return _(OUTCOME_LABELS[code]) if code in OUTCOME_LABELS else code


def step_line(step: StepView) -> str:
    if step.kind not in STEP_WORDS:
        return step.kind
    return _(STEP_WORDS[step.kind]).format(name=step.actor_name)


def answer_line(step: StepView | None) -> str:
    """The lead's latest answer in one line for a list: the outcome and the words."""
    if step is None:
        return ""
    if step.kind == StepKind.RESOLVED.value:
        outcome = outcome_label(step.outcome)
        return f"{outcome}: {step.text}" if step.text else outcome
    return step.text
