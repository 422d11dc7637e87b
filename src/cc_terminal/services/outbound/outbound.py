"""Working the outbound list: the operator's leads, the next one to call (claimed so nobody
else calls it), its card with the script and the legal basis, and closing it with a
disposition, a refusal reason and the next step, all stored in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    Customer,
    Lead,
    LeadAttempt,
    LeadStatus,
    Operator,
    SurveyAnswer,
    Temperature,
)
from cc_terminal.models.lead import HEAT
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound import lead_cards
from cc_terminal.services.outbound.callback_time import CallbackTimeError
from cc_terminal.services.outbound.callback_window import place_callback
from cc_terminal.services.outbound.calling_rules import (
    LegalBasis,
    is_rest_day,
    legal_basis,
    within_hours,
)
from cc_terminal.services.outbound.campaigns import DispositionView, dispositions_of
from cc_terminal.services.outbound.consents import object_to_calls, standings
from cc_terminal.services.outbound.dialling import outcome_of, phone_closing
from cc_terminal.services.outbound.lead_closing import (
    check_refusal,
    checked_answers,
    disposition_of,
    move_on,
    store_call,
)
from cc_terminal.services.outbound.lead_list import (
    WORKING,
    active_campaigns,
    due_callbacks,
    list_leads,
)
from cc_terminal.services.outbound.lead_pick import Pick, ZoneCache, claim, hours_of, pick, release
from cc_terminal.services.outbound.views import Closed, Closing, LeadCard, LeadFilter, LeadRow
from cc_terminal.store.database import Database, retry_when_busy

NEXT_TEMPERATURE = {"cold": "warm", "warm": "hot", "hot": "cold"}


@refusals_audited
class OutboundService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        timezone: str,
        zones: ZoneCache | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.zones = zones or ZoneCache()

    def warm_up(self) -> None:
        """Load the holiday calendars (about 50 ms of imports) and the pick's zone pairs
        now, when the screen opens, not in the operator's first pick."""
        is_rest_day(self.clock().date())
        with self.db.read() as session:
            self.zones.pairs(session)

    # -- the list ----------------------------------------------------------------------

    def my_leads(self, actor: Actor, wanted: LeadFilter | None = None) -> tuple[LeadRow, ...]:
        """The operator's leads, due callbacks first, then in the order they come next."""
        with self.db.read() as session:
            return list_leads(session, actor.operator_id, wanted or LeadFilter(), self.clock())

    def callbacks_due(self, actor: Actor) -> int:
        with self.db.read() as session:
            return due_callbacks(session, actor.operator_id, self.clock())

    # -- taking a lead ----------------------------------------------------------------

    def next_lead(self, actor: Actor) -> LeadCard | None:
        """Claim the lead to call next and return its card; None when nothing is callable.
        A store busy with other terminals' writes is waited out (bounded), as every claim."""
        return retry_when_busy(lambda: self._next_lead(actor))

    def _next_lead(self, actor: Actor) -> LeadCard | None:
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            found = self._claim(session, actor, now)
            if found is None:
                return None
            return lead_cards.build(session, actor, found.lead, found.why, now)

    def claim_next(self, actor: Actor) -> uuid.UUID | None:
        """Only the claim (no card): the id of the lead now held for this operator."""
        return retry_when_busy(lambda: self._claim_next(actor))

    def _claim_next(self, actor: Actor) -> uuid.UUID | None:
        with self.db.write(actor.operator_id) as session:
            found = self._claim(session, actor, self.clock())
            return found.lead.id if found else None

    def _claim(self, session: Session, actor: Actor, now: datetime) -> Pick | None:
        campaigns = active_campaigns(session)
        found = pick(session, actor.operator_id, campaigns, self.zones, now)
        session.flush()
        return found

    def open_lead(self, actor: Actor, lead_id: uuid.UUID) -> LeadCard:
        """A lead chosen from the list. It is claimed when it may be called now; a blocked
        one (no legal basis, or outside its calling hours) opens all the same, with the
        reason, so the operator can fix it (a consent)."""
        return retry_when_busy(lambda: self._open_lead(actor, lead_id))

    def _open_lead(self, actor: Actor, lead_id: uuid.UUID) -> LeadCard:
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            lead = _lead(session, lead_id)
            _check_may_work(session, lead, actor, now)
            if lead.status in WORKING and _may_call(session, lead, now):
                claim(lead, actor.operator_id, now)
            session.flush()
            return lead_cards.build(session, actor, lead, _("You chose it from your list."), now)

    def release(self, actor: Actor, lead_id: uuid.UUID) -> None:
        """Give a claimed lead back without calling it."""
        retry_when_busy(lambda: self._release(actor, lead_id))

    def _release(self, actor: Actor, lead_id: uuid.UUID) -> None:
        with self.db.write(actor.operator_id) as session:
            lead = _lead(session, lead_id)
            if lead.status == LeadStatus.CALLING and lead.claimed_by == actor.operator_id:
                release(lead)

    def set_temperature(self, actor: Actor, lead_id: uuid.UUID, temperature: str) -> str:
        """Make a lead cold, warm or hot (it changes its place in the pick and, for a sales
        campaign, its legal basis). Operators change their own working leads; a team lead
        any working lead. Returns the customer's name, for the message."""
        if temperature not in set(Temperature):
            raise ValidationFailed({"temperature": _("cold, warm or hot.")})
        name, _now = self._change_temperature(actor, lead_id, lambda _was: temperature)
        return name

    def warmer(self, actor: Actor, lead_id: uuid.UUID) -> tuple[str, str]:
        """One step warmer (cold, warm, hot, then cold again), from the stored temperature,
        so keys pressed in a row each make one step. Returns the name and the temperature."""
        return self._change_temperature(actor, lead_id, lambda was: NEXT_TEMPERATURE[was])

    def _change_temperature(
        self, actor: Actor, lead_id: uuid.UUID, to: Callable[[str], str]
    ) -> tuple[str, str]:
        with self.db.write(actor.operator_id) as session:
            lead = _lead(session, lead_id)
            if not actor.is_lead and lead.assigned_to != actor.operator_id:
                raise PermissionDenied(_("Only a team lead changes leads that are not yours."))
            if lead.status not in WORKING:
                raise ConflictError(_("This lead is closed; its temperature stays."))
            lead.temperature = to(lead.temperature)
            lead.heat = HEAT[lead.temperature]
            lead.updated_at = self.clock()
            customer = session.get(Customer, lead.customer_id)
            return (customer.full_name if customer else ""), lead.temperature

    # -- closing ------------------------------------------------------------------------

    def close(self, actor: Actor, closing: Closing) -> Closed:
        now = self.clock()
        form = FormErrors()
        notes = form.text("notes", closing.notes, limits.NOTES)
        refusal_note = form.text("refusal_note", closing.refusal_note, limits.SHORT_NOTE)
        with self.db.write(actor.operator_id) as session:
            lead = _lead(session, closing.lead_id)
            _check_holds(session, lead, actor, now)
            campaign = session.get(Campaign, lead.campaign_id)
            assert campaign is not None
            disposition = disposition_of(form, session, campaign.id, closing.disposition)
            _check_legal(session, lead, campaign, min(closing.started_at, now))
            check_refusal(form, session, disposition, closing.refusal_reason, refusal_note)
            callback_at = self._callback(form, lead, campaign, disposition, closing, now)
            answers = checked_answers(form, session, campaign.id, disposition, closing.answers)
            form.raise_if_any()
            assert disposition is not None
            store_call(session, actor, lead, campaign, disposition, closing, notes, now)
            note = refusal_note or notes
            session.add(_attempt(actor, lead, disposition, closing, note, callback_at, now))
            move_on(lead, campaign, disposition, closing, callback_at, now, actor.operator_id)
            if disposition.dnc:
                object_to_calls(session, actor, lead.phone_e164, now, closing.call_id)
            lead_cards.record_offer(session, actor, lead, campaign, disposition, closing, now)
            session.add_all(_answers(actor, lead, campaign, closing, answers, now))
            return Closed(lead.id, lead.status, lead.next_attempt_at, lead.callback_at)

    def close_unanswered(
        self, actor: Actor, closing: Closing, sip_code: int | None, cancelled: bool
    ) -> Closed | None:
        """Close a dialled lead's attempt by the phone's result, nobody having talked
        (services/outbound/dialling.py maps it); None when the result is for the operator
        to judge (an unknown code). ``cancelled``: our ring timeout hung up (no answer)."""
        outcome = outcome_of(sip_code, cancelled)
        if outcome is None:
            return None
        with self.db.read() as session:
            dispositions = dispositions_of(session, _lead(session, closing.lead_id).campaign_id)
        return self.close(actor, phone_closing(closing, outcome, sip_code, dispositions))

    def _callback(
        self,
        form: FormErrors,
        lead: Lead,
        campaign: Campaign,
        disposition: DispositionView | None,
        closing: Closing,
        now: datetime,
    ) -> datetime | None:
        """The callback as typed, moved into the campaign's calling window when outside."""
        hours = hours_of(campaign, lead.time_zone)
        try:
            placed = place_callback(closing.callback, now, self.timezone, hours)
        except CallbackTimeError as error:
            form.add("callback", str(error))
            return None
        if disposition is not None and disposition.callback and placed is None:
            form.add("callback", _("When should they be called back? +2h, tomorrow 10:00 ..."))
        if disposition is not None and disposition.final and placed is not None:
            form.add(
                "callback", _("{label} ends the lead: no callback.").format(label=disposition.label)
            )
        return placed.at if placed else None


