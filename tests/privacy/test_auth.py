from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent
from cc_terminal.services.common.errors import (
    AccountLocked,
    InvalidCredentials,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.store.password_cost import CHEAP_ENV
from tests.conftest import PASSWORDS, login
from tests.helpers import count_rows, rows


def test_login_returns_the_actor_with_role(ws):
    actor = login(ws, "lead")
    assert (actor.username, actor.role, actor.is_lead) == ("lead", "lead", True)
    assert not login(ws, "jana").is_lead


def test_login_returns_the_accounts_language_and_phone_extension(ws):
    lead, jana = login(ws, "lead"), login(ws, "jana")
    ws.own_settings.set_language(jana, "cs")
    ws.account_list.set_extension(lead, "jana", "201")
    again = login(ws, "jana")
    assert (again.language, again.phone_extension) == ("cs", "201")


def test_passwords_are_stored_as_argon2_hashes(ws):
    hashes = [h for (h,) in rows(ws, "SELECT password_hash FROM operator")]
    assert all(h.startswith("$cc-split$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())


def test_wrong_password_and_unknown_user_are_refused_alike(ws):
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "wrong")
    with pytest.raises(InvalidCredentials):
        ws.auth.login("nobody", "wrong")


def test_after_five_wrong_passwords_each_try_waits_longer(ws, clock):
    for _attempt in range(4):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("jana", "wrong")
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "wrong")  # the fifth: from now on, a wait
    with pytest.raises(AccountLocked) as blocked:
        ws.auth.login("jana", PASSWORDS["jana"])  # even the right password waits
    assert blocked.value.until == clock() + timedelta(seconds=30)
    clock.advance(31)
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "wrong")
    with pytest.raises(AccountLocked) as blocked:
        ws.auth.login("jana", "wrong")
    assert blocked.value.until == clock() + timedelta(seconds=60)  # doubled
    clock.advance(61)
    assert login(ws, "jana").username == "jana"


def test_an_unknown_user_is_throttled_exactly_like_a_known_one(ws):
    for name in ("jana", "nobody"):
        for _attempt in range(5):
            with pytest.raises(InvalidCredentials) as refused:
                ws.auth.login(name, "wrong")
            assert str(refused.value) == "Wrong user name or password."
        with pytest.raises(AccountLocked) as blocked:
            ws.auth.login(name, "wrong")
        assert "wait before trying again" in str(blocked.value)


def test_a_throttled_answer_takes_as_long_as_a_wrong_password(ws, monkeypatch):
    import time

    # What is timed is the Argon2 work: at production cost, as the suite's cheap one is
    # lost in the store's own work. The two accounts' next sign-ins rehash at that cost.
    monkeypatch.delenv(CHEAP_ENV)
    for name in ("lead", "petr"):
        login(ws, name)
    stored = rows(ws, "SELECT password_hash FROM operator WHERE username IN ('lead', 'petr')")
    assert all(h.startswith("$cc-split$argon2id$v=19$m=65536,t=3,p=4$") for (h,) in stored)
    for _attempt in range(5):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("lead", "wrong")
    started = time.perf_counter()
    with pytest.raises(AccountLocked):
        ws.auth.login("lead", "wrong")
    blocked = time.perf_counter() - started
    started = time.perf_counter()
    with pytest.raises(InvalidCredentials):
        ws.auth.login("petr", "wrong")
    wrong = time.perf_counter() - started
    assert blocked > wrong / 3  # both pay for one Argon2 verify (3 ms against 140 ms before)


def test_wrong_passwords_at_one_terminal_do_not_lock_the_lead_out_of_another(ws, clock):
    from cc_terminal.services.privacy.auth import AuthService

    elsewhere = AuthService(ws.db, clock, "terminal-7")
    for _attempt in range(12):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            elsewhere.login("lead", "wrong")
    assert login(ws, "lead").role == "lead"  # this terminal is not throttled


def test_the_policy_is_the_floors_and_a_lead_sets_it(ws, lead, jana, clock):
    with pytest.raises(PermissionDenied):
        ws.auth.set_policy(jana, 3, 5)
    with pytest.raises(ValidationFailed):
        ws.auth.set_policy(lead, 1, 5)
    ws.auth.set_policy(lead, 3, 5)
    for _attempt in range(3):
        with pytest.raises(InvalidCredentials):
            ws.auth.login("petr", "wrong")
    with pytest.raises(AccountLocked):
        ws.auth.login("petr", "wrong")
    assert rows(ws, "SELECT kind FROM audit_event WHERE kind = 'config.security_policy'")


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
    for _attempt in range(6):
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


