"""Every account's signing key: sealed by its password on the row, opened at sign-in,
kept across a password change, replaced (and the old one revoked) by a lead's reset; and
the ops a signed-in person writes are signed as runs. A lead's account decisions (role,
deactivation, reset: each vouched for or revoked, audited, refused in exact words) and the
floor's own steps: create vouches for everyone with a key, upgrade hands everyone else a
new key and password, the recovery key gives a lead a new key and lets her in at once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cc_terminal.models import AccountKey, AuditEvent, Operator, OutboxOp, OutboxRun
from cc_terminal.services.common.errors import (
    AccountLocked,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import Workstation
from cc_terminal.store import keyring
from cc_terminal.store.keyring import SealedKeyError, new_key, open_key, public_hex
from cc_terminal.store.signing import changes_text, op_digest, run_verifies
from cc_terminal.sync import certs
from tests.conftest import PASSWORDS, FixedClock


def _row(ws: Workstation, username: str) -> Operator:
    with ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def test_the_key_opens_with_the_password_only(ws: Workstation) -> None:
    jana = _row(ws, "jana")
    assert jana.signing_key.startswith(keyring.VERSION + "$") and len(jana.public_key) == 64
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
    assert op is not None and "v2$" not in op.changes and '"<secret:' in op.changes


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


# -- a lead's account decisions and the floor's steps (services/privacy/accounts.py) ----


def _issued(ws: Workstation, username: str) -> list[tuple[str, str, str, str, str]]:
    """The account's certificates, oldest first: kind, issuer, role, scope, key."""
    row = _row(ws, username)
    with ws.db.read() as session:
        query = select(AccountKey).where(AccountKey.operator_id == row.id).order_by(AccountKey.hlc)
        return [
            (c.kind, c.issuer_id, c.role, c.scope, c.public_key) for c in session.scalars(query)
        ]


def _events(ws: Workstation, kind: str) -> list[tuple[uuid.UUID | None, str, object]]:
    with ws.db.read() as session:
        query = select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.at)
        return [(e.actor_id, e.subject, e.at) for e in session.scalars(query)]


def test_a_role_change_is_vouched_for_with_the_new_role_and_audited(
    ws: Workstation, lead: Actor, clock: FixedClock
) -> None:
    clock.advance(60)
    ws.accounts.set_role(lead, "petr", "lead")
    key = _row(ws, "petr").public_key
    assert _row(ws, "petr").role == "lead"
    assert _issued(ws, "petr")[-1] == (certs.GRANT, str(lead.operator_id), "lead", "", key)
    assert _events(ws, "account.role") == [(lead.operator_id, "petr lead", clock())]
    with pytest.raises(ValidationFailed) as refused:
        ws.accounts.set_role(lead, "petr", "admin")
    assert refused.value.errors == {"role": "Role must be operator or lead."}


def test_a_role_change_of_an_account_without_a_key_issues_nothing(
    ws: Workstation, lead: Actor
) -> None:
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator).where(Operator.username == "petr").values(public_key="")  # type: ignore[arg-type]
        )
    before = _issued(ws, "petr")
    ws.accounts.set_role(lead, "petr", "lead")
    assert _row(ws, "petr").role == "lead" and _issued(ws, "petr") == before


def test_a_deactivated_account_has_its_key_revoked_but_a_lead_keeps_her_own(
    ws: Workstation, lead: Actor, clock: FixedClock
) -> None:
    key = _row(ws, "petr").public_key
    ws.accounts.deactivate(lead, "petr")
    assert not _row(ws, "petr").active
    assert _issued(ws, "petr")[-1] == (certs.REVOKE, str(lead.operator_id), "operator", "", key)
    assert _events(ws, "account.deactivated") == [(lead.operator_id, "petr", clock())]
    ws.accounts.deactivate(lead, " JANA ")  # the name as typed: any case, spaces around
    assert not _row(ws, "jana").active
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.deactivate(lead, "lead")
    assert str(refused.value) == "A team lead cannot deactivate their own account."
    assert _row(ws, "lead").active
    with pytest.raises(NotFound) as missing:
        ws.accounts.deactivate(lead, "nobody")
    assert str(missing.value) == "No such account."


