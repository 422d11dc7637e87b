"""One Argon2id run for both the password's check and the key its owner's signing key is
sealed with.

Checking a password and opening the account's signing key each cost an Argon2id run (on
purpose: about 100 ms each at the production cost), and sign-in did both. Here one run
over the password and a salt gives a 32-byte master secret, and two HMAC-SHA256 labels
split it: the *verifier* is stored as the password hash, the *sealing secret* seals the
signing key (store/keyring.py's ``v2`` seals, made with the same salt). The master itself
is never stored. Whoever copies the database holds the verifier and the sealed key; either
needs the master, so guessing a password costs one Argon2id run a guess, as before. (This
is the split that password managers use between logging in and opening the vault.)

The stored text is ``$cc-split$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<verifier>``
(unpadded base64, as argon2's own). A hash of the older kind (argon2-cffi's ``$argon2id$``)
is still checked, by argon2-cffi, and replaced by this kind at its owner's next sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, replace

from argon2 import profiles
from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw

from cc_terminal.store.password_cost import parameters

SCHEME = "$cc-split$argon2id"
PREFIX = SCHEME + "$"
SALT_BYTES = 16
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB: sixteen times today's cost
MAX_PASSES = 16
_CHECK_LABEL = b"cc-terminal: the password's check"
_SEAL_LABEL = b"cc-terminal: the signing key's seal"
_STORED = re.compile(
    r"^\$cc-split\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$"
)


@dataclass(frozen=True)
class Sealing:
    """What a signing key is sealed with: the secret, and the salt its seal carries."""

    secret: bytes
    salt: bytes


@dataclass(frozen=True)
class _Stored:
    cost: profiles.Parameters
    salt: bytes
    verifier: bytes


def is_split(stored: str) -> bool:
    return stored.startswith(PREFIX)


def make(password: str) -> tuple[str, Sealing]:
    """A new hash for ``password`` (a fresh salt) and the sealing that goes with it."""
    salt, cost = os.urandom(SALT_BYTES), parameters()
    master = run_argon2(password, salt, cost)
    text = "$".join(
        [
            SCHEME,
            f"v={ARGON2_VERSION}",
            f"m={cost.memory_cost},t={cost.time_cost},p={cost.parallelism}",
            _b64(salt),
            _b64(_label(master, _CHECK_LABEL)),
        ]
    )
    return text, Sealing(_label(master, _SEAL_LABEL), salt)


def check(stored: str, password: str) -> tuple[bool, Sealing | None]:
    """Whether ``password`` is the one ``stored`` was made from, and its sealing when it
    is. A text that is not a split hash is a wrong password (argon2-cffi checks the older
    kind: auth.py)."""
    parsed = _parse(stored)
    if parsed is None:
        return False, None
    master = run_argon2(password, parsed.salt, parsed.cost)
    if not hmac.compare_digest(_label(master, _CHECK_LABEL), parsed.verifier):
        return False, None
    return True, Sealing(_label(master, _SEAL_LABEL), parsed.salt)


def sealing_secret(password: str, salt: bytes) -> bytes:
    """The secret of a ``v2`` seal whose salt is not the password hash's (an older copy of
    the account's row): its own Argon2 run, at today's cost."""
    return _label(run_argon2(password, salt, parameters()), _SEAL_LABEL)


def needs_rehash(stored: str) -> bool:
    """An older kind of hash, or one made at another cost than today's."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    today = parameters()
    return (parsed.cost.memory_cost, parsed.cost.time_cost, parsed.cost.parallelism) != (
        today.memory_cost,
        today.time_cost,
        today.parallelism,
    )


def _parse(stored: str) -> _Stored | None:
    found = _STORED.match(stored)
    if found is None or int(found[1]) != ARGON2_VERSION:
        return None
    memory, passes, lanes = int(found[2]), int(found[3]), int(found[4])
    salt, verifier = _unb64(found[5]), _unb64(found[6])
    if salt is None or verifier is None or not _bounded(memory, passes, lanes):
        return None
    cost = replace(parameters(), time_cost=passes, memory_cost=memory, parallelism=lanes)
    return _Stored(cost, salt, verifier)


def _bounded(memory: int, passes: int, lanes: int) -> bool:
    """A cost Argon2 takes, and not one that would stall a sign-in (a row from elsewhere)."""
    return 1 <= lanes <= 16 and 8 * lanes <= memory <= MAX_MEMORY_KIB and 1 <= passes <= MAX_PASSES


def run_argon2(password: str, salt: bytes, cost: profiles.Parameters) -> bytes:
    """Argon2id's 32 bytes over the password and the salt, at ``cost``."""
    return hash_secret_raw(
        password.encode(),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_cost,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _label(master: bytes, label: bytes) -> bytes:
    return hmac.new(master, label, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        return None