def _attempt(
    actor: Actor,
    lead: Lead,
    disposition: DispositionView,
    closing: Closing,
    note: str,
    next_at: datetime | None,
    now: datetime,
) -> LeadAttempt:
    """The attempt a closed call leaves on the lead."""
    return LeadAttempt(
        lead_id=lead.id,
        campaign_id=lead.campaign_id,
        customer_id=lead.customer_id,
        operator_id=actor.operator_id,
        call_id=closing.call_id,
        at=now,
        disposition=disposition.code,
        refusal_reason=closing.refusal_reason if disposition.refusal else "",
        note=note,
        next_at=next_at,
    )


def _answers(
    actor: Actor,
    lead: Lead,
    campaign: Campaign,
    closing: Closing,
    answers: dict[str, str],
    now: datetime,
) -> list[SurveyAnswer]:
    """The survey answers given on the call, one row each."""
    return [
        SurveyAnswer(
            campaign_id=campaign.id,
            lead_id=lead.id,
            call_id=closing.call_id,
            question_code=question,
            value=value,
            operator_id=actor.operator_id,
            at=now,
        )
        for question, value in answers.items()
    ]


def _lead(session: Session, lead_id: uuid.UUID) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(_("No such lead."))
    return lead


def _holder_name(session: Session, operator_id: uuid.UUID | None) -> str:
    operator = session.get(Operator, operator_id) if operator_id else None
    return operator.full_name if operator else _("someone")


