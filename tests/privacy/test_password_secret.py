"""One Argon2id run checks a password and opens its owner's signing key
(store/password_secret.py, services/privacy/password_check.py); an account of the older
kind (argon2-cffi's hash, a ``v1`` seal) signs in as before and is upgraded on the way."""

from __future__ import annotations

import base64

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from cc_terminal.models import Operator
from cc_terminal.services.common.errors import InvalidCredentials
from cc_terminal.store import keyring, password_secret
from cc_terminal.store.keyring import open_key, public_hex, seal_older
from cc_terminal.store.password_cost import parameters
from tests.conftest import PASSWORDS


def test_the_hash_checks_its_password_and_gives_the_sealing_it_was_made_with():
    stored, sealing = password_secret.make("a-good-password")
    assert password_secret.check(stored, "a-good-password") == (True, sealing)
    assert password_secret.check(stored, "a-good-passwore") == (False, None)
    assert "a-good-password" not in stored


# A hash stored today must check tomorrow: a known answer, at a small cost (m=16 KiB, t=2,
# p=1: passes and lanes differ, so the text's fields cannot be swapped unnoticed).
KNOWN = "$cc-split$argon2id$v=19$m=16,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$" + (
    "NnlvIxELYMlaPNJApUiG9BAqCW9OODE/k3Epds603WU"
)
KNOWN_SEAL = "1ef43e71a3665eff451a16fb0b5c949fa2022b2e7854cb22f93aa1b259c323ec"


def test_a_known_hash_checks_and_gives_its_known_sealing():
    ok, sealing = password_secret.check(KNOWN, "a-good-password")
    assert ok and sealing is not None
    assert (sealing.secret.hex(), sealing.salt) == (KNOWN_SEAL, b"0123456789abcdef")
    assert password_secret.check(KNOWN, "a-good-passwore") == (False, None)


def test_a_known_hash_of_two_lanes_checks():
    """Its lanes read from the text, not today's cost (the suite's cheap cost has one)."""
    known = "$cc-split$argon2id$v=19$m=32,t=1,p=2$ZmVkY2JhOTg3NjU0MzIxMA$" + (
        "OEWk+TCjsqEofYqdJdO3oQgzWoPt39S2xJOHHRvCEJ0"
    )
    assert password_secret.check(known, "a-good-password")[0]


def test_the_known_hash_is_argon2id_split_by_hmac_labels_as_documented():
    import base64
    import hashlib
    import hmac

    from argon2.low_level import Type, hash_secret_raw

    master = hash_secret_raw(b"a-good-password", b"0123456789abcdef", 2, 16, 1, 32, Type.ID)
    check = hmac.new(master, b"cc-terminal: the password's check", hashlib.sha256).digest()
    seal = hmac.new(master, b"cc-terminal: the signing key's seal", hashlib.sha256).digest()
    assert KNOWN.endswith("$" + base64.b64encode(check).decode().rstrip("="))
    assert seal.hex() == KNOWN_SEAL


def test_the_stored_verifier_is_not_the_sealing_secret():
    stored, sealing = password_secret.make("a-good-password")
    verifier = stored.rsplit("$", 1)[1]
    assert base64.b64decode(verifier + "=" * (-len(verifier) % 4)) != sealing.secret


@pytest.mark.parametrize(
    ("cost", "taken"),
    [
        ("m=128,t=16,p=16", True),
        ("m=1048576,t=1,p=1", True),
        ("m=128,t=17,p=1", False),
        ("m=1024,t=1,p=17", False),
        ("m=1048577,t=1,p=1", False),
        ("m=127,t=1,p=16", False),  # under 8 KiB a lane
        ("m=128,t=0,p=1", False),
        ("m=128,t=1,p=0", False),
    ],
)
def test_a_stored_cost_is_taken_only_within_its_bounds(cost, taken):
    text = f"$cc-split$argon2id$v=19${cost}$MDEyMzQ1Njc4OWFiY2RlZg$AAAA"
    assert (password_secret._parse(text) is not None) is taken


def test_a_salt_or_verifier_that_is_not_base64_is_a_wrong_password():
    for salt, verifier in (("AAAAA", "AAAA"), ("AAAA", "AAAAA")):  # no padding makes them
        text = f"$cc-split$argon2id$v=19$m=16,t=2,p=1${salt}${verifier}"
        assert password_secret.check(text, "a-good-password") == (False, None)


def test_two_hashes_of_one_password_share_nothing():
    first, first_sealing = password_secret.make("a-good-password")
    second, second_sealing = password_secret.make("a-good-password")
    assert first != second and first_sealing.salt != second_sealing.salt
    assert first_sealing.secret != second_sealing.secret


