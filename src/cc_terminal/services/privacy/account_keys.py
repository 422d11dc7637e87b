"""Giving accounts their signing keys and writing the certificates that vouch for them.

The services that make, change or reset a password call these inside their own write, so
the key, its seal and its certificate travel in the same signed run as the account change.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from cc_terminal.models import AccountKey, Operator
from cc_terminal.models.base import utcnow
from cc_terminal.store import hlc as clock
from cc_terminal.store.keyring import new_key, public_hex, seal_key
from cc_terminal.store.outbox import last_clock
from cc_terminal.sync import certs

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def give_key(operator: Operator, password: str) -> Ed25519PrivateKey:
    """A new key pair for the account, its private half sealed by ``password``."""
    key = new_key()
    reseal(operator, key, password)
    operator.public_key = public_hex(key)
    return key


def reseal(operator: Operator, key: Ed25519PrivateKey, password: str) -> None:
    """The same key under a new password (the owner changed it)."""
    operator.signing_key = seal_key(key, password, operator.id)


def issue(
    session: Session,
    issuer: Ed25519PrivateKey,
    issuer_id: str,
    operator: Operator,
    kind: str = certs.GRANT,
    public_key: str | None = None,
    scope: str = "",
) -> AccountKey:
    """A certificate for ``operator`` (its current key and role unless told), signed by
    ``issuer`` as ``issuer_id`` (a lead's account id, or root / recovery); ``scope``: the
    tables a service account may write (comma-separated, certs.scope_of)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "operator_id": operator.id,
        "username": operator.username,
        "role": operator.role,
        "scope": scope,
        "public_key": operator.public_key if public_key is None else public_key,
        "kind": kind,
        "issuer_id": issuer_id,
        "issuer_key": public_hex(issuer),
        "hlc": clock.next_after(last_clock(session.connection())),
        "at": utcnow(),
    }
    cert = AccountKey(**values, signature=certs.sign(issuer, values))
    session.add(cert)
    return cert


def revoke_old(
    session: Session, issuer: Ed25519PrivateKey, issuer_id: str, operator: Operator, old: str
) -> None:
    """Ops the old key signs after this moment are refused everywhere."""
    if old and old != operator.public_key:
        issue(session, issuer, issuer_id, operator, certs.REVOKE, public_key=old)