def test_an_account_a_lead_makes_changes_its_password_at_the_first_sign_in(ws, lead):
    ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "given-by-lead")
    eva = ws.auth.login("eva", "given-by-lead")
    assert eva.must_change_password
    with pytest.raises(ValidationFailed) as bad:
        ws.auth.change_password(eva, "given-by-lead", "short", "other")
    assert set(bad.value.errors) == {"new", "again"}
    with pytest.raises(ValidationFailed) as same:
        ws.auth.change_password(eva, "given-by-lead", "given-by-lead", "given-by-lead")
    assert "new" in same.value.errors
    with pytest.raises(InvalidCredentials):
        ws.auth.change_password(eva, "wrong-current", "evas-own-pass", "evas-own-pass")
    changed = ws.auth.change_password(eva, "given-by-lead", "evas-own-pass", "evas-own-pass")
    assert not changed.must_change_password
    assert not ws.auth.login("eva", "evas-own-pass").must_change_password
    with pytest.raises(InvalidCredentials):
        ws.auth.login("eva", "given-by-lead")
    with ws.db.read() as session:
        kinds = session.scalars(
            select(AuditEvent.kind).where(AuditEvent.actor_id == eva.operator_id)
        ).all()
    assert "account.password" in kinds
    with ws.db.connect() as connection:
        changes = " ".join(
            row[0] for row in connection.exec_driver_sql("SELECT changes FROM outbox_op")
        )
    assert "argon2" not in changes and "evas-own-pass" not in changes  # no secret in an op


def test_the_first_lead_and_the_demo_floor_choose_their_own_passwords(ws):
    assert not ws.auth.login("lead", PASSWORDS["lead"]).must_change_password
    assert not ws.auth.login("jana", PASSWORDS["jana"]).must_change_password


def test_each_account_field_says_exactly_what_is_wrong(ws, lead):
    with pytest.raises(ValidationFailed) as failed:
        ws.auth.create_operator(lead, "Bad Name!", "", "boss", "short", "")
    assert failed.value.errors == {
        "username": "2 to 40 characters: small letters, digits, . _ -; a letter first.",
        "full_name": "Required.",
        "role": "Role must be operator or lead.",
        "password": "At least 8 characters.",
        "department": "Required.",
    }
    with pytest.raises(ValidationFailed) as unknown:
        ws.auth.create_operator(lead, "jana", "Jana", "operator", "long-enough", "nowhere")
    assert unknown.value.errors == {
        "department": "No such department: nowhere.",
        "username": "That user name is taken.",
    }


def test_a_password_of_8_to_256_characters_is_taken_and_no_other(ws, lead):
    ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "x" * 8)
    ws.auth.create_operator(lead, "ivo", "Ivo Malý", "operator", "y" * 256)
    for username, password in (("ota", "x" * 7), ("pia", "z" * 257)):
        with pytest.raises(ValidationFailed) as refused:
            ws.auth.create_operator(lead, username, "Someone", "operator", password)
        assert refused.value.errors == {"password": "At least 8 characters."}
    assert ws.auth.login("ivo", "y" * 256).full_name == "Ivo Malý"


def test_who_may_add_an_account_is_said_in_words(ws, jana, tmp_path):
    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation

    with pytest.raises(PermissionDenied, match=r"^Only a team lead adds accounts\.$"):
        ws.auth.create_operator(jana, "eva", "Eva Černá", "operator", "eva-pass-1")
    with pytest.raises(
        PermissionDenied, match=r"^Accounts exist already; a team lead must add this one\.$"
    ):
        ws.auth.create_operator(None, "eva", "Eva Černá", "lead", "eva-pass-1")
    empty = open_workstation(
        Settings(db_url=f"sqlite:///{tmp_path / 'new.sqlite3'}", data_dir=tmp_path)
    )
    try:
        with pytest.raises(PermissionDenied, match=r"^The first account must be a team lead\.$"):
            empty.auth.create_operator(None, "eva", "Eva Černá", "operator", "eva-pass-1")
        assert (
            empty.auth.create_operator(None, "eva", "Eva Černá", "lead", "eva-pass-1").role
            == "lead"
        )
    finally:
        empty.close()