def test_a_tampered_verifier_or_salt_is_a_wrong_password():
    stored, _sealing = password_secret.make("a-good-password")
    head, salt, verifier = stored.rsplit("$", 2)
    flipped = ("B" if verifier[0] == "A" else "A") + verifier[1:]
    assert password_secret.check(f"{head}${salt}${flipped}", "a-good-password") == (False, None)
    other_salt = ("B" if salt[0] == "A" else "A") + salt[1:]
    assert not password_secret.check(f"{head}${other_salt}${verifier}", "a-good-password")[0]


def test_a_cost_that_would_stall_a_sign_in_is_refused_unrun():
    stored, _sealing = password_secret.make("a-good-password")
    cost = f"m={parameters().memory_cost},t={parameters().time_cost},p={parameters().parallelism}"
    greedy = stored.replace(cost, "m=4194304,t=3,p=4")  # 4 GiB
    assert password_secret.check(greedy, "a-good-password") == (False, None)
    assert password_secret.needs_rehash(greedy)


def test_an_older_hash_or_another_cost_needs_a_rehash(monkeypatch):
    stored, _sealing = password_secret.make("a-good-password")
    assert not password_secret.needs_rehash(stored)
    assert password_secret.needs_rehash(PasswordHasher().hash("a-good-password"))
    monkeypatch.delenv("CC_TERMINAL_TEST_CHEAP_ARGON2")  # production's cost from here on
    assert password_secret.needs_rehash(stored)


@given(st.text(max_size=200))
def test_no_stored_text_makes_the_check_raise(text):
    assert password_secret.check(text, "a-good-password") == (False, None)


@given(st.text(alphabet="$abcdefgimnprstv=0123456789,+/-AB", max_size=120))
def test_no_text_near_the_format_makes_the_check_raise(text):
    password_secret.check(password_secret.PREFIX + text, "a-good-password")
    password_secret.needs_rehash(password_secret.PREFIX + text)


def argon2_runs(monkeypatch) -> list[str]:
    runs: list[str] = []
    for module, name in ((password_secret, "run_argon2"),):  # every raw run, v1 seals' too
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name):
            runs.append(_name)
            return _real(*args)

        monkeypatch.setattr(module, name, counted)
    real_verify = PasswordHasher.verify

    def verify(self, *args):
        runs.append("verify")
        return real_verify(self, *args)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    return runs


def operator_row(ws, username: str) -> Operator:
    with ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def test_a_sign_in_runs_argon2_once_and_opens_the_key(ws, monkeypatch):
    ws.db.keyring.forget(operator_row(ws, "jana").id)  # opened by this sign-in, not an earlier one
    runs = argon2_runs(monkeypatch)
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    assert runs == ["run_argon2"]
    key = ws.db.keyring.get(actor.operator_id)
    assert key is not None and public_hex(key) == operator_row(ws, "jana").public_key


def test_a_wrong_password_and_an_unknown_name_run_it_once_too(ws, monkeypatch):
    runs = argon2_runs(monkeypatch)
    for name in ("jana", "nobody"):
        with pytest.raises(InvalidCredentials):
            ws.auth.login(name, "not-the-password")
    assert runs == ["run_argon2", "run_argon2"]


def test_an_account_of_the_older_kind_signs_in_and_is_upgraded_with_the_same_key(ws):
    before = operator_row(ws, "jana")
    key = open_key(before.signing_key, PASSWORDS["jana"], before.id)
    with ws.db.engine.begin() as connection:  # as a terminal before the split stored it
        connection.execute(
            update(Operator)
            .where(Operator.username == "jana")  # type: ignore[arg-type]
            .values(
                password_hash=PasswordHasher.from_parameters(parameters()).hash(PASSWORDS["jana"]),
                signing_key=seal_older(key, PASSWORDS["jana"], before.id),
            )
        )
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    opened = ws.db.keyring.get(actor.operator_id)
    assert opened is not None and public_hex(opened) == before.public_key
    after = operator_row(ws, "jana")
    assert after.password_hash.startswith(password_secret.PREFIX)
    assert after.signing_key.startswith(keyring.VERSION + "$")
    assert public_hex(open_key(after.signing_key, PASSWORDS["jana"], after.id)) == before.public_key


def test_the_upgraded_account_then_signs_in_with_one_run(ws, monkeypatch):
    before = operator_row(ws, "jana")
    key = open_key(before.signing_key, PASSWORDS["jana"], before.id)
    older_hash = PasswordHasher.from_parameters(parameters()).hash(PASSWORDS["jana"])
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username == "jana")  # type: ignore[arg-type]
            .values(
                password_hash=older_hash,
                signing_key=seal_older(key, PASSWORDS["jana"], before.id),
            )
        )
    runs = argon2_runs(monkeypatch)
    ws.auth.login("jana", PASSWORDS["jana"])
    assert sorted(runs) == ["run_argon2", "run_argon2", "verify"]  # check, key, rehash
    runs.clear()
    ws.db.keyring.forget(before.id)
    ws.auth.login("jana", PASSWORDS["jana"])
    assert runs == ["run_argon2"]
    assert ws.db.keyring.get(before.id) is not None


