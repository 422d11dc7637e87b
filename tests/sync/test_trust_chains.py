"""What the certificates say of an account's key, worked out once and asked of each op of
an ingest (sync/trust.py): the same grant as before for every clock, and a certificate
learnt in between (a revocation, a new grant) changes the answer at once."""

from __future__ import annotations

import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cc_terminal.store.keyring import public_hex
from cc_terminal.sync import certs
from cc_terminal.sync.trust import Grant, Trust

ROOT_KEY = Ed25519PrivateKey.generate()
ACCOUNT = str(uuid.uuid4())
ACCOUNT_KEY = public_hex(Ed25519PrivateKey.generate())


def _cert(kind: str, role: str, hlc: int) -> dict[str, Any]:
    cert: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "operator_id": ACCOUNT,
        "username": "petr",
        "role": role,
        "scope": "",
        "public_key": ACCOUNT_KEY,
        "kind": kind,
        "issuer_id": certs.ROOT,
        "issuer_key": public_hex(ROOT_KEY),
        "hlc": hlc,
        "at": "2026-12-05T12:00:00+00:00",
    }
    return {**cert, "signature": certs.sign(ROOT_KEY, cert)}


def _trust() -> Trust:
    return Trust(public_hex(ROOT_KEY), public_hex(Ed25519PrivateKey.generate()))


def test_the_grant_in_force_at_each_clock_and_a_revocation_learnt_between():
    trust = _trust()
    assert (
        trust.grant(ACCOUNT, ACCOUNT_KEY, 50) == "no certificate of the floor vouches for its key"
    )
    assert trust.learn(_cert(certs.GRANT, certs.OPERATOR, 100))
    assert trust.learn(_cert(certs.GRANT, certs.LEAD, 200))
    roles = {at: trust.grant(ACCOUNT, ACCOUNT_KEY, at) for at in (50, 100, 150, 200, 300)}
    assert {at: grant.role for at, grant in roles.items() if isinstance(grant, Grant)} == {
        50: certs.OPERATOR,  # before any grant: the first one
        100: certs.OPERATOR,
        150: certs.OPERATOR,
        200: certs.LEAD,
        300: certs.LEAD,
    }
    assert trust.learn(_cert(certs.REVOKE, certs.LEAD, 250))
    assert isinstance(trust.grant(ACCOUNT, ACCOUNT_KEY, 250), Grant)  # not after itself
    assert trust.grant(ACCOUNT, ACCOUNT_KEY, 251) == "its key was revoked before it signed"
    assert trust.grant(ACCOUNT, ACCOUNT_KEY, 300) == "its key was revoked before it signed"


def test_a_certificate_signed_by_nobody_trusted_vouches_for_nothing():
    trust = _trust()
    forged = _cert(certs.GRANT, certs.LEAD, 100)
    other = Ed25519PrivateKey.generate()
    forged = {**forged, "issuer_key": public_hex(other)}
    forged["signature"] = certs.sign(other, forged)
    assert trust.learn(forged)  # its own signature holds; its issuer is not the root's
    assert (
        trust.grant(ACCOUNT, ACCOUNT_KEY, 150) == "no certificate of the floor vouches for its key"
    )
