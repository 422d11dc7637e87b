"""A team lead moves an operator's working leads to another operator (someone is ill,
or left). Each move raises the lead's assignment epoch, so on a floor folder a terminal
that had not heard of the move cannot win the lead back with a later clock. A leaver's
leads and callbacks pass on inside the deactivation's own write (``hand_over``)."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Campaign, Lead, LeadStatus, Operator
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.lead_pick import release
from cc_terminal.store.database import Database

# Leads still to be worked; closed ones keep the operator who closed them.
OPEN = (LeadStatus.OPEN.value, LeadStatus.CALLBACK.value, LeadStatus.CALLING.value)


@refusals_audited
class LeadAssignment:
    def __init__(self, db: Database) -> None:
        self.db = db

    def reassign(self, actor: Actor, from_user: str, to_user: str, campaign_code: str = "") -> int:
        """Move the open leads of ``from_user`` (of one campaign, or all) to ``to_user``."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead reassigns leads."))
        with self.db.write(actor.operator_id) as session:
            source, target = _operator(session, from_user), _operator(session, to_user)
            if source.id == target.id:
                raise ValidationFailed({"to": _("Choose another operator.")})
            if not target.active:
                raise ValidationFailed({"to": _("{u} is not active.").format(u=to_user)})
            query = select(Lead).where(
                col(Lead.assigned_to) == source.id, col(Lead.status).in_(OPEN)
            )
            if campaign_code:
                campaign = session.scalars(
                    select(Campaign).where(col(Campaign.code) == campaign_code)
                ).first()
                if campaign is None:
                    raise NotFound(_("No campaign {code}.").format(code=campaign_code))
                query = query.where(col(Lead.campaign_id) == campaign.id)
            leads = session.scalars(query).all()
            for lead in leads:
                lead.assigned_to = target.id
                lead.assignment_epoch += 1
                if lead.callback_by == source.id:
                    lead.callback_by = target.id
                if lead.status == LeadStatus.CALLING.value:
                    release(lead)
            return len(leads)


def _move(lead: Lead, source: uuid.UUID, target: uuid.UUID | None) -> None:
    """A leaver's lead to ``target`` (None: the campaign's pool); a callback ``source``
    agreed goes with it, or, to the pool, to whoever in the campaign is free when it is
    due; a call ``source`` held is given back."""
    if lead.assigned_to == source:
        lead.assigned_to = target
        lead.assignment_epoch += 1
    if lead.callback_by == source:
        lead.callback_by = target
        if target is None:
            lead.callback_personal = False
    if lead.status == LeadStatus.CALLING.value and lead.claimed_by == source:
        release(lead)


def _held_by(operator: uuid.UUID) -> Select[Lead]:
    return select(Lead).where(
        col(Lead.status).in_(OPEN),
        or_(
            col(Lead.assigned_to) == operator,
            col(Lead.callback_by) == operator,
            col(Lead.claimed_by) == operator,
        ),
    )


def held(session: Session, operator: uuid.UUID) -> tuple[int, int]:
    """The open leads an operator holds, and of them the callbacks they agreed."""
    leads = _held_by(operator).subquery()
    query = select(
        func.count(),
        func.count().filter(leads.c.status == LeadStatus.CALLBACK.value),
    ).select_from(leads)
    row = session.execute(query).one()
    return int(row[0]), int(row[1])


def hand_over(session: Session, leaver: uuid.UUID, heir: uuid.UUID | None) -> tuple[int, int]:
    """A leaver's open leads and callbacks to ``heir``, or back to their campaigns' pools
    (None); returns how many leads moved, and of them callbacks."""
    moved = held(session, leaver)
    for lead in session.scalars(_held_by(leaver)).all():
        _move(lead, leaver, heir)
    return moved


def _operator(session: Session, username: str) -> Operator:
    found = session.scalars(select(Operator).where(col(Operator.username) == username)).first()
    if found is None:
        raise NotFound(_("No account {u}.").format(u=username))
    return found
