"""Every account's signing key: sealed by its password on the row, opened at sign-in,
kept across a password change, replaced (and the old one revoked) by a lead's reset; and
the ops a signed-in person writes are signed as runs."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from cc_terminal.models import AccountKey, Operator, OutboxOp, OutboxRun
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.keyring import SealedKeyError, open_key, public_hex
from cc_terminal.store.signing import changes_text, op_digest, run_verifies
from cc_terminal.sync import certs
from tests.conftest import PASSWORDS


def _row(ws: Workstation, username: str) -> Operator:
    with ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def test_the_key_opens_with_the_password_only(ws: Workstation) -> None:
    jana = _row(ws, "jana")
    assert jana.signing_key.startswith("v1$") and len(jana.public_key) == 64
    key = open_key(jana.signing_key, PASSWORDS["jana"], jana.id)
    assert public_hex(key) == jana.public_key
    with pytest.raises(SealedKeyError):
        open_key(jana.signing_key, "not-her-password", jana.id)
    with pytest.raises(SealedKeyError):  # bound to her account: another row cannot use it
        open_key(jana.signing_key, PASSWORDS["jana"], uuid.uuid4())


def test_sign_in_opens_the_key_and_sign_out_forgets_it(ws: Workstation, jana: Actor) -> None:
    assert ws.db.keyring.get(jana.operator_id) is not None
    ws.auth.sign_out(jana)
    assert ws.db.keyring.get(jana.operator_id) is None


def test_what_a_signed_in_person_writes_is_signed_as_one_run(ws: Workstation, jana: Actor) -> None:
    ws.auth.lock_session(jana)
    with ws.db.read() as session:
        op = session.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc())).first()  # type: ignore[union-attr]
        assert op is not None and op.run_id is not None
        run = session.get(OutboxRun, op.run_id)
    assert run is not None and run.signer == jana.operator_id and run.count == 1
    digest = op_digest(
        str(op.op_id),
        op.entity,
        op.row_id,
        op.kind,
        op.changes,
        str(op.actor_id),
        op.at.isoformat(),
        op.hlc,
    )
    assert run_verifies(run.public_key, run.signature, [digest])
    assert run.public_key == _row(ws, "jana").public_key


def test_a_password_change_keeps_the_key_under_the_new_password(
    ws: Workstation, jana: Actor
) -> None:
    before = _row(ws, "jana").public_key
    ws.auth.change_password(jana, PASSWORDS["jana"], "jana-new-pass-2", "jana-new-pass-2")
    row = _row(ws, "jana")
    assert row.public_key == before
    assert public_hex(open_key(row.signing_key, "jana-new-pass-2", row.id)) == before
    with ws.db.read() as session:
        op = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "operator").order_by(OutboxOp.seq.desc())  # type: ignore[attr-defined]
        ).first()
    assert op is not None and "v1$" not in op.changes and '"<secret:' in op.changes


def test_a_reset_by_a_lead_makes_a_new_key_vouched_for_and_revokes_the_old(
    ws: Workstation, lead: Actor
) -> None:
    old = _row(ws, "petr").public_key
    ws.accounts.reset_password(lead, "petr", "petr-temporary-9")
    row = _row(ws, "petr")
    assert row.public_key != old and row.must_change_password
    assert public_hex(open_key(row.signing_key, "petr-temporary-9", row.id)) == row.public_key
    with ws.db.read() as session:
        issued = {
            (cert.kind, cert.public_key): cert
            for cert in session.scalars(select(AccountKey).where(AccountKey.operator_id == row.id))
        }
    grant, revoke = issued[(certs.GRANT, row.public_key)], issued[(certs.REVOKE, old)]
    assert grant.scope == revoke.scope == ""  # a person's key: no service tables
    for cert in (grant, revoke):
        values = {name: getattr(cert, name) for name in (*certs.FIELDS, "signature")}
        assert certs.verifies(values)
        assert cert.issuer_id == str(lead.operator_id)
    assert changes_text({"b": 1, "a": "x"}) == '{"a": "x", "b": 1}'


def test_a_reset_of_an_account_from_before_the_keys_revokes_nothing(
    ws: Workstation, lead: Actor
) -> None:
    """An account made before the signed floor (schema 0014) has no key to revoke."""
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username == "petr")
            .values(public_key="", signing_key="")  # type: ignore[arg-type]
        )
    ws.accounts.reset_password(lead, "petr", "petr-temporary-9")
    row = _row(ws, "petr")
    with ws.db.read() as session:
        issued = [
            (cert.kind, cert.public_key)
            for cert in session.scalars(select(AccountKey).where(AccountKey.operator_id == row.id))
        ]
    assert (certs.GRANT, row.public_key) in issued
    assert [key for kind, key in issued if kind == certs.REVOKE] == []
