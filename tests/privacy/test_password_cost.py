"""The suite hashes passwords at Argon2's cheapest (tests/conftest.py sets the variable for
itself and the commands it starts); here, without it, production's cost is what is used."""

import sqlite3

import pytest
from argon2 import PasswordHasher

from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.password_cost import CHEAP_ENV, password_hasher
from tests.cli_run import cli_process
from tests.conftest import login

PRODUCTION_COST = "$cc-split$argon2id$v=19$m=65536,t=3,p=4$"
OLDER_KIND_AT_PRODUCTION_COST = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_without_the_variable_the_hasher_is_argon2_cffis_default(monkeypatch):
    monkeypatch.delenv(CHEAP_ENV)
    hasher, default = password_hasher(), PasswordHasher()
    cost = ("time_cost", "memory_cost", "parallelism", "hash_len", "salt_len")
    assert [getattr(hasher, name) for name in cost] == [getattr(default, name) for name in cost]
    assert hasher.hash("a-password").startswith(OLDER_KIND_AT_PRODUCTION_COST)


def test_the_real_command_stores_production_cost_hashes(tmp_path, monkeypatch):
    monkeypatch.delenv(CHEAP_ENV)
    made = cli_process(
        tmp_path, "init", "--username", "boss", "--password-stdin", stdin="boss-pass-1\n"
    )
    assert made.returncode == 0, made.stderr
    database = sqlite3.connect(tmp_path / "cc-terminal.sqlite3")
    (stored,) = database.execute("SELECT password_hash FROM operator").fetchone()
    assert stored.startswith(PRODUCTION_COST)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_cheap_hash_is_rehashed_at_production_cost_at_sign_in(settings, monkeypatch):
    monkeypatch.delenv(CHEAP_ENV)
    ws = open_workstation(settings)
    try:
        assert not jana_hash(ws).startswith(PRODUCTION_COST)  # seeded by the suite, cheaply
        login(ws, "jana")
        assert jana_hash(ws).startswith(PRODUCTION_COST)
    finally:
        ws.close()


def jana_hash(ws) -> str:
    with ws.db.connect() as connection:
        query = "SELECT password_hash FROM operator WHERE username = 'jana'"
        return str(connection.exec_driver_sql(query).scalar())
