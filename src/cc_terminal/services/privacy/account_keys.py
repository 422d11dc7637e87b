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
from cc_terminal.store import password_secret
from cc_terminal.store.keyring import new_key, public_hex, seal
from cc_terminal.store.outbox import last_clock
from cc_terminal.sync import certs

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from cc_terminal.store.password_secret import Sealing


def set_password(operator: Operator, password: str) -> Sealing:
    """The account's password hash for ``password`` (one Argon2 run), and the sealing its
    key is to be sealed with."""
    operator.password_hash, sealing = password_secret.make(password)
    return sealing


def give_key(operator: Operator, sealing: Sealing) -> Ed25519PrivateKey:
    """A new key pair for the account, its private half sealed with its password's
    ``sealing`` (``set_password``)."""
    key = new_key()
    reseal(operator, key, sealing)
    operator.public_key = public_hex(key)
    return key


def reseal(operator: Operator, key: Ed25519PrivateKey, sealing: Sealing) -> None:
    """The same key under the password's new hash (the owner changed it, or it was
    rehashed)."""
    operator.signing_key = seal(sealing, key, operator.id)


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
