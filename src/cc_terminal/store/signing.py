"""What an account's signature covers: the ops one flush wrote, as a run.

Every op has a digest: SHA-256 of its fixed fields as a JSON list, a new line, and its
changes as the outbox stores them (sorted keys, JSON escapes every new line, so the first
one splits the two unambiguously). A run of ops is signed once: Ed25519 over the SHA-256 of
their digests in order, so a receiver verifies one signature per run, and an op left out,
added, altered or moved breaks it. A secret field (a password hash, a sealed key) is
signed as ``<secret:SHA-256 of its value>``: it travels sealed with the floor key, and the
value a receiver opens must be the one that was signed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Ops one signature covers at most: a run always fits in one segment (sync/publish.py).
RUN_LIMIT = 2000
SECRET_PREFIX = "<secret"
# Built once: ``json.dumps`` with any option builds a new encoder per call, which costs
# more than encoding one op's few fields (the same text either way)
_CHANGES_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_FIELDS_JSON = json.JSONEncoder(ensure_ascii=False)


def secret_placeholder(value: Any) -> str:
    return f"<secret:{hashlib.sha256(str(value).encode()).hexdigest()}>"


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SECRET_PREFIX) and value.endswith(">")


def changes_text(changes: dict[str, Any]) -> str:
    """The changes as the outbox keeps them (and as their digest reads them)."""
    return _CHANGES_JSON.encode(changes)


def op_digest(
    op_id: str,
    entity: str,
    row_id: str,
    kind: str,
    changes: str,
    actor_id: str | None,
    at: str,
    hlc: int,
) -> bytes:
    head = op_digest_head(op_id, entity, row_id, kind, actor_id, at)
    return hashlib.sha256(f"{head}{hlc}]\n{changes}".encode()).digest()


def op_digest_head(
    op_id: str, entity: str, row_id: str, kind: str, actor_id: str | None, at: str
) -> str:
    """The digest's JSON list up to the op's clock, the last of its fields: an op whose
    clock is given only in its write transaction (store/bulk.py) is prepared before it."""
    return _FIELDS_JSON.encode([op_id, entity, row_id, kind, actor_id, at])[:-1] + ", "


def digest_with_clock(head: bytes, hlc: int, changes: bytes) -> bytes:
    """``op_digest`` of an op from its encoded head (``op_digest_head``) and changes."""
    return hashlib.sha256(b"%s%d]\n%s" % (head, hlc, changes)).digest()


def run_digest(digests: Sequence[bytes]) -> bytes:
    return hashlib.sha256(b"".join(digests)).digest()


def sign_run(key: Ed25519PrivateKey, digests: Sequence[bytes]) -> str:
    return key.sign(run_digest(digests)).hex()


def run_verifies(public_key: str, signature: str, digests: Sequence[bytes]) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), run_digest(digests)
        )
    except (ValueError, InvalidSignature):
        return False
    return True