def _check_may_work(session: Session, lead: Lead, actor: Actor, now: datetime) -> None:
    me = actor.operator_id
    if lead.assigned_to not in (None, me) and not _open_callback(lead, me, now):
        name = _holder_name(session, lead.assigned_to)
        raise PermissionDenied(_("This lead is {name}'s.").format(name=name))
    held = lead.status == LeadStatus.CALLING and lead.claimed_until and lead.claimed_until > now
    if held and lead.claimed_by != me:
        name = _holder_name(session, lead.claimed_by)
        raise ConflictError(_("{name} is calling them now.").format(name=name))


def _open_callback(lead: Lead, me: uuid.UUID, now: datetime) -> bool:
    if lead.callback_at is None or lead.callback_at > now:
        return False
    released = lead.callback_released_at is not None and lead.callback_released_at <= now
    return lead.callback_by == me or not lead.callback_personal or released


def _check_holds(session: Session, lead: Lead, actor: Actor, now: datetime) -> None:
    """Only the operator working the lead closes it (a lapsed lease is still theirs unless
    somebody else took the lead since)."""
    if lead.status not in WORKING:
        raise ConflictError(_("This lead is closed already."))
    _check_may_work(session, lead, actor, now)


def _may_call(session: Session, lead: Lead, at: datetime) -> bool:
    campaign = session.get(Campaign, lead.campaign_id)
    assert campaign is not None
    return _basis(session, lead, campaign, at).allowed


def _basis(session: Session, lead: Lead, campaign: Campaign, at: datetime) -> LegalBasis:
    """The legal basis, then the calling window at ``at``: either can forbid the call."""
    standing = standings(session, [lead.phone_e164])[lead.phone_e164]
    objected = standing.objected_at is not None
    basis = legal_basis(campaign.kind, lead.temperature, standing.consented, objected)
    return within_hours(basis, hours_of(campaign, lead.time_zone), at)


def _check_legal(session: Session, lead: Lead, campaign: Campaign, started_at: datetime) -> None:
    """A call is closed when it was allowed as it began (one begun at 19:58 ends at 20:03)."""
    basis = _basis(session, lead, campaign, started_at)
    if not basis.allowed:
        raise ValidationFailed({"lead": basis.reason})