@pytest.mark.parametrize("length", [7, 257])
def test_a_reset_password_of_the_wrong_length_is_refused(
    ws: Workstation, lead: Actor, length: int
) -> None:
    before = _row(ws, "petr").password_hash
    with pytest.raises(ValidationFailed) as refused:
        ws.accounts.reset_password(lead, "petr", "p" * length)
    assert refused.value.errors == {"password": "At least 8 characters."}
    assert _row(ws, "petr").password_hash == before


@pytest.mark.parametrize("length", [8, 256])
def test_a_reset_password_of_8_to_256_characters_is_taken_and_audited(
    ws: Workstation, lead: Actor, clock: FixedClock, length: int
) -> None:
    ws.accounts.reset_password(lead, "petr", "p" * length)
    assert ws.auth.login("petr", "p" * length).username == "petr"
    assert _events(ws, "account.password_reset") == [(lead.operator_id, "petr", clock())]


def test_only_a_lead_with_her_key_open_manages_accounts(
    ws: Workstation, lead: Actor, jana: Actor
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.set_role(jana, "petr", "lead")
    assert str(refused.value) == "Only a team lead manages accounts."
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.vouch_lead(jana)
    assert str(refused.value) == "Only a team lead manages accounts."
    ws.db.keyring.forget(lead.operator_id)
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.deactivate(lead, "petr")
    assert str(refused.value) == "Sign in again: your signing key is not open here."
    assert _row(ws, "petr").active


def test_a_lead_of_an_older_database_gets_her_key_when_the_floor_is_made(
    ws: Workstation, lead: Actor, jana: Actor
) -> None:
    opened = ws.db.keyring.get(lead.operator_id)
    assert ws.accounts.own_key(lead, PASSWORDS["lead"]) is opened  # open already: that one
    ws.db.keyring.forget(lead.operator_id)
    key = ws.accounts.own_key(lead, PASSWORDS["lead"])
    row = _row(ws, "lead")
    assert public_hex(key) == row.public_key != public_hex(opened)
    assert public_hex(open_key(row.signing_key, PASSWORDS["lead"], row.id)) == row.public_key
    assert ws.db.keyring.get(lead.operator_id) is key
    with ws.db.read() as session:
        op = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "operator").order_by(OutboxOp.seq.desc())  # type: ignore[attr-defined]
        ).first()
    assert op is not None and op.row_id == str(row.id) and op.actor_id == lead.operator_id
    ws.db.keyring.forget(jana.operator_id)
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.own_key(jana, PASSWORDS["jana"])
    assert str(refused.value) == "Only a team lead manages accounts."


def _without_keys(ws: Workstation, *usernames: str) -> None:
    """Accounts made before the signed floor (schema 0014): no key yet."""
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username.in_(usernames))  # type: ignore[attr-defined]
            .values(public_key="", signing_key="")  # type: ignore[arg-type]
        )


def test_a_new_floor_vouches_for_each_active_account_with_a_key_and_names_the_keyless(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    ServiceAccounts(ws.db).add(lead, "gateway", "customer,call", tmp_path / "gw.pem")
    ws.auth.create_operator(lead, "karel", "Karel Malý", "operator", "karel-pass-1")
    ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "eva-pass-12")
    ws.accounts.deactivate(lead, "eva")
    _without_keys(ws, "petr", "karel")
    assert ws.accounts.vouch_all(lead) == ["karel", "petr"]  # by name
    rooted = {
        (username, role, scope)
        for username in ("lead", "jana", "petr", "karel", "eva", "gateway")
        for kind, issuer, role, scope, _key in _issued(ws, username)
        if issuer == certs.ROOT and kind == certs.GRANT
    }
    assert rooted == {
        ("lead", "lead", ""),
        ("jana", "operator", ""),
        ("gateway", "service", "call,customer"),
    }
    carried = ws.accounts.certificates()
    with ws.db.read() as session:
        assert len(carried) == len(session.scalars(select(AccountKey)).all())
    root = next(c for c in carried if c["issuer_id"] == certs.ROOT and c["username"] == "jana")
    assert root["operator_id"] == str(_row(ws, "jana").id) and isinstance(root["at"], str)


