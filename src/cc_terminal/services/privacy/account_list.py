"""The team lead's list of accounts (who, which role, department and team, whether they
can sign in, when they last did) and the changes of department and team; every change
audited under the account's stored user name."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.config import PHONE_EXTENSION
from cc_terminal.i18n import N_, _
from cc_terminal.models import AuditEvent, ListKind, LoginThrottle, Operator, Role
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.sign_in_source import NameKeys
from cc_terminal.store.database import Database
from cc_terminal.sync import certs


@dataclass(frozen=True)
class AccountView:
    """One account as the team lead's list shows it."""

    username: str
    full_name: str
    role: str
    department: str
    team_lead: str  # the team lead's full name; "" for no team (every lead's)
    team_lead_username: str
    active: bool
    locked: bool  # waiting after wrong passwords, at some terminal
    must_change_password: bool
    last_sign_in: datetime | None
    operator_id: uuid.UUID
    chat_limit: int  # chats held at once (0: takes none); the team lead's to set
    phone_extension: str = ""  # the extension their calls ring on; "" the terminal's


ROLE_LABELS = {Role.OPERATOR.value: N_("operator"), Role.LEAD.value: N_("team lead")}


def state_words(view: AccountView) -> str:
    """What stands between the account and a sign-in, in words ("active" when nothing)."""
    if not view.active:
        return _("deactivated")
    words = [_("locked")] if view.locked else []
    if view.must_change_password:
        words.append(_("must change password"))
    return ", ".join(words) or _("active")


@refusals_audited
class AccountDirectory:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.names = NameKeys(db)

    def accounts(self, actor: Actor, *, include_inactive: bool = True) -> list[AccountView]:
        """Every person's account (service accounts are ``cc-terminal service``'s), by
        user name; for a team lead only."""
        _require_lead(actor)
        now = self.clock()
        with self.db.read() as session:
            people = list(
                session.scalars(
                    select(Operator)
                    .where(col(Operator.role) != certs.SERVICE)
                    .order_by(col(Operator.username))
                )
            )
            by_id: dict[uuid.UUID | None, Operator] = {person.id: person for person in people}
            last = _last_sign_ins(session)
            waiting = _waiting_names(session, now)
            return [
                _view(
                    person, by_id.get(person.team_lead_id), last, self._locked(person, waiting, now)
                )
                for person in people
                if include_inactive or person.active
            ]

    def set_department(self, actor: Actor, username: str, code: str) -> None:
        """The account's department, one of the departments in use."""
        _require_lead(actor)
        code = code.strip()
        with self.db.write(actor.operator_id) as session:
            operator = _person(session, username)
            if not lists_in(session).is_active(ListKind.DEPARTMENT, code):
                message = _("No such department: {code}.").format(code=code)
                raise ValidationFailed({"department": message})
            operator.department = code
            self._audit(session, actor, AuditKind.ACCOUNT_DEPARTMENT, operator.username, code)

    def set_team(self, actor: Actor, username: str, lead_username: str) -> None:
        """The team lead whose team the account is in; "" for no team (every lead's)."""
        _require_lead(actor)
        with self.db.write(actor.operator_id) as session:
            operator = _person(session, username)
            lead = _team_lead(session, operator, lead_username)
            operator.team_lead_id = lead.id if lead else None
            team = lead.username if lead else ""
            self._audit(session, actor, AuditKind.ACCOUNT_TEAM, operator.username, team)

    def set_extension(self, actor: Actor, username: str, extension: str) -> None:
        """The phone extension the account's calls ring on ("" for none: the terminal's
        own); one active account an extension."""
        _require_lead(actor)
        extension = extension.strip()
        if extension and not PHONE_EXTENSION.fullmatch(extension):
            message = _("1 to 16 letters, digits or + * # . _ -, such as 101.")
            raise ValidationFailed({"phone_extension": message})
        with self.db.write(actor.operator_id) as session:
            operator = _person(session, username)
            holder = extension_holder(session, extension) if extension else None
            if holder is not None and holder.id != operator.id:
                message = _("{ext} is the extension of {who}.").format(
                    ext=extension, who=holder.username
                )
                raise ValidationFailed({"phone_extension": message})
            if operator.phone_extension != extension:
                operator.phone_extension = extension
                kind = AuditKind.ACCOUNT_EXTENSION
                self._audit(session, actor, kind, operator.username, extension)

    def _audit(
        self, session: Session, actor: Actor, kind: AuditKind, subject: str, detail: str
    ) -> None:
        add_event(session, actor.operator_id, kind, subject, detail, at=self.clock())

    def _locked(self, person: Operator, waiting: set[str], now: datetime) -> bool:
        if person.locked_until is not None and person.locked_until > now:
            return True
        return bool(waiting) and self.names.stored(person.username) in waiting


def extension_holder(session: Session, extension: str) -> Operator | None:
    """The active account whose calls ring on ``extension``, if any."""
    query = select(Operator).where(col(Operator.phone_extension) == extension, col(Operator.active))
    return session.scalars(query.limit(1)).first()


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead manages accounts."))


def _view(
    person: Operator,
    lead: Operator | None,
    last: dict[uuid.UUID, datetime],
    locked: bool,
) -> AccountView:
    return AccountView(
        username=person.username,
        full_name=person.full_name,
        role=person.role,
        department=person.department,
        team_lead=lead.full_name if lead else "",
        team_lead_username=lead.username if lead else "",
        active=person.active,
        locked=locked,
        must_change_password=person.must_change_password,
        last_sign_in=last.get(person.id),
        operator_id=person.id,
        chat_limit=person.chat_limit,
        phone_extension=person.phone_extension,
    )


def _last_sign_ins(session: Session) -> dict[uuid.UUID, datetime]:
    query = (
        select(col(AuditEvent.actor_id), func.max(col(AuditEvent.at)))
        .where(col(AuditEvent.kind) == AuditKind.LOGIN_OK.value)
        .group_by(col(AuditEvent.actor_id))
    )
    return {row[0]: row[1] for row in session.execute(query) if row[0] is not None}


def _waiting_names(session: Session, now: datetime) -> set[str]:
    """The stored (keyed) names that wait after wrong passwords at some terminal."""
    query = select(col(LoginThrottle.username)).where(col(LoginThrottle.blocked_until) > now)
    return set(session.scalars(query))


def _person(session: Session, username: str) -> Operator:
    found = session.scalars(
        select(Operator).where(col(Operator.username) == username.strip().lower())
    ).first()
    if found is None or found.role == certs.SERVICE:
        raise NotFound(_("No such account."))
    return found


def _team_lead(session: Session, operator: Operator, username: str) -> Operator | None:
    name = username.strip().lower()
    if not name:
        return None
    lead = session.scalars(select(Operator).where(col(Operator.username) == name)).first()
    if lead is None or lead.role != Role.LEAD.value or not lead.active:
        message = _("{u} is not an active team lead.").format(u=username.strip())
        raise ValidationFailed({"team": message})
    if lead.id == operator.id:
        raise ValidationFailed({"team": _("An account cannot be in its own team.")})
    return lead
