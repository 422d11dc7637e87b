"""A team lead's account decisions that change what the floor trusts: a password reset
(a new key pair the lead vouches for, the old one revoked), a role, a deactivation; and
the floor-wide steps of ``floor create``, ``floor upgrade`` and ``floor recover``.

Every one writes the account change and its certificate in one signed write, so the
floor learns both together or neither."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import AccountKey, LoginThrottle, Operator, Role
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import (
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.account_keys import give_key, issue, revoke_old, set_password
from cc_terminal.services.privacy.leavers import (
    HandedOver,
    LeaverWork,
    NoLeaverWork,
    checked_heir,
    pass_team,
    team_members,
)
from cc_terminal.services.privacy.password_check import checked
from cc_terminal.services.privacy.service_identity import granted_scope
from cc_terminal.services.privacy.sign_in_source import NameKeys
from cc_terminal.store.database import Database
from cc_terminal.store.outbox import json_value
from cc_terminal.sync import certs

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class Handed:
    """A temporary password to hand to its owner (printed once, never stored)."""

    username: str
    password: str


def temporary_password() -> str:
    """A password a team lead hands over; its owner changes it at the first sign-in."""
    return secrets.token_urlsafe(9)


@refusals_audited
class AccountAdmin:
    def __init__(
        self, db: Database, clock: Callable[[], datetime], leaving: LeaverWork | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.leaving: LeaverWork = leaving or NoLeaverWork()

    def reset_password(self, actor: Actor, username: str, password: str) -> None:
        """A lost or stolen password: a new one (changed at the first sign-in) and a new
        key pair; ops the old key signs from now on are refused on the floor."""
        if not limits.MIN_PASSWORD <= len(password) <= limits.PASSWORD:
            message = _("At least {n} characters.").format(n=limits.MIN_PASSWORD)
            raise ValidationFailed({"password": message})
        with self._as_lead(actor) as (session, lead_key):
            operator = _person(session, username)
            self._new_key(session, operator, password, lead_key, str(actor.operator_id))
            self._audit(session, actor, AuditKind.ACCOUNT_PASSWORD_RESET, operator.username)

    def reset_to_temporary(self, actor: Actor, username: str) -> Handed:
        """A reset to a password made here, shown once to hand over (the Setup screen)."""
        password = temporary_password()
        self.reset_password(actor, username, password)
        with self.db.read() as session:
            return Handed(_account(session, username).username, password)

    def set_role(self, actor: Actor, username: str, role: str) -> None:
        if role not in {r.value for r in Role}:
            raise ValidationFailed({"role": _("Role must be operator or lead.")})
        with self._as_lead(actor) as (session, lead_key):
            operator = _person(session, username)
            operator.role = role
            if operator.public_key:
                issue(session, lead_key, str(actor.operator_id), operator)
            self._audit(session, actor, AuditKind.ACCOUNT_ROLE, f"{operator.username} {role}")

    def deactivate(self, actor: Actor, username: str, heir: str = "") -> HandedOver:
        """The account signs in nowhere any more; its key is revoked from this moment (its
        earlier ops stay valid). Its open leads and the callbacks it agreed go to ``heir``
        (or back to the campaigns' pools), its open work sessions end, and a leaving team
        lead's team passes to the heir if the heir leads (else to no team)."""
        with self._as_lead(actor) as (session, lead_key):
            operator = _account(session, username)
            if operator.id == actor.operator_id:
                raise PermissionDenied(_("A team lead cannot deactivate their own account."))
            taker = checked_heir(session, operator, heir)
            operator.active = False
            if operator.public_key:
                issue(session, lead_key, str(actor.operator_id), operator, certs.REVOKE)
            moved = self.leaving.hand_over(
                session, operator.id, taker.id if taker else None, self.clock()
            )
            members = pass_team(session, operator, taker)
            done = replace(moved, heir=taker.username if taker else "", members=members)
            self.db.keyring.forget(operator.id)  # signed in here too: nothing more is signed
            self._audit(
                session, actor, AuditKind.ACCOUNT_DEACTIVATED, operator.username, done.detail()
            )
            return done

    def held(self, actor: Actor, username: str) -> HandedOver:
        """What deactivating the account would pass on (the confirmation names it)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead manages accounts."))
        with self.db.read() as session:
            operator = _account(session, username)
            leads, callbacks = self.leaving.held(session, operator.id)
            return HandedOver(
                leads=leads, callbacks=callbacks, members=team_members(session, operator.id)
            )

    # -- the floor's own steps --------------------------------------------------------

    def own_key(self, actor: Actor, password: str) -> Ed25519PrivateKey:
        """The lead's open key; a lead of an older database gets one now (``floor create``
        and ``floor upgrade`` make it the floor's root)."""
        key = self.db.keyring.get(actor.operator_id)
        if key is not None:
            return key
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead manages accounts."))
        with self.db.write(actor.operator_id) as session:
            operator = session.get(Operator, actor.operator_id)
            if operator is None:
                raise NotFound(_("No such account."))
            found = checked(operator.password_hash, password)
            if not found.ok:
                raise InvalidCredentials()
            key = give_key(operator, found.sealing or set_password(operator, password))
        self.db.keyring.put(actor.operator_id, key)
        return key

    def certificates(self) -> list[dict[str, Any]]:
        """Every certificate here, as ops carry them (for floor.json)."""
        with self.db.connect() as connection:
            rows = connection.execute(select(AccountKey.__table__))  # type: ignore[attr-defined]
            return [{k: json_value(v) for k, v in row._mapping.items()} for row in rows]

    def vouch_all(self, actor: Actor) -> list[str]:
        """``floor create``: the creating lead's key is the floor's root; it vouches for
        every active account with a key. Returns the accounts that have none yet (they
        work on the floor after a password reset)."""
        with self._as_lead(actor) as (session, lead_key):
            keyless = []
            for operator in _active(session):
                if operator.role == certs.SERVICE:
                    _vouch_service(session, lead_key, operator)
                elif operator.public_key:
                    issue(session, lead_key, certs.ROOT, operator)
                else:
                    keyless.append(operator.username)
            return keyless

    def vouch_lead(self, actor: Actor) -> None:
        """The root vouches for the lead whose key it is."""
        with self._as_lead(actor) as (session, lead_key):
            operator = session.get(Operator, actor.operator_id)
            if operator is None:
                raise NotFound(_("No such account."))
            issue(session, lead_key, certs.ROOT, operator)

    def rotate_all(self, actor: Actor) -> list[Handed]:
        """``floor upgrade``: every other active account gets a new key pair and a
        temporary password (the old hashes were readable by any holder of the old floor
        key), all vouched for by the root (the lead's own key: ``vouch_lead``)."""
        with self._as_lead(actor) as (session, lead_key):
            handed = []
            for operator in _active(session):
                if operator.id == actor.operator_id:
                    continue
                if operator.role == certs.SERVICE:  # no password; its key file stays good
                    _vouch_service(session, lead_key, operator)
                    continue
                password = secrets.token_urlsafe(9)
                self._new_key(session, operator, password, lead_key, certs.ROOT)
                handed.append(Handed(operator.username, password))
            self._audit(session, actor, AuditKind.ACCOUNT_PASSWORD_RESET, "floor upgrade")
            return handed

    def recover(self, username: str, recovery: Ed25519PrivateKey, password: str) -> None:
        """``floor recover``: the recovery key vouches for a new key of a team lead whose
        password was lost or stolen, and revokes the old one."""
        with self.db.read() as session:
            found = _account(session, username)
            if found.role != Role.LEAD.value:
                raise PermissionDenied(_("The recovery key recovers team leads only."))
        counted = NameKeys(self.db).stored(found.username)
        with self.db.write(found.id) as session:
            operator = _account(session, username)
            key = self._new_key(session, operator, password, recovery, certs.RECOVERY)
            self.db.keyring.put(operator.id, key)
            # the recovered lead signs in at once, whatever waits were started in her name
            session.execute(delete(LoginThrottle).where(col(LoginThrottle.username) == counted))
            add_event(
                session,
                operator.id,
                AuditKind.ACCOUNT_RECOVERED,
                operator.username,
                at=self.clock(),
            )

    # -- helpers -----------------------------------------------------------------------

    def _new_key(
        self,
        session: Session,
        operator: Operator,
        password: str,
        issuer: Ed25519PrivateKey,
        issuer_id: str,
    ) -> Ed25519PrivateKey:
        old = operator.public_key
        operator.must_change_password = True
        key = give_key(operator, set_password(operator, password))
        issue(session, issuer, issuer_id, operator)
        revoke_old(session, issuer, issuer_id, operator, old)
        return key

    @contextmanager
    def _as_lead(self, actor: Actor) -> Iterator[tuple[Session, Ed25519PrivateKey]]:
        """One write by a lead, with the lead's open key to sign certificates with."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead manages accounts."))
        key = self.db.keyring.get(actor.operator_id)
        if key is None:
            raise PermissionDenied(_("Sign in again: your signing key is not open here."))
        with self.db.write(actor.operator_id) as session:
            yield session, key

    def _audit(
        self, session: Session, actor: Actor, kind: AuditKind, subject: str, detail: str = ""
    ) -> None:
        add_event(session, actor.operator_id, kind, subject, detail, at=self.clock())


def _account(session: Session, username: str) -> Operator:
    found = session.scalars(
        select(Operator).where(col(Operator.username) == username.strip().lower())
    ).first()
    if found is None:
        raise NotFound(_("No such account."))
    return found


def _person(session: Session, username: str) -> Operator:
    """An account a person signs in to: a service's is managed by ``cc-terminal service``."""
    operator = _account(session, username)
    if operator.role == certs.SERVICE:
        raise PermissionDenied(_("A service account has no password or role to change."))
    return operator


def _vouch_service(session: Session, root: Ed25519PrivateKey, service: Operator) -> None:
    """The new root vouches for the service's key with the scope it had."""
    scope = ",".join(granted_scope(session, service))
    issue(session, root, certs.ROOT, service, scope=scope)


def _active(session: Session) -> list[Operator]:
    return list(
        session.scalars(
            select(Operator).where(col(Operator.active).is_(True)).order_by(col(Operator.username))
        )
    )
