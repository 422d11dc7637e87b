"""The Argon2id cost of the passwords and of the signing keys sealed by them.

In production it is argon2-cffi's default, RFC 9106's low-memory profile (3 passes over
64 MiB, 4 lanes): about 100 ms a password on a workstation, on purpose. The test suite
alone sets ``CC_TERMINAL_TEST_CHEAP_ARGON2=1`` (tests/conftest.py), for its own process and
the commands it starts: its thousands of sign-ins would otherwise cost minutes of every
run. A hash made at the cheap cost is still Argon2id; a production terminal rehashes it
at the production cost at the next sign-in (``check_needs_rehash``). A test proves a store
made without the variable holds production-cost hashes.
"""

from __future__ import annotations

import os
from dataclasses import replace

from argon2 import PasswordHasher, profiles

CHEAP_ENV = "CC_TERMINAL_TEST_CHEAP_ARGON2"
PRODUCTION = profiles.RFC_9106_LOW_MEMORY
# The hash and salt stay production-sized: only the work is cut.
CHEAP = replace(PRODUCTION, time_cost=1, memory_cost=8, parallelism=1)


def parameters() -> profiles.Parameters:
    return CHEAP if os.environ.get(CHEAP_ENV) == "1" else PRODUCTION


def password_hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(parameters())
