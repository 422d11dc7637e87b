"""A sign-in's password check and the opening of the account's signing key.

A hash of today's kind (store/password_secret.py) gives both from one Argon2id run: the
check, and the sealing that opens a ``v2`` seal made with its salt. A hash of the older
kind (argon2-cffi's) is checked by argon2-cffi while the key's own derivation runs beside
it, on the other core, as before; the sign-in then replaces both (auth.py). Either way
the work does not depend on the outcome, so the time taken says nothing of it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2.exceptions import InvalidHashError, VerificationError

from cc_terminal.store import password_secret
from cc_terminal.store.keyring import (
    SealedKeyError,
    derive,
    is_sealed_by,
    open_key,
    open_with,
    salt_of,
)
from cc_terminal.store.password_cost import password_hasher

if TYPE_CHECKING:
    import uuid

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from cc_terminal.store.password_secret import Sealing


@dataclass(frozen=True)
class Checked:
    ok: bool
    key: Ed25519PrivateKey | None = None  # the account's key, opened (only when ok)
    sealing: Sealing | None = None  # its password's sealing (ok, and a hash of today's kind)


def checked(stored: str, password: str) -> Checked:
    """The password against ``stored``, of either kind; no key opened."""
    if password_secret.is_split(stored):
        ok, sealing = password_secret.check(stored, password)
        return Checked(ok, sealing=sealing)
    try:
        return Checked(password_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return Checked(False)


def checked_and_opened(
    stored: str, sealed: str, password: str, account_id: uuid.UUID | None
) -> Checked:
    """The password checked, and then the account's key opened (``sealed``: its seal, ""
    for none or for an unknown account)."""
    if not password_secret.is_split(stored):
        return _older_kind(stored, sealed, password, account_id)
    found = checked(stored, password)
    if not (found.ok and found.sealing and sealed and account_id is not None):
        return found
    try:
        if is_sealed_by(found.sealing, sealed):
            key = open_with(found.sealing.secret, sealed, account_id)
        else:  # sealed with another salt: an older seal, or an older copy of the row
            key = open_key(sealed, password, account_id)
    except SealedKeyError:
        key = None  # sealed under another password (an older copy of the row)
    return Checked(True, key, found.sealing)


def _older_kind(stored: str, sealed: str, password: str, account_id: uuid.UUID | None) -> Checked:
    with ThreadPoolExecutor(max_workers=1) as beside:
        deriving = beside.submit(derive, password, salt_of(sealed))
        password_ok = checked(stored, password).ok
        secret = deriving.result()
    if not (password_ok and sealed and account_id is not None):
        return Checked(password_ok)
    try:
        return Checked(True, open_with(secret, sealed, account_id))
    except SealedKeyError:
        return Checked(True)
