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
