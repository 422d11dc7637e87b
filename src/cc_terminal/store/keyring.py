"""Each account's signing key: sealed by its password at rest, open in memory while its
owner is signed in.

The private half of an account's Ed25519 key is stored on its row as
``v2$<salt>$<nonce>$<ciphertext>``: ChaCha20-Poly1305 under a 32-byte key derived from the
password by the same Argon2id run that checks it (store/password_secret.py: the hash's salt
and cost), bound to the account id. An older ``v1`` seal's key is Argon2id's own output
over the password and the seal's salt; it is resealed as ``v2`` at its owner's next
sign-in. Whoever copies the database (or a floor key holder reading it off the share) holds only
that; the key opens when its owner types the password. The ``Keyring`` keeps the opened
keys of the people signed in to this process and nothing else: the outbox signs with them
(store/outbox.py), sign-out forgets them, nothing writes them anywhere.
"""

from __future__ import annotations

import base64
import os
import threading
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from cc_terminal.store.password_secret import Sealing

VERSION = "v2"
OLDER = "v1"
SALT_BYTES = 16
NONCE_BYTES = 12


class SealedKeyError(ValueError):
    """A sealed key that does not open with this password (or is not a sealed key)."""


def new_key() -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(raw)


def public_hex(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def derive(password: str, salt: bytes) -> bytes:
    """An older ``v1`` seal's key: Argon2id's own output at the password hasher's cost."""
    from cc_terminal.store.password_cost import parameters
    from cc_terminal.store.password_secret import run_argon2

    return run_argon2(password, salt, parameters())


def salt_of(sealed: str) -> bytes:
    """The salt a sealed key was made with (a fresh random one for an empty or bad text,
    so that every sign-in does the same Argon2 work)."""
    try:
        version, salt, _nonce, _ct = sealed.split("$")
        raw = base64.b64decode(salt, validate=True)
        if version in (VERSION, OLDER) and len(raw) == SALT_BYTES:
            return raw
    except ValueError:
        pass
    return os.urandom(SALT_BYTES)


def seal(sealing: Sealing, key: Ed25519PrivateKey, account_id: uuid.UUID) -> str:
    """``key`` sealed (``v2``) with a sealing from the password's hash."""
    return _seal_with(sealing.secret, sealing.salt, key, account_id, VERSION)


def _seal_with(
    secret: bytes, salt: bytes, key: Ed25519PrivateKey, account_id: uuid.UUID, version: str
) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    nonce = os.urandom(NONCE_BYTES)
    sealed = ChaCha20Poly1305(secret).encrypt(nonce, private_bytes(key), account_id.bytes)
    parts = (salt, nonce, sealed)
    return "$".join([version, *(base64.b64encode(part).decode() for part in parts)])


def seal_older(key: Ed25519PrivateKey, password: str, account_id: uuid.UUID) -> str:
    """A ``v1`` seal, as terminals before the split made them (for tests of the upgrade)."""
    salt = os.urandom(SALT_BYTES)
    return _seal_with(derive(password, salt), salt, key, account_id, OLDER)


def is_sealed_by(sealing: Sealing, sealed: str) -> bool:
    """Whether ``sealed`` is a ``v2`` seal made with this sealing's salt."""
    return sealed.startswith(VERSION + "$") and salt_of(sealed) == sealing.salt


def open_with(secret: bytes, sealed: str, account_id: uuid.UUID) -> Ed25519PrivateKey:
    """The key sealed in ``sealed`` with the derived ``secret``, or ``SealedKeyError``."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        _version, _salt, nonce, ciphertext = sealed.split("$")
        raw = ChaCha20Poly1305(secret).decrypt(
            base64.b64decode(nonce, validate=True),
            base64.b64decode(ciphertext, validate=True),
            account_id.bytes,
        )
    except (ValueError, InvalidTag) as error:
        raise SealedKeyError("the account's key does not open with this password") from error
    return key_from_bytes(raw)


def open_key(sealed: str, password: str, account_id: uuid.UUID) -> Ed25519PrivateKey:
    """The key in ``sealed`` opened by ``password`` on its own (its own Argon2 run)."""
    from cc_terminal.store.password_secret import sealing_secret

    salt = salt_of(sealed)
    if sealed.startswith(OLDER + "$"):
        return open_with(derive(password, salt), sealed, account_id)
    return open_with(sealing_secret(password, salt), sealed, account_id)


class Keyring:
    """The opened keys of the accounts signed in to this process, by account id."""

    def __init__(self) -> None:
        self._keys: dict[uuid.UUID, Ed25519PrivateKey] = {}
        self._lock = threading.Lock()

    def put(self, account_id: uuid.UUID, key: Ed25519PrivateKey) -> None:
        with self._lock:
            self._keys[account_id] = key

    def get(self, account_id: uuid.UUID | None) -> Ed25519PrivateKey | None:
        if account_id is None:
            return None
        with self._lock:
            return self._keys.get(account_id)

    def forget(self, account_id: uuid.UUID) -> None:
        with self._lock:
            self._keys.pop(account_id, None)

    def __repr__(self) -> str:  # never the keys, even in a traceback
        return f"<Keyring of {len(self._keys)} account(s)>"
