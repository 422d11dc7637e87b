"""Signing in as a lead reads it in the trail: each attempt's event with why it failed and
the wait it started, the waits doubling up to the floor's maximum, the policy's bounds in
words, the screen lock, a password change's exact messages, and a lead's unlock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import AccountKey, AuditEvent
from cc_terminal.services.common.errors import (
    AccountLocked,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.workstation import Workstation
from tests.conftest import PASSWORDS, login


def trail(ws: Workstation, *kinds: str) -> list[tuple[object, str, str, object]]:
    with ws.db.read() as session:
        query = select(AuditEvent).where(AuditEvent.kind.in_(kinds)).order_by(AuditEvent.at)  # type: ignore[attr-defined]
        return [(e.actor_id, e.kind, e.detail, e.at) for e in session.scalars(query)]


def test_each_attempt_is_in_the_trail_with_why_it_failed_and_the_wait_it_started(ws, clock):
    jana = login(ws, "jana")
    clock.advance(60)
    for username in ("jana", "nobody", "jana", "jana", "jana", "jana"):
        with pytest.raises(InvalidCredentials):
            ws.auth.login(username, "wrong")
    assert trail(ws, "login.failed", "login.locked") == [
        (jana.operator_id, "login.failed", "wrong password", clock()),
        (None, "login.failed", "unknown or inactive account", clock()),
        *[(jana.operator_id, "login.failed", "wrong password", clock())] * 3,
        (None, "login.locked", "jana 30 s", clock()),
        (jana.operator_id, "login.failed", "wrong password", clock()),
    ]
    assert trail(ws, "login.ok")[-1] == (
        jana.operator_id,
        "login.ok",
        "",
        clock() - timedelta(seconds=60),
    )


def test_an_inactive_account_signs_in_nowhere(ws, lead):
    ws.accounts.deactivate(lead, "petr")
    with pytest.raises(InvalidCredentials) as refused:
        ws.auth.login("petr", PASSWORDS["petr"])
    assert str(refused.value) == "Wrong user name or password."


def test_the_waits_double_up_to_the_floors_maximum(ws, lead, clock):
    ws.auth.set_policy(lead, 3, 1)
    waits = []
    for _attempt in range(6):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            ws.auth.login("petr", "wrong")
        try:
            ws.auth.login("petr", "wrong")
        except AccountLocked as locked:
            waits.append(locked.until - clock())
        except InvalidCredentials:
            waits.append(timedelta(0))
        clock.advance(61)
    assert waits[:3] == [timedelta(0), timedelta(seconds=30), timedelta(seconds=60)]
    assert set(waits[3:]) == {timedelta(seconds=60)}  # never more than the one minute set


@pytest.mark.parametrize(("free", "longest"), [(2, 0), (21, 24 * 60 + 1)])
def test_a_policy_out_of_its_bounds_is_refused_in_words(ws, lead, free, longest):
    before = ws.auth.policy()
    with pytest.raises(ValidationFailed) as refused:
        ws.auth.set_policy(lead, free, longest)
    assert refused.value.errors == {
        "free_attempts": "Between 3 and 20.",
        "max_delay_minutes": "Between 1 minute and a day.",
    }
    assert (ws.auth.policy().free_attempts, ws.auth.policy().max_delay_minutes) == (
        before.free_attempts,
        before.max_delay_minutes,
    )


def test_a_policy_at_its_bounds_is_kept_and_audited(ws, lead, jana, clock):
    for free, longest in ((3, 24 * 60), (20, 1)):
        kept = ws.auth.set_policy(lead, free, longest)
        assert (kept.free_attempts, kept.max_delay_minutes) == (free, longest)
        assert (ws.auth.policy().free_attempts, ws.auth.policy().max_delay_minutes) == kept_pair(
            kept
        )
    assert [detail for _who, _kind, detail, _at in trail(ws, "config.security_policy")] == [
        "free_attempts=3 max_delay_minutes=1440",
        "free_attempts=20 max_delay_minutes=1",
    ]
    with pytest.raises(PermissionDenied) as refused:
        ws.auth.set_policy(jana, 5, 5)
    assert str(refused.value) == "Only a team lead sets the sign-in policy."


def kept_pair(policy) -> tuple[int, int]:
    return policy.free_attempts, policy.max_delay_minutes


def test_the_screen_lock_opens_with_her_password_only_and_both_are_audited(ws, jana, clock):
    ws.auth.lock_session(jana)
    with pytest.raises(InvalidCredentials):
        ws.auth.unlock_session(jana, "wrong")
    ws.auth.unlock_session(jana, PASSWORDS["jana"])
    assert trail(ws, "session.locked", "session.unlocked") == [
        (jana.operator_id, "session.locked", "", clock()),
        (jana.operator_id, "session.unlocked", "", clock()),
    ]


def test_a_password_change_says_exactly_what_is_wrong(ws, jana):
    current = PASSWORDS["jana"]
    for new, again, errors in (
        ("short", "other", {"new": "At least 8 characters.", "again": "The two passwords differ."}),
        ("p" * 257, "p" * 257, {"new": "At least 8 characters."}),
        (current, current, {"new": "Choose a password other than the one you were given."}),
    ):
        with pytest.raises(ValidationFailed) as refused:
            ws.auth.change_password(jana, current, new, again)
        assert refused.value.errors == errors
    changed = ws.auth.change_password(jana, current, "p" * 256, "p" * 256)
    assert changed.username == "jana" and ws.auth.login("jana", "p" * 256)


def test_a_password_change_of_an_account_without_an_open_key_gives_it_one(ws, jana):
    ws.db.keyring.forget(jana.operator_id)
    ws.auth.change_password(jana, PASSWORDS["jana"], "jana-new-pass-2", "jana-new-pass-2")
    assert ws.db.keyring.get(jana.operator_id) is not None


def test_a_lead_unlocks_by_name_and_it_is_audited(ws, lead, jana, clock):
    for _attempt in range(6):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            ws.auth.login("petr", "wrong")
    with pytest.raises(PermissionDenied) as refused:
        ws.auth.unlock(jana, "petr")
    assert str(refused.value) == "Only a team lead unlocks accounts."
    with pytest.raises(NotFound) as missing:
        ws.auth.unlock(lead, "nobody")
    assert str(missing.value) == "No such account."
    info = ws.auth.unlock(lead, "petr")
    assert (info.username, info.locked_until) == ("petr", None)
    assert trail(ws, "account.unlocked") == [
        (lead.operator_id, "account.unlocked", "petr", clock())
    ]
    assert login(ws, "petr").username == "petr"


def test_an_account_a_lead_makes_is_vouched_for_audited_and_in_the_contact_centre(ws, lead, clock):
    info = ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "eva-pass-12")
    assert (info.department, info.active) == ("contact_centre", True)
    assert trail(ws, "account.created")[-1] == (lead.operator_id, "account.created", "eva", clock())
    with ws.db.read() as session:
        issuers = session.scalars(
            select(AccountKey.issuer_id).where(AccountKey.operator_id == info.id)
        ).all()
    assert issuers == [str(lead.operator_id)]
    assert ws.db.keyring.get(info.id) is None  # her key opens when she signs in
    kept = ws.auth.create_operator(lead, "ivo", "Ivo", "operator", "ivo-pass-12", keep_key=True)
    assert ws.db.keyring.get(kept.id) is not None
    assert ws.auth.has_accounts()


def _row(ws: Workstation, username: str):
    from cc_terminal.models import Operator

    with ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def _newest_op_actor(ws: Workstation, entity: str):
    from cc_terminal.models import OutboxOp

    with ws.db.read() as session:
        query = select(OutboxOp.actor_id).where(OutboxOp.entity == entity)
        return session.scalars(query.order_by(OutboxOp.seq.desc())).first()  # type: ignore[attr-defined]


def test_an_account_from_before_the_keys_gets_one_at_its_first_sign_in_only(ws, clock):
    from sqlalchemy import update

    from cc_terminal.models import Operator
    from cc_terminal.services.privacy.auth import AuthService
    from cc_terminal.store.keyring import open_key, public_hex

    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username == "petr")
            .values(public_key="", signing_key="")  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidCredentials):
        ws.auth.login("petr", "wrong")
    assert _row(ws, "petr").signing_key == ""  # a wrong password makes no key
    petr = AuthService(ws.db, clock, "terminal-7").login("petr", PASSWORDS["petr"])
    row = _row(ws, "petr")
    key = ws.db.keyring.get(petr.operator_id)
    assert key is not None and public_hex(key) == row.public_key != ""
    assert public_hex(open_key(row.signing_key, PASSWORDS["petr"], row.id)) == row.public_key
    assert _newest_op_actor(ws, "audit_event") == petr.operator_id  # signed in as herself
    assert login(ws, "petr").department == "billing"
    assert _row(ws, "petr").public_key == row.public_key  # the next sign-in keeps it


def test_a_password_change_keeps_her_key_and_is_her_own_write(ws, jana):
    from cc_terminal.store.keyring import open_key, public_hex

    before = _row(ws, "jana").public_key
    ws.auth.change_password(jana, PASSWORDS["jana"], "p" * 8, "p" * 8)
    row = _row(ws, "jana")
    assert row.public_key == before
    assert public_hex(open_key(row.signing_key, "p" * 8, row.id)) == before
    assert _newest_op_actor(ws, "operator") == jana.operator_id
    assert trail(ws, "account.password")[-1][:3] == (jana.operator_id, "account.password", "")


def test_a_key_sealed_under_an_older_password_is_replaced_at_the_change(ws, jana):
    from sqlalchemy import update

    from cc_terminal.models import Operator
    from cc_terminal.store import password_secret
    from cc_terminal.store.keyring import new_key, open_key, public_hex, seal

    sealing = password_secret.make("an-older-password")[1]
    stale = seal(sealing, new_key(), jana.operator_id)  # an older copy
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator).where(Operator.username == "jana").values(signing_key=stale)  # type: ignore[arg-type]
        )
    ws.db.keyring.forget(jana.operator_id)
    ws.auth.change_password(jana, PASSWORDS["jana"], "jana-new-pass-2", "jana-new-pass-2")
    row = _row(ws, "jana")
    key = ws.db.keyring.get(jana.operator_id)
    assert key is not None and public_hex(key) == row.public_key
    assert public_hex(open_key(row.signing_key, "jana-new-pass-2", row.id)) == row.public_key


def test_sign_out_forgets_her_key(ws, jana):
    ws.auth.sign_out(jana)
    assert ws.db.keyring.get(jana.operator_id) is None


def test_a_password_changed_during_the_check_is_checked_again(ws, monkeypatch):
    from sqlalchemy import update

    from cc_terminal.models import Operator
    from cc_terminal.services.privacy import auth
    from cc_terminal.store import password_secret

    checked_and_opened = auth.checked_and_opened

    def changed_meanwhile(*checked_with):
        found = checked_and_opened(*checked_with)
        new_hash, _sealing = password_secret.make("jana-new-pass-2")
        with ws.db.engine.begin() as connection:  # the change arrives from another terminal
            connection.execute(
                update(Operator).where(Operator.username == "jana").values(password_hash=new_hash)  # type: ignore[arg-type]
            )
        return found

    monkeypatch.setattr(auth, "checked_and_opened", changed_meanwhile)
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", PASSWORDS["jana"])  # right a moment ago, no longer
    assert ws.auth.login("jana", "jana-new-pass-2").username == "jana"  # the new one is


def test_typed_names_are_counted_by_their_first_100_characters(ws):
    for ending in "abcde":
        with pytest.raises(InvalidCredentials):
            ws.auth.login("x" * 100 + ending, "wrong")
    with pytest.raises(AccountLocked):
        ws.auth.login("x" * 100 + "f", "wrong")


def test_a_throttled_attempt_is_in_the_trail_as_throttled(ws, clock):
    jana = login(ws, "jana")
    for _attempt in range(5):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("jana", "wrong")
    with pytest.raises(AccountLocked):
        ws.auth.login("jana", PASSWORDS["jana"])
    assert trail(ws, "login.throttled") == [(jana.operator_id, "login.throttled", "jana", clock())]


def test_a_lead_may_hand_out_an_account_that_keeps_its_password(ws, lead):
    info = ws.auth.create_operator(
        lead, "eva", "Eva Černá", "operator", "eva-pass-12", must_change=False
    )
    assert info.full_name == "Eva Černá"
    assert not ws.auth.login("eva", "eva-pass-12").must_change_password
    assert _newest_op_actor(ws, "operator") == lead.operator_id


def test_the_first_account_is_its_own_write_with_its_key_open(tmp_path):
    from cc_terminal.config import Settings
    from cc_terminal.models import OutboxOp
    from cc_terminal.services.workstation import open_workstation
    from cc_terminal.store.keyring import public_hex

    empty = open_workstation(
        Settings(db_url=f"sqlite:///{tmp_path / 'new.sqlite3'}", data_dir=tmp_path)
    )
    try:
        assert not empty.auth.has_accounts()
        first = empty.auth.create_operator(None, "eva", "Eva Černá", "lead", "eva-pass-12")
        key = empty.db.keyring.get(first.id)
        assert key is not None and public_hex(key) == _row(empty, "eva").public_key
        with empty.db.read() as session:
            writers = set(session.scalars(select(OutboxOp.actor_id)))
        assert writers == {first.id}
    finally:
        empty.close()


def test_the_leads_policy_lock_and_unlock_are_their_own_writes(ws, lead, jana):
    kept = ws.auth.set_policy(lead, 4, 10)
    assert (kept.id, kept.free_attempts, kept.max_delay_minutes) == (1, 4, 10)
    assert _newest_op_actor(ws, "security_policy") == lead.operator_id
    assert trail(ws, "config.security_policy")[-1][0] == lead.operator_id
    for step, who in (
        (lambda: ws.auth.lock_session(jana), jana),
        (lambda: ws.auth.unlock_session(jana, PASSWORDS["jana"]), jana),
        (lambda: ws.auth.unlock(lead, "petr"), lead),
    ):
        step()
        assert _newest_op_actor(ws, "audit_event") == who.operator_id
    assert _row(ws, "petr").failed_logins == 0


def test_a_sign_in_with_a_key_sealed_under_an_older_password_makes_no_new_key(ws):
    from sqlalchemy import update

    from cc_terminal.models import Operator
    from cc_terminal.store import password_secret
    from cc_terminal.store.keyring import new_key, seal

    jana = login(ws, "jana")
    sealing = password_secret.make("an-older-password")[1]
    stale = seal(sealing, new_key(), jana.operator_id)  # an older copy
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator).where(Operator.username == "jana").values(signing_key=stale)  # type: ignore[arg-type]
        )
    before = _row(ws, "jana").public_key
    ws.db.keyring.forget(jana.operator_id)
    assert login(ws, "jana").username == "jana"
    assert ws.db.keyring.get(jana.operator_id) is None  # only a lead vouches for a new key
    assert (_row(ws, "jana").public_key, _row(ws, "jana").signing_key) == (before, stale)
