"""A password hash replaced while a sign-in's check runs (another terminal's rehash of the
same password, services/privacy/auth.py): the password is checked again against the new
hash, the key the first check opened stays open, and a keyless account's new key is
sealed by the second check's run, with no third."""

from __future__ import annotations

from sqlalchemy import update

from cc_terminal.models import Operator
from cc_terminal.services.privacy import auth
from cc_terminal.store import password_secret
from cc_terminal.store.keyring import is_sealed_by, open_key, public_hex
from tests.conftest import PASSWORDS
from tests.privacy.test_password_secret import argon2_runs, operator_row

JANA = PASSWORDS["jana"]


def _rehashed_during_the_check(ws, monkeypatch) -> list[str]:
    """jana's hash replaced by a new one of the same password (a new salt) once the
    sign-in's first check has run; the Argon2 runs counted from then."""
    first_check = auth.checked_and_opened
    new_hash, _sealing = password_secret.make(JANA)

    def rehashed_meanwhile(*checked_with):
        found = first_check(*checked_with)
        with ws.db.engine.begin() as connection:
            connection.execute(
                update(Operator).where(Operator.username == "jana").values(password_hash=new_hash)  # type: ignore[arg-type]
            )
        return found

    monkeypatch.setattr(auth, "checked_and_opened", rehashed_meanwhile)
    return argon2_runs(monkeypatch)


def test_the_key_the_first_check_opened_stays_open(ws, monkeypatch):
    ws.db.keyring.forget(operator_row(ws, "jana").id)
    runs = _rehashed_during_the_check(ws, monkeypatch)
    actor = ws.auth.login("jana", JANA)
    assert runs == ["run_argon2", "run_argon2"]  # the check, and the check again
    key = ws.db.keyring.get(actor.operator_id)
    assert key is not None and public_hex(key) == operator_row(ws, "jana").public_key


def test_a_keyless_account_s_key_is_sealed_by_the_second_check(ws, monkeypatch):
    with ws.db.engine.begin() as connection:  # an account of an older database: no key yet
        connection.execute(
            update(Operator).where(Operator.username == "jana").values(signing_key="")  # type: ignore[arg-type]
        )
    ws.db.keyring.forget(operator_row(ws, "jana").id)
    runs = _rehashed_during_the_check(ws, monkeypatch)
    actor = ws.auth.login("jana", JANA)
    assert runs == ["run_argon2", "run_argon2"]  # no third run to seal the new key
    row = operator_row(ws, "jana")
    ok, sealing = password_secret.check(row.password_hash, JANA)
    assert ok and sealing is not None and is_sealed_by(sealing, row.signing_key)
    key = ws.db.keyring.get(actor.operator_id)
    assert key is not None
    assert public_hex(open_key(row.signing_key, JANA, row.id)) == public_hex(key)
