"""Log in, lock out, manage accounts. Passwords are Argon2 hashes (argon2-cffi)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import AuditEvent, ListKind, Operator, Role
from cc_terminal.services.errors import (
    AccountLocked,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
)
from cc_terminal.services.reference import lists_in
from cc_terminal.services.validation import FormErrors
from cc_terminal.services.views import Actor, OperatorInfo
from cc_terminal.store.database import Database

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 8
MAX_PASSWORD = limits.PASSWORD
DEFAULT_DEPARTMENT = "contact_centre"


class AuthService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        lockout_attempts: int = 5,
        lockout_minutes: int = 15,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lockout_attempts = lockout_attempts
        self.lockout = timedelta(minutes=lockout_minutes)
        self.hasher = PasswordHasher()
        self._dummy_hash = self.hasher.hash("not a password")

    def login(self, username: str, password: str) -> Actor:
        """Return the actor, or raise; every attempt is audited, failures are counted.

        The password is checked before the write transaction, not inside it: an Argon2
        verify takes about 100 ms, and on SQLite the write lock would keep every other
        terminal's writes waiting that long."""
        now = self.clock()
        username = username.strip().lower()
        with self.db.read() as session:
            known = _by_username(session, username)
            checked_hash = known.password_hash if known is not None else self._dummy_hash
        password_ok = self._verify(checked_hash, password)
        with self.db.write(None) as session:
            operator = _by_username(session, username)
            if operator is not None and operator.password_hash != checked_hash:
                password_ok = self._verify(operator.password_hash, password)  # changed since
            outcome = self._attempt(session, operator, password, password_ok, now)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _attempt(
        self,
        session: Session,
        operator: Operator | None,
        password: str,
        password_ok: bool,
        now: datetime,
    ) -> Actor | Exception:
        if operator is None or not operator.active:
            _audit(session, None, "login.failed", _("unknown or inactive account"))
            return InvalidCredentials()
        if operator.locked_until is not None and operator.locked_until > now:
            _audit(session, operator.id, "login.refused", _("account locked"))
            return AccountLocked(operator.locked_until)
        if not password_ok:
            return self._count_failure(session, operator, now)
        operator.failed_logins = 0
        operator.locked_until = None
        if self.hasher.check_needs_rehash(operator.password_hash):
            operator.password_hash = self.hasher.hash(password)
        _audit(session, operator.id, "login.ok", "")
        return actor_of(operator)

    def _count_failure(self, session: Session, operator: Operator, now: datetime) -> Exception:
        operator.failed_logins += 1
        if operator.failed_logins >= self.lockout_attempts:
            operator.locked_until = now + self.lockout
            operator.failed_logins = 0
            _audit(session, operator.id, "login.locked", "")
            return AccountLocked(operator.locked_until)
        _audit(session, operator.id, "login.failed", _("wrong password"))
        return InvalidCredentials()

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def has_accounts(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count()).select_from(Operator)))

    def create_operator(
        self,
        actor: Actor | None,
        username: str,
        full_name: str,
        role: str,
        password: str,
        department: str = DEFAULT_DEPARTMENT,
    ) -> OperatorInfo:
        """A lead adds accounts; with no account at all, the first one must be a lead."""
        form = FormErrors()
        username = username.strip().lower()
        if not USERNAME.match(username):
            form.add(
                "username", _("2 to 40 characters: small letters, digits, . _ -; a letter first.")
            )
        full_name = form.text("full_name", full_name, limits.FULL_NAME, required=True)
        if role not in {r.value for r in Role}:
            form.add("role", _("Role must be operator or lead."))
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            form.add("password", _("At least {n} characters.").format(n=MIN_PASSWORD))
        department = form.text("department", department, limits.CODE, required=True)
        form.raise_if_any()
        acting = actor.operator_id if actor else None
        with self.db.write(acting) as session:
            self._check_may_create(session, actor, role)
            if not lists_in(session).is_active(ListKind.DEPARTMENT, department):
                form.add("department", _("No such department: {code}.").format(code=department))
            if _by_username(session, username) is not None:
                form.add("username", _("That user name is taken."))
            form.raise_if_any()
            operator = Operator(
                username=username,
                full_name=full_name,
                role=role,
                department=department,
                password_hash=self.hasher.hash(password),
            )
            session.add(operator)
            _audit(session, acting, "account.created", username)
        return info_of(operator)

    def _check_may_create(self, session: Session, actor: Actor | None, role: str) -> None:
        if actor is not None:
            if not actor.is_lead:
                raise PermissionDenied(_("Only a team lead adds accounts."))
            return
        if session.scalar(select(func.count()).select_from(Operator)):
            raise PermissionDenied(_("Accounts exist already; a team lead must add this one."))
        if role != Role.LEAD.value:
            raise PermissionDenied(_("The first account must be a team lead."))

    def unlock(self, actor: Actor, username: str) -> OperatorInfo:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead unlocks accounts."))
        with self.db.write(actor.operator_id) as session:
            operator = _by_username(session, username)
            if operator is None:
                raise NotFound(_("No such account."))
            operator.locked_until = None
            operator.failed_logins = 0
            _audit(session, actor.operator_id, "account.unlocked", username)
        return info_of(operator)


def _by_username(session: Session, username: str) -> Operator | None:
    return session.scalars(select(Operator).where(col(Operator.username) == username)).first()


def _audit(session: Session, actor_id: uuid.UUID | None, kind: str, detail: str) -> None:
    session.add(AuditEvent(actor_id=actor_id, kind=kind, detail=detail))


def actor_of(operator: Operator) -> Actor:
    return Actor(
        operator.id, operator.username, operator.full_name, operator.role, operator.department
    )


def info_of(operator: Operator) -> OperatorInfo:
    return OperatorInfo(
        id=operator.id,
        username=operator.username,
        full_name=operator.full_name,
        role=operator.role,
        active=operator.active,
        locked_until=operator.locked_until,
        department=operator.department,
    )
