from datetime import timedelta

import pytest

from cc_terminal.services.errors import (
    AccountLocked,
    InvalidCredentials,
    PermissionDenied,
    ValidationFailed,
)
from tests.conftest import PASSWORDS, login
from tests.helpers import count_rows, rows


def test_login_returns_the_actor_with_role(ws):
    actor = login(ws, "lead")
    assert (actor.username, actor.role, actor.is_lead) == ("lead", "lead", True)
    assert not login(ws, "jana").is_lead


def test_passwords_are_stored_as_argon2_hashes(ws):
    hashes = [h for (h,) in rows(ws, "SELECT password_hash FROM operator")]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())


def test_wrong_password_and_unknown_user_are_refused_alike(ws):
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "wrong")
    with pytest.raises(InvalidCredentials):
        ws.auth.login("nobody", "wrong")


def test_five_wrong_passwords_lock_the_account_until_the_lockout_ends(ws, clock):
    for _attempt in range(4):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("jana", "wrong")
    with pytest.raises(AccountLocked) as locked:
        ws.auth.login("jana", "wrong")
    assert locked.value.until == clock() + timedelta(minutes=15)
    with pytest.raises(AccountLocked):
        ws.auth.login("jana", PASSWORDS["jana"])  # even the right password
    clock.advance(15 * 60 + 1)
    assert login(ws, "jana").username == "jana"


def test_a_good_login_resets_the_failure_count(ws):
    for _attempt in range(4):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("jana", "wrong")
    login(ws, "jana")
    for _attempt in range(4):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("jana", "wrong")
    assert login(ws, "jana")


def test_a_lead_unlocks_an_account(ws, lead, jana):
    for _attempt in range(5):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            ws.auth.login("petr", "wrong")
    with pytest.raises(PermissionDenied):
        ws.auth.unlock(jana, "petr")
    ws.auth.unlock(lead, "petr")
    assert login(ws, "petr")


def test_every_attempt_is_audited(ws):
    before = count_rows(ws, "audit_event")
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "wrong")
    login(ws, "jana")
    kinds = [k for (k,) in rows(ws, "SELECT kind FROM audit_event ORDER BY at")][before:]
    assert sorted(kinds) == ["login.failed", "login.ok"]


def test_only_a_lead_adds_accounts(ws, lead, jana):
    with pytest.raises(PermissionDenied):
        ws.auth.create_operator(jana, "eva", "Eva Černá", "operator", "eva-pass-1")
    info = ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "eva-pass-1")
    assert info.role == "operator"
    assert ws.auth.login("eva", "eva-pass-1").full_name == "Eva Černá"


def test_without_an_actor_only_the_first_lead_can_be_created(ws):
    with pytest.raises(PermissionDenied, match="Accounts exist"):
        ws.auth.create_operator(None, "eva", "Eva", "lead", "eva-pass-1")


def test_account_fields_are_validated_together(ws, lead):
    with pytest.raises(ValidationFailed) as failed:
        ws.auth.create_operator(lead, "Bad Name!", "", "boss", "short")
    assert set(failed.value.errors) == {"username", "full_name", "role", "password"}
    with pytest.raises(ValidationFailed, match="taken"):
        ws.auth.create_operator(lead, "jana", "Jana", "operator", "long-enough")
