"""Log in, lock out, manage accounts. Passwords are Argon2id hashes whose one run also
opens the account's signing key (store/password_secret.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.data.codes import Department
from cc_terminal.i18n import _
from cc_terminal.models import (
    LoginThrottle,
    Operator,
    SecurityPolicy,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import (
    AccountLocked,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
)
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor, OperatorInfo
from cc_terminal.services.privacy.account_keys import give_key, issue, reseal, set_password
from cc_terminal.services.privacy.new_accounts import check_may_add, checked_fields, operator_named
from cc_terminal.services.privacy.password_check import Checked, checked, checked_and_opened
from cc_terminal.services.privacy.sign_in_source import (
    COMMAND_LINE,
    NameKeys,
    blocked_until,
    clear_throttle,
    source_of,
)
from cc_terminal.store import password_secret
from cc_terminal.store.database import Database
from cc_terminal.store.outbox import ACTOR_KEY
from cc_terminal.sync import certs

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

MIN_PASSWORD = limits.MIN_PASSWORD
MAX_PASSWORD = limits.PASSWORD
# The first wait after the free attempts; it doubles with each further wrong password.
FIRST_DELAY = timedelta(seconds=30)


@refusals_audited
class AuthService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        source: str = "",
        make_keys: bool = True,
        channel: str = COMMAND_LINE,
    ) -> None:
        self.db = db
        self.clock = clock
        # False on a floor: a key made at sign-in would have no certificate there
        self.make_keys = make_keys
        # where the attempts come from (services/privacy/sign_in_source.py): throttling is per
        # source and account
        self.terminal, self.channel = source, channel
        self._source: str | None = None
        self.names = NameKeys(db)
        self._dummy_hash, _sealing = password_secret.make("not a password")

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = source_of(self.channel, self.terminal, self.db)
        return self._source

    def login(self, username: str, password: str) -> Actor:
        """Return the actor, or raise; every attempt is audited, failures are counted.

        A user name that does not exist is treated exactly like one that does: the same
        Argon2 work, the same message, the same throttle, so nobody learns which accounts
        exist. The password is checked before the write transaction: its Argon2 run takes
        about 100 ms, and on SQLite the write lock would keep other writers waiting. The
        same run opens the account's signing key (password_check.py); it stays open in the
        keyring until sign-out and signs what this person changes."""
        now = self.clock()
        username = username.strip().lower()[:100]
        counted = self.names.stored(username)
        with self.db.read() as session:
            known = operator_named(session, username)
            checked_hash = known.password_hash if known is not None else self._dummy_hash
            sealed = known.signing_key if known is not None else ""
            blocked = blocked_until(session, self.source, counted, now)
        found = checked_and_opened(
            checked_hash, sealed, password, known.id if known is not None else None
        )
        with self.db.write(None) as session:
            operator = operator_named(session, username)
            shown = self.names.shown(username, operator is not None)
            if blocked is not None:
                self._audit(
                    session, operator.id if operator else None, AuditKind.LOGIN_THROTTLED, shown
                )
                outcome: Actor | Exception = AccountLocked(blocked)
            else:
                if operator is not None and operator.password_hash != checked_hash:
                    again = checked(operator.password_hash, password)  # changed since
                    found = Checked(again.ok, found.key, again.sealing)  # its sealing: no rerun
                typed = (counted, shown)
                outcome = self._attempt(session, typed, operator, found.ok, now)
                if operator is not None and not isinstance(outcome, Exception):
                    self._signed_in(session, operator, password, found)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _signed_in(
        self, session: Session, operator: Operator, password: str, found: Checked
    ) -> None:
        """From here on this write (its audit event) and every write of this person is
        signed with their key. A hash of the older kind or cost is replaced, the key
        resealed with it. An account of an older database gets a key now, except on a
        floor, where only a team lead can vouch for a new key (a password reset)."""
        key, sealing = found.key, found.sealing
        if password_secret.needs_rehash(operator.password_hash):
            sealing = set_password(operator, password)
            if key is not None:
                reseal(operator, key, sealing)
        if key is None and not operator.signing_key and self.make_keys:
            key = give_key(operator, sealing or set_password(operator, password))
        if key is not None:
            self.db.keyring.put(operator.id, key)
            session.info[ACTOR_KEY] = operator.id

    def sign_out(self, actor: Actor) -> None:
        """The key is forgotten: nothing more is signed for this person here."""
        self.db.keyring.forget(actor.operator_id)

    def _attempt(
        self,
        session: Session,
        typed: tuple[str, str],
        operator: Operator | None,
        password_ok: bool,
        now: datetime,
    ) -> Actor | Exception:
        """``typed``: the user name as counted (a keyed hash) and as the trail shows it."""
        counted, shown = typed
        if operator is None or not operator.active or not password_ok or _is_service(operator):
            self._count_failure(session, counted, shown, now)
            reason = (
                _("wrong password") if operator is not None else _("unknown or inactive account")
            )
            self._audit(session, operator.id if operator else None, AuditKind.LOGIN_FAILED, reason)
            return InvalidCredentials()
        clear_throttle(session, counted, self.source)
        self._audit(session, operator.id, AuditKind.LOGIN_OK, "")
        return actor_of(operator)

    def _count_failure(self, session: Session, counted: str, shown: str, now: datetime) -> None:
        policy = self._policy(session)
        throttle = session.get(LoginThrottle, (self.source, counted))
        if throttle is None:
            throttle = LoginThrottle(source=self.source, username=counted)
            session.add(throttle)
        throttle.failures += 1
        over = throttle.failures - policy.free_attempts
        if over >= 0:
            delay = min(FIRST_DELAY * 2**over, timedelta(minutes=policy.max_delay_minutes))
            throttle.blocked_until = now + delay
            self._audit(
                session, None, AuditKind.LOGIN_LOCKED, f"{shown} {int(delay.total_seconds())} s"
            )

    # -- the floor's policy -----------------------------------------------------------

    def policy(self) -> SecurityPolicy:
        with self.db.read() as session:
            return self._policy(session)

    def _policy(self, session: Session) -> SecurityPolicy:
        return session.get(SecurityPolicy, 1) or SecurityPolicy()

    def set_policy(
        self, actor: Actor, free_attempts: int, max_delay_minutes: int
    ) -> SecurityPolicy:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets the sign-in policy."))
        form = FormErrors()
        if not 3 <= free_attempts <= 20:
            form.add("free_attempts", _("Between 3 and 20."))
        if not 1 <= max_delay_minutes <= 24 * 60:
            form.add("max_delay_minutes", _("Between 1 minute and a day."))
        form.raise_if_any()
        with self.db.write(actor.operator_id) as session:
            policy = session.get(SecurityPolicy, 1)
            if policy is None:
                policy = SecurityPolicy(id=1)
                session.add(policy)
            policy.free_attempts, policy.max_delay_minutes = free_attempts, max_delay_minutes
            detail = f"free_attempts={free_attempts} max_delay_minutes={max_delay_minutes}"
            self._audit(session, actor.operator_id, AuditKind.CONFIG_SECURITY_POLICY, detail)
            session.flush()
            return SecurityPolicy(
                id=1, free_attempts=free_attempts, max_delay_minutes=max_delay_minutes
            )

    def lock_session(self, actor: Actor) -> None:
        """The screen locked itself after the idle minutes (audited)."""
        with self.db.write(actor.operator_id) as session:
            self._audit(session, actor.operator_id, AuditKind.SESSION_LOCKED, "")

    def unlock_session(self, actor: Actor, password: str) -> None:
        """Only the person signed in opens the lock; a wrong password is throttled and
        audited like any sign-in."""
        self.login(actor.username, password)
        with self.db.write(actor.operator_id) as session:
            self._audit(session, actor.operator_id, AuditKind.SESSION_UNLOCKED, "")

    def change_password(self, actor: Actor, current: str, new: str, again: str) -> Actor:
        """The signed-in person's own password: the current one checked (throttled like a
        sign-in), the new one long enough, different and typed twice. Audited; the hash
        never enters an op in the clear (sync seals it)."""
        form = FormErrors()
        if not MIN_PASSWORD <= len(new) <= MAX_PASSWORD:
            form.add("new", _("At least {n} characters.").format(n=MIN_PASSWORD))
        elif new == current:
            form.add("new", _("Choose a password other than the one you were given."))
        if new != again:
            form.add("again", _("The two passwords differ."))
        form.raise_if_any()
        self.login(actor.username, current)
        with self.db.write(actor.operator_id) as session:
            operator = session.get(Operator, actor.operator_id)
            if operator is None:
                raise NotFound(_("No such account."))
            sealing = set_password(operator, new)
            operator.must_change_password = False
            key = self.db.keyring.get(operator.id)
            if key is not None:
                reseal(operator, key, sealing)
            elif self.make_keys:
                self.db.keyring.put(operator.id, give_key(operator, sealing))
            self._audit(session, actor.operator_id, AuditKind.ACCOUNT_PASSWORD, "")
            return actor_of(operator)

    def has_accounts(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count()).select_from(Operator)))

    def _audit(
        self, session: Session, actor_id: uuid.UUID | None, kind: AuditKind, detail: str
    ) -> None:
        add_event(session, actor_id, kind, detail=detail, at=self.clock())

    def create_operator(
        self,
        actor: Actor | None,
        username: str,
        full_name: str,
        role: str,
        password: str,
        department: str = Department.CONTACT_CENTRE,
        *,
        must_change: bool | None = None,
        keep_key: bool = False,
    ) -> OperatorInfo:
        """A lead adds accounts; with no account at all, the first one must be a lead. An
        account a lead makes changes its password at the first sign-in (unless the lead
        hands out no password: the demo's and the tests' floors). ``keep_key``: the new
        account's key stays open here, for a creator that writes as that account (the
        demo's history)."""
        username, full_name, department = checked_fields(
            username, full_name, role, password, department
        )
        acting = actor.operator_id if actor else None
        made_id = uuid.uuid4()
        # the first lead (cc-terminal init) signs its own account with its new key
        with self.db.write(acting or made_id) as session:
            check_may_add(session, actor, role, username, department)
            operator = Operator(
                id=made_id,
                username=username,
                full_name=full_name,
                role=role,
                department=department,
                password_hash="",  # set with its key (_add_with_key)
                must_change_password=actor is not None if must_change is None else must_change,
            )
            self._add_with_key(session, actor, operator, password, keep_key=keep_key)
            self._audit(session, acting, AuditKind.ACCOUNT_CREATED, username)
        return info_of(operator)

    def _add_with_key(
        self,
        session: Session,
        actor: Actor | None,
        operator: Operator,
        password: str,
        *,
        keep_key: bool,
    ) -> None:
        """Store the new account with its key, vouched for; ``keep_key``: the key stays
        open here."""
        key = give_key(operator, set_password(operator, password))
        session.add(operator)
        self._vouch(session, actor, operator, key)
        if keep_key:
            self.db.keyring.put(operator.id, key)

    def _vouch(
        self, session: Session, actor: Actor | None, operator: Operator, key: Ed25519PrivateKey
    ) -> None:
        """A lead signs the new account's certificate (it reaches every terminal of a
        signed floor with the account); the first lead signs in with its own key."""
        if actor is None:
            self.db.keyring.put(operator.id, key)
            return
        lead_key = self.db.keyring.get(actor.operator_id)
        if lead_key is not None:
            issue(session, lead_key, str(actor.operator_id), operator)

    def unlock(self, actor: Actor, username: str) -> OperatorInfo:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead unlocks accounts."))
        counted = self.names.stored(username)  # before the write: it may make the key
        with self.db.write(actor.operator_id) as session:
            operator = operator_named(session, username)
            if operator is None:
                raise NotFound(_("No such account."))
            operator.locked_until = None
            operator.failed_logins = 0
            session.execute(delete(LoginThrottle).where(col(LoginThrottle.username) == counted))
            self._audit(session, actor.operator_id, AuditKind.ACCOUNT_UNLOCKED, operator.username)
        return info_of(operator)


def actor_of(operator: Operator) -> Actor:
    return Actor(
        operator.id,
        operator.username,
        operator.full_name,
        operator.role,
        operator.department,
        operator.must_change_password,
        operator.language,
        operator.phone_extension,
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


def _is_service(operator: Operator) -> bool:
    """A service account never signs in, whatever its password column holds."""
    return operator.role == certs.SERVICE
