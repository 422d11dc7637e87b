"""Certificates (``account_key`` rows) as signed statements: "account A holds public key K
with role R", or "K of A is revoked", signed by the issuer's key.

A certificate is trusted for its signature alone, never for the terminal or file it came
in, so it can be checked wherever it turns up (an op, floor.json) and in any order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

GRANT, REVOKE = "grant", "revoke"
ROOT, RECOVERY = "root", "recovery"
OPERATOR, LEAD, SERVICE = "operator", "lead", "service"
# every field but the signature, in the form an op carries them (ids and times as text)
FIELDS = (
    "id",
    "operator_id",
    "username",
    "role",
    "scope",
    "public_key",
    "kind",
    "issuer_id",
    "issuer_key",
    "hlc",
    "at",
)


def body(cert: Mapping[str, Any]) -> bytes:
    values = {name: _plain(cert.get(name)) for name in FIELDS}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def sign(key: Ed25519PrivateKey, cert: Mapping[str, Any]) -> str:
    return key.sign(body(cert)).hex()


def verifies(cert: Mapping[str, Any]) -> bool:
    """The signature is the issuer key's over every other field."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        issuer = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(cert["issuer_key"])))
        issuer.verify(bytes.fromhex(str(cert["signature"])), body(cert))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True


def scope_of(cert: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(part for part in str(cert.get("scope") or "").split(",") if part)
