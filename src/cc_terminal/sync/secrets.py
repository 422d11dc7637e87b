"""Account secrets (password hashes) never enter an op in the clear.

The outbox keeps a placeholder where a secret field changed; when the op is sealed into a
segment, the field's current value is read from the row and encrypted with AES-GCM under
a key derived from the floor key, bound to the record and field it belongs to. A terminal
of the floor opens it on arrival; the share only ever holds ciphertext."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cc_terminal.store.outbox import SECRET_PLACEHOLDER
from cc_terminal.store.signing import SECRET_PREFIX

PLACEHOLDER = SECRET_PLACEHOLDER
SEALED = "$sealed"


class SecretError(ValueError):
    """A sealed value that does not open with this floor's key."""


def _key(floor_secret: bytes) -> bytes:
    return hmac.new(floor_secret, b"cc-terminal account secrets v1", hashlib.sha256).digest()


def _context(entity: str, row_id: str, field: str) -> bytes:
    return f"{entity}/{row_id}/{field}".encode()


def seal_value(
    floor_secret: bytes, entity: str, row_id: str, field: str, value: str
) -> dict[str, str]:
    nonce = os.urandom(12)
    ciphertext = AESGCM(_key(floor_secret)).encrypt(
        nonce, value.encode(), _context(entity, row_id, field)
    )
    return {SEALED: base64.b64encode(nonce + ciphertext).decode()}


def open_value(floor_secret: bytes, entity: str, row_id: str, field: str, sealed: Any) -> str:
    try:
        raw = base64.b64decode(str(sealed[SEALED]), validate=True)
        plain = AESGCM(_key(floor_secret)).decrypt(
            raw[:12], raw[12:], _context(entity, row_id, field)
        )
    except (KeyError, TypeError, ValueError, InvalidTag) as error:
        raise SecretError(f"{entity}.{field} does not open with this floor's key") from error
    return plain.decode()


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and SEALED in value


def any_sealed(values: Iterable[Any]) -> bool:
    """Whether any of ``values`` is sealed: ``is_sealed`` of each in one loop (an ingest
    asks it of every value of 100,000 ops, nearly all of them plain)."""
    return any(isinstance(value, dict) and SEALED in value for value in values)


def holds_secrets(values: Iterable[Any]) -> bool:
    """Whether a value is sealed or a secret's placeholder (``is_sealed``,
    ``store.signing.is_placeholder``), in one loop."""
    for value in values:
        if isinstance(value, dict):
            if SEALED in value:
                return True
        elif isinstance(value, str) and value.startswith(SECRET_PREFIX) and value.endswith(">"):
            return True
    return False


def seal_blob(floor_secret: bytes, data: bytes, purpose: str) -> bytes:
    """A whole file (a snapshot) for the share: nonce, then ciphertext and tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_key(floor_secret)).encrypt(nonce, data, purpose.encode())


def open_blob(floor_secret: bytes, data: bytes, purpose: str) -> bytes:
    try:
        return AESGCM(_key(floor_secret)).decrypt(data[:12], data[12:], purpose.encode())
    except (ValueError, InvalidTag) as error:
        raise SecretError(f"the {purpose} does not open with this floor's key") from error