def test_a_seal_made_with_another_salt_still_opens(ws):
    """A row whose hash and seal came from two sign-ins' rehashes (a floor's copies)."""
    before = operator_row(ws, "jana")
    key = open_key(before.signing_key, PASSWORDS["jana"], before.id)
    other_hash, _sealing = password_secret.make(PASSWORDS["jana"])
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username == "jana")  # type: ignore[arg-type]
            .values(password_hash=other_hash)
        )
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    opened = ws.db.keyring.get(actor.operator_id)
    assert opened is not None and public_hex(opened) == public_hex(key)


def _as_older_kind(ws, sealed: str) -> None:
    """Jana's row as a terminal before the split stored it: argon2-cffi's hash, ``sealed``."""
    older_hash = PasswordHasher.from_parameters(parameters()).hash(PASSWORDS["jana"])
    with ws.db.engine.begin() as connection:
        connection.execute(
            update(Operator)
            .where(Operator.username == "jana")  # type: ignore[arg-type]
            .values(password_hash=older_hash, signing_key=sealed)
        )
    ws.db.keyring.forget(operator_row(ws, "jana").id)


def test_a_wrong_password_on_the_older_kind_is_refused(ws):
    before = operator_row(ws, "jana")
    _as_older_kind(
        ws,
        seal_older(
            open_key(before.signing_key, PASSWORDS["jana"], before.id), PASSWORDS["jana"], before.id
        ),
    )
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", "not-her-password")
    assert ws.db.keyring.get(before.id) is None
    assert operator_row(ws, "jana").password_hash.startswith("$argon2id$")  # nothing rehashed


def test_the_older_kind_with_a_key_sealed_under_another_password_signs_in_keyless(ws):
    before = operator_row(ws, "jana")
    _as_older_kind(ws, seal_older(keyring.new_key(), "an-older-password", before.id))
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    assert actor.username == "jana" and ws.db.keyring.get(before.id) is None
    assert operator_row(ws, "jana").password_hash.startswith(password_secret.PREFIX)


def test_the_older_kind_without_a_key_signs_in_and_gets_one(ws):
    _as_older_kind(ws, "")
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    key = ws.db.keyring.get(actor.operator_id)
    after = operator_row(ws, "jana")
    assert key is not None and public_hex(key) == after.public_key
    assert after.signing_key.startswith(keyring.VERSION + "$")


def test_an_account_without_a_key_signs_in_with_one_run_and_gets_one(ws, monkeypatch):
    with ws.db.engine.begin() as connection:  # an account of an older database: no key yet
        connection.execute(
            update(Operator).where(Operator.username == "jana").values(signing_key="")  # type: ignore[arg-type]
        )
    ws.db.keyring.forget(operator_row(ws, "jana").id)
    runs = argon2_runs(monkeypatch)
    actor = ws.auth.login("jana", PASSWORDS["jana"])
    assert runs == ["run_argon2"]  # its sealing seals the new key: no second run
    key = ws.db.keyring.get(actor.operator_id)
    assert key is not None and public_hex(key) == operator_row(ws, "jana").public_key


def _keyless_lead(ws, password_hash: str | None = None):
    lead = ws.auth.login("lead", PASSWORDS["lead"])
    values = {"signing_key": ""} if password_hash is None else {
        "signing_key": "", "password_hash": password_hash
    }  # fmt: skip
    with ws.db.engine.begin() as connection:  # a lead of an older database: no key yet
        connection.execute(
            update(Operator).where(Operator.username == "lead").values(**values)  # type: ignore[arg-type]
        )
    ws.db.keyring.forget(lead.operator_id)
    return lead


def test_a_keyless_lead_s_own_key_is_sealed_by_the_check_s_one_run(ws, monkeypatch):
    lead = _keyless_lead(ws)
    runs = argon2_runs(monkeypatch)
    key = ws.accounts.own_key(lead, PASSWORDS["lead"])
    assert runs == ["run_argon2"]
    row = operator_row(ws, "lead")
    assert public_hex(open_key(row.signing_key, PASSWORDS["lead"], row.id)) == public_hex(key)


def test_a_keyless_lead_of_the_older_kind_gets_a_key_and_todays_hash(ws):
    older = PasswordHasher.from_parameters(parameters()).hash(PASSWORDS["lead"])
    lead = _keyless_lead(ws, older)
    with pytest.raises(InvalidCredentials):
        ws.accounts.own_key(lead, "not-the-password")
    key = ws.accounts.own_key(lead, PASSWORDS["lead"])
    row = operator_row(ws, "lead")
    assert row.password_hash.startswith(password_secret.PREFIX)
    assert public_hex(open_key(row.signing_key, PASSWORDS["lead"], row.id)) == public_hex(key)
    assert ws.auth.login("lead", PASSWORDS["lead"]).username == "lead"
