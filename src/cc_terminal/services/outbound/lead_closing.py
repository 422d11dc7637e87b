"""Closing a lead, the checks and the writes beside the outcome: the disposition of the
campaign, a refusal's reason, the survey's answers on the path taken, the outbound call,
and the lead's next step (done, exhausted, a retry after the gap, or a callback)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cc_terminal.data.codes import RefusalReason
from cc_terminal.i18n import _
from cc_terminal.models import Call, Campaign, Lead, LeadStatus
from cc_terminal.models.reference import ListKind
from cc_terminal.services.common.errors import ConflictError, ValidationFailed
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.campaigns import DispositionView, dispositions_of
from cc_terminal.services.outbound.surveys import path_answers, questions_of
from cc_terminal.services.outbound.views import Closing


def disposition_of(
    form: FormErrors, session: Session, campaign_id: uuid.UUID, code: str
) -> DispositionView | None:
    found = next((d for d in dispositions_of(session, campaign_id) if d.code == code), None)
    if found is None:
        form.add("disposition", _("Unknown disposition: {code}.").format(code=code or "—"))
    return found


def check_refusal(
    form: FormErrors,
    session: Session,
    disposition: DispositionView | None,
    reason: str,
    note: str,
) -> None:
    if disposition is None or not disposition.refusal:
        return
    if not reason:
        form.add("refusal_reason", _("Why did they refuse? Choose a reason."))
    elif not lists_in(session).is_active(ListKind.REFUSAL_REASON, reason):
        form.add("refusal_reason", _("Unknown reason: {code}.").format(code=reason))
    elif reason == RefusalReason.OTHER and not note:
        form.add("refusal_note", _("Say why, in a few words."))


def checked_answers(
    form: FormErrors,
    session: Session,
    campaign_id: uuid.UUID,
    disposition: DispositionView | None,
    answers: dict[str, str],
) -> dict[str, str]:
    """Answers are kept when the person was reached and the campaign asks questions; a
    completed survey (a success) must answer every required question on its path."""
    questions = questions_of(session, campaign_id)
    if not questions or disposition is None or not disposition.contact:
        return {}
    if not disposition.success and not any(value.strip() for value in answers.values()):
        return {}
    try:
        return path_answers(questions, answers)
    except ValidationFailed as failed:
        for code, message in failed.errors.items():
            form.add(f"answer:{code}", message)
        return {}


def store_call(
    session: Session,
    actor: Actor,
    lead: Lead,
    campaign: Campaign,
    disposition: DispositionView,
    closing: Closing,
    notes: str,
    now: datetime,
) -> None:
    if session.get(Call, closing.call_id) is not None:
        raise ConflictError(_("This call was saved already."))
    answered_at, talk_seconds = _talk(closing, disposition, now)
    session.add(
        Call(
            id=closing.call_id,
            direction="out",
            operator_id=actor.operator_id,
            customer_id=lead.customer_id,
            phone_e164=lead.phone_e164,
            started_at=min(closing.started_at, now),
            answered_at=answered_at,
            ended_at=now,
            reason=campaign.code,
            outcome=disposition.code,
            notes=notes,
            talk_seconds=talk_seconds,
        )
    )


def _talk(
    closing: Closing, disposition: DispositionView, now: datetime
) -> tuple[datetime | None, int]:
    """When the call was answered and its talk time: from the phone's answer to its
    hang-up (or to now, still talking) for a call dialled by the softphone; else from the
    card's opening to the closing, as typed calls always were."""
    if closing.by_phone:
        if closing.answered_at is None:
            return None, 0
        answered = min(closing.answered_at, now)
        ended = min(closing.hung_up_at or now, now)
        return answered, max(0, round((ended - answered).total_seconds()))
    started = min(closing.started_at, now)
    talk = max(0, round((now - closing.started_at).total_seconds()))
    return (started if disposition.contact else None), talk


def move_on(
    lead: Lead,
    campaign: Campaign,
    disposition: DispositionView,
    closing: Closing,
    callback_at: datetime | None,
    now: datetime,
    operator_id: uuid.UUID,
) -> None:
    lead.attempts += 1
    lead.last_disposition = disposition.code
    lead.last_attempt_at = now
    lead.claimed_by = None
    lead.claimed_until = None
    lead.updated_at = now
    lead.version += 1
    lead.callback_at = callback_at
    lead.callback_released_at = None
    if callback_at is not None:
        lead.status = LeadStatus.CALLBACK.value
        lead.next_attempt_at = callback_at
        lead.callback_personal = closing.callback_personal
        lead.callback_asked = False  # no exception any more: callbacks keep the window
        lead.callback_by = operator_id
        if closing.callback_personal:
            release = timedelta(minutes=campaign.callback_release_minutes)
            lead.callback_released_at = callback_at + release
    elif disposition.final:
        lead.status = (LeadStatus.UNWORKABLE if disposition.unworkable else LeadStatus.DONE).value
        lead.next_attempt_at = None
    elif lead.attempts >= campaign.max_attempts:
        lead.status = LeadStatus.EXHAUSTED.value
        lead.next_attempt_at = None
    else:
        lead.status = LeadStatus.OPEN.value
        lead.next_attempt_at = now + timedelta(minutes=campaign.retry_minutes)
