"""What a leaver's deactivation passes on besides the account: their open leads and the
callbacks they agreed (outbound's), their work sessions still open (the tally's), the
members of their team when a team lead leaves. Privacy names the work it needs in
``LeaverWork``; the composition root (services/leaving.py) gives it the other domains'
steps, so the whole deactivation is one signed write while the domains stay apart."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Operator, Role
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.sync import certs


@dataclass(frozen=True)
class HandedOver:
    """What a leaver held and where it goes: ``heir`` is a user name, or "" for the
    campaigns' pools (a callback they agreed is then anyone's in the campaign when due)."""

    heir: str = ""
    leads: int = 0
    callbacks: int = 0
    sessions: int = 0
    members: int = 0

    def detail(self) -> str:
        """The audit event's words: account names and counts only."""
        return (
            f"handover={self.heir or 'pool'} leads={self.leads} callbacks={self.callbacks} "
            f"sessions={self.sessions} members={self.members}"
        )


class LeaverWork(Protocol):
    """The other domains' part of a deactivation, inside its write."""

    def held(self, session: Session, leaver: uuid.UUID) -> tuple[int, int]:
        """The open leads a person holds, and of them the callbacks they agreed."""
        ...

    def hand_over(
        self, session: Session, leaver: uuid.UUID, heir: uuid.UUID | None, at: datetime
    ) -> HandedOver:
        """Leads and callbacks to ``heir`` (None: the pools); open sessions end at ``at``."""
        ...


class NoLeaverWork:
    """For a database with no other domain to hand over to (nothing held)."""

    def held(self, session: Session, leaver: uuid.UUID) -> tuple[int, int]:
        return 0, 0

    def hand_over(
        self, session: Session, leaver: uuid.UUID, heir: uuid.UUID | None, at: datetime
    ) -> HandedOver:
        return HandedOver()


def checked_heir(session: Session, leaver: Operator, username: str) -> Operator | None:
    """The colleague who takes the leaver's work over, or None for the pools."""
    name = username.strip().lower()
    if not name:
        return None
    heir = session.scalars(select(Operator).where(col(Operator.username) == name)).first()
    if heir is None or heir.role == certs.SERVICE:
        raise ValidationFailed({"heir": _("No such account: {u}.").format(u=username.strip())})
    if heir.id == leaver.id:
        raise ValidationFailed({"heir": _("Choose someone other than the leaver.")})
    if not heir.active:
        raise ValidationFailed({"heir": _("{u} is not active.").format(u=heir.username)})
    return heir


def team_members(session: Session, lead: uuid.UUID) -> int:
    query = select(func.count()).where(
        col(Operator.team_lead_id) == lead, col(Operator.active).is_(True)
    )
    return int(session.scalar(query) or 0)


def pass_team(session: Session, leaver: Operator, heir: Operator | None) -> int:
    """A leaving team lead's team goes to the heir when the heir leads, else to no team
    (every lead's); returns how many active members it had."""
    members = team_members(session, leaver.id)
    new_lead = heir.id if heir is not None and heir.role == Role.LEAD.value else None
    # row by row: each change is an op of the one write path
    for member in session.scalars(select(Operator).where(col(Operator.team_lead_id) == leaver.id)):
        member.team_lead_id = new_lead
    return members