def test_an_upgraded_floor_hands_every_other_person_a_new_key_and_password(
    ws: Workstation, lead: Actor, clock: FixedClock, tmp_path: Path
) -> None:
    ServiceAccounts(ws.db).add(lead, "gateway", "call", tmp_path / "gw.pem")
    service_key = _row(ws, "gateway").public_key
    old = {name: _row(ws, name).public_key for name in ("lead", "jana", "petr")}
    ws.accounts.vouch_lead(lead)
    assert _issued(ws, "lead")[-1] == (certs.GRANT, certs.ROOT, "lead", "", old["lead"])
    handed = ws.accounts.rotate_all(lead)
    assert [h.username for h in handed] == ["jana", "petr"]  # not the lead, not the service
    for person in handed:
        assert len(person.password) == 12
        new = _row(ws, person.username).public_key
        assert new != old[person.username] and _row(ws, person.username).must_change_password
        assert _issued(ws, person.username)[-2:] == [
            (certs.GRANT, certs.ROOT, "operator", "", new),
            (certs.REVOKE, certs.ROOT, "operator", "", old[person.username]),
        ]
        assert ws.auth.login(person.username, person.password).username == person.username
    assert handed[0].password != handed[1].password
    assert _row(ws, "lead").public_key == old["lead"]
    assert _row(ws, "gateway").public_key == service_key
    assert _issued(ws, "gateway")[-1] == (certs.GRANT, certs.ROOT, "service", "call", service_key)
    assert _events(ws, "account.password_reset") == [(lead.operator_id, "floor upgrade", clock())]


def test_the_recovery_key_gives_a_lead_a_new_key_and_lets_her_in_at_once(
    ws: Workstation, lead: Actor, clock: FixedClock
) -> None:
    clock.advance(60)
    for name in ("lead", "petr"):  # whoever stole her password changed it; she tried hers
        for _attempt in range(6):
            with pytest.raises((InvalidCredentials, AccountLocked)):
                ws.auth.login(name, "wrong-guess")
    old = _row(ws, "lead").public_key
    recovery = new_key()
    ws.accounts.recover("Lead", recovery, "lead-new-pass-1")
    row = _row(ws, "lead")
    assert row.public_key != old and row.must_change_password
    assert _issued(ws, "lead")[-2:] == [
        (certs.GRANT, certs.RECOVERY, "lead", "", row.public_key),
        (certs.REVOKE, certs.RECOVERY, "lead", "", old),
    ]
    with ws.db.read() as session:
        newest = session.scalars(select(AccountKey).order_by(AccountKey.hlc.desc())).first()  # type: ignore[attr-defined]
        op = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "operator").order_by(OutboxOp.seq.desc())  # type: ignore[attr-defined]
        ).first()
    assert newest is not None and newest.issuer_key == public_hex(recovery)
    assert op is not None and op.row_id == str(row.id) and op.actor_id == row.id  # hers
    assert public_hex(ws.db.keyring.get(row.id)) == row.public_key  # type: ignore[arg-type]
    assert ws.auth.login("lead", "lead-new-pass-1").username == "lead"  # no wait left
    with pytest.raises(AccountLocked):  # another name's waits are not hers to clear
        ws.auth.login("petr", PASSWORDS["petr"])
    assert _events(ws, "account.recovered") == [(row.id, "lead", clock())]  # as stored


def test_the_recovery_key_recovers_team_leads_only(ws: Workstation) -> None:
    before = _row(ws, "jana").public_key
    with pytest.raises(PermissionDenied) as refused:
        ws.accounts.recover("jana", new_key(), "jana-new-pass-1")
    assert str(refused.value) == "The recovery key recovers team leads only."
    assert _row(ws, "jana").public_key == before


def test_a_service_account_has_no_password_or_role_for_a_lead_to_change(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    ServiceAccounts(ws.db).add(lead, "gateway", "call", tmp_path / "gw.pem")
    for change in (
        lambda: ws.accounts.reset_password(lead, "gateway", "now-a-person-1"),
        lambda: ws.accounts.set_role(lead, "gateway", "operator"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            change()
        assert str(refused.value) == "A service account has no password or role to change."
    assert _row(ws, "gateway").role == "service"
