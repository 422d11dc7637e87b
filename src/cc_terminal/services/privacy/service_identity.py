"""Service accounts: the processes that write with nobody signed in (the chat gateway,
the mail loop, the phone link), each with its own key, vouched for by a team lead and
allowed only its scope of tables (sync/roles.py ``_service_refusal``).

The private key lives only in the file ``add`` writes (mode 0600) and in the memory of
the service process that opens it (``open_service``); the database holds the public half.
A service account has no password: it never signs in.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import AccountKey, Operator
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.account_keys import issue
from cc_terminal.store.database import Database
from cc_terminal.store.keyring import new_key, public_hex
from cc_terminal.sync import certs
from cc_terminal.sync.roles import LEAD_TABLES
from cc_terminal.sync.snapshot import LOCAL_TABLES

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Never in a service's scope: the lead's tables, the accounts and what vouches for them,
# the trail, and what each terminal keeps for itself.
FORBIDDEN = LEAD_TABLES | frozenset(
    {
        "operator",
        "account_key",
        "audit_event",
        "audit_chain",
        "audit_check",
        "login_throttle",
        "local_secret",
        *LOCAL_TABLES,
    }
)
# Not an Argon2 hash: no password ever verifies against it.
NO_PASSWORD = "!service"


@dataclass(frozen=True)
class ServiceAccount:
    name: str
    scope: tuple[str, ...]
    active: bool


def parse_scope(text: str) -> tuple[str, ...]:
    """The tables named in ``text``, each a shared table a service may write."""
    names = sorted({part.strip() for part in text.split(",") if part.strip()})
    if not names:
        raise ValidationFailed({"scope": _("Name at least one table.")})
    unknown = [name for name in names if name not in SQLModel.metadata.tables]
    if unknown:
        raise ValidationFailed({"scope": _("No such table: {t}.").format(t=", ".join(unknown))})
    forbidden = [name for name in names if name in FORBIDDEN]
    if forbidden:
        message = _("Not for a service: {t}.").format(t=", ".join(forbidden))
        raise ValidationFailed({"scope": message})
    return tuple(names)


def write_key_file(path: Path, key: Ed25519PrivateKey) -> None:
    """The private key as PEM, readable by its owner only; never over an existing file."""
    from cryptography.hazmat.primitives import serialization

    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as file:
        file.write(pem)


def read_key_file(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationFailed({"key_file": _("Not an Ed25519 key.")})
    return key


def open_service(db: Database, name: str, key_file: Path) -> uuid.UUID:
    """Open the service's key in ``db``'s keyring: what ``db.write(<returned id>)`` writes
    from now on is signed as the service."""
    key = read_key_file(key_file)
    with db.read() as session:
        account = _service(session, name)
        if not account.active:
            raise PermissionDenied(_("Service {n} was revoked.").format(n=name))
        if account.public_key != public_hex(key):
            raise PermissionDenied(_("The key file is not service {n}'s.").format(n=name))
        account_id = account.id
    db.keyring.put(account_id, key)
    return account_id


@refusals_audited
class ServiceAccounts:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def add(self, actor: Actor, name: str, scope: str, key_file: Path) -> ServiceAccount:
        """A new service account and its key (written to ``key_file``), vouched for by the
        lead for ``scope`` only."""
        tables = parse_scope(scope)
        name = name.strip().lower()
        if not name or len(name) > limits.USERNAME:
            raise ValidationFailed(
                {"name": _("A name of 1 to {n} characters.").format(n=limits.USERNAME)}
            )
        lead_key = self._lead_key(actor)
        if key_file.exists():
            raise ValidationFailed({"key_file": _("{p} exists already.").format(p=key_file)})
        key = new_key()
        with self.db.write(actor.operator_id) as session:
            taken = session.scalars(select(Operator).where(col(Operator.username) == name))
            if taken.first() is not None:
                raise ValidationFailed({"name": _("{n} is taken.").format(n=name)})
            account = Operator(
                username=name,
                full_name=_("service {n}").format(n=name),
                role=certs.SERVICE,
                password_hash=NO_PASSWORD,
                public_key=public_hex(key),
            )
            session.add(account)
            session.flush()
            issue(session, lead_key, str(actor.operator_id), account, scope=",".join(tables))
            add_event(
                session,
                actor.operator_id,
                AuditKind.SERVICE_ADDED,
                name,
                ",".join(tables),
                at=self.clock(),
            )
            write_key_file(key_file, key)  # last: a failed write leaves no account behind
        return ServiceAccount(name, tables, True)

    def revoke(self, actor: Actor, name: str) -> None:
        """Ops the service's key signs from now on are refused everywhere."""
        lead_key = self._lead_key(actor)
        with self.db.write(actor.operator_id) as session:
            account = _service(session, name)
            account.active = False
            issue(session, lead_key, str(actor.operator_id), account, certs.REVOKE)
            add_event(
                session,
                actor.operator_id,
                AuditKind.SERVICE_REVOKED,
                account.username,
                at=self.clock(),
            )

    def listed(self) -> list[ServiceAccount]:
        with self.db.read() as session:
            accounts = session.scalars(
                select(Operator)
                .where(col(Operator.role) == certs.SERVICE)
                .order_by(col(Operator.username))
            ).all()
            return [
                ServiceAccount(a.username, granted_scope(session, a), a.active) for a in accounts
            ]

    def _lead_key(self, actor: Actor) -> Ed25519PrivateKey:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead manages service accounts."))
        key = self.db.keyring.get(actor.operator_id)
        if key is None:
            raise PermissionDenied(_("Sign in again: your signing key is not open here."))
        return key


def _service(session: Session, name: str) -> Operator:
    found = session.scalars(
        select(Operator).where(
            col(Operator.username) == name.strip().lower(), col(Operator.role) == certs.SERVICE
        )
    ).first()
    if found is None:
        raise NotFound(_("No service account {n}.").format(n=name))
    return found


def granted_scope(session: Session, account: Operator) -> tuple[str, ...]:
    """The tables the newest certificate of the service's current key lets it write."""
    grants = session.scalars(
        select(AccountKey)
        .where(
            col(AccountKey.operator_id) == account.id,
            col(AccountKey.kind) == certs.GRANT,
            col(AccountKey.public_key) == account.public_key,
        )
        .order_by(col(AccountKey.hlc))
    ).all()
    return tuple(sorted(certs.scope_of({"scope": grants[-1].scope}))) if grants else ()
