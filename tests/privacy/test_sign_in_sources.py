"""Sign-in (issue 20, item 8): wrong passwords are counted per account and per source, so
the command line cannot keep a team lead off the sign-in screen (nor the other way round);
a user name that matches no account is never stored as typed, here or on the floor."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from cc_terminal.services.common.errors import AccountLocked, InvalidCredentials
from cc_terminal.services.privacy.sign_in_source import WORKSTATION
from cc_terminal.services.workstation import open_workstation
from tests.cli_run import cli
from tests.conftest import PASSWORDS
from tests.pgserver import find_bin

# what someone typed into the user-name field: their password
TYPED = "Heslo-Tajne-42"


def _hammer(auth, username: str, tries: int = 8) -> None:
    for _attempt in range(tries):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth.login(username, "wrong-password")


def test_wrong_passwords_at_the_command_line_do_not_delay_the_leads_screen(settings, tmp_path):
    for _attempt in range(7):
        tried = cli(
            tmp_path,
            "user",
            "unlock",
            "lead",
            "--password-stdin",
            stdin="wrong\n",
            db=settings.db_url,
        )
        assert tried.returncode == 1
    assert "wait" in tried.stderr  # the command line waits now
    screen = open_workstation(settings, channel=WORKSTATION)
    try:
        assert screen.auth.login("lead", PASSWORDS["lead"]).is_lead
    finally:
        screen.close()


def test_wrong_passwords_on_the_screen_do_not_delay_the_command_line(settings, clock):
    screen = open_workstation(settings, clock=clock, channel=WORKSTATION)
    command_line = open_workstation(settings, clock=clock)
    try:
        _hammer(screen.auth, "lead")
        with pytest.raises(AccountLocked):
            screen.auth.login("lead", PASSWORDS["lead"])
        lead = command_line.auth.login("lead", PASSWORDS["lead"])
        command_line.auth.unlock(lead, "lead")  # and clears the screen's wait too
        assert screen.auth.login("lead", PASSWORDS["lead"]).is_lead
    finally:
        screen.close()
        command_line.close()


def _stored_text(settings, tmp_path: Path) -> bytes:
    """Every byte the database holds: the SQLite file and its log, or a dump of the server."""
    url = make_url(settings.db_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    dump = tmp_path / "dump.sql"
    subprocess.run(
        [
            find_bin("pg_dump"),
            "-h",
            str(url.host),
            "-p",
            str(url.port),
            "-U",
            "postgres",
            "-f",
            str(dump),
            str(url.database),
        ],
        check=True,
        capture_output=True,
    )
    return dump.read_bytes()


def test_a_name_that_matches_no_account_is_never_stored_as_typed(ws, settings, tmp_path):
    _hammer(ws.auth, TYPED)  # counted, waited for, audited
    with pytest.raises(AccountLocked):
        ws.auth.login(TYPED, "wrong-password")
    ws.db.dispose()
    stored = _stored_text(settings, tmp_path).lower()
    assert TYPED.lower().encode() not in stored
    assert b"unknown name #" in stored  # the trail counts it by its keyed hash


def test_the_floor_never_sees_the_typed_name_either(tmp_path):
    from tests.sync.kit import Floor

    floor = Floor(tmp_path / "floor")
    try:
        t1 = floor.add("t1", seed=True)
        t2 = floor.add("t2")
        _hammer(t1.ws.auth, TYPED)
        floor.settle()
        with t2.ws.db.connect() as connection:
            shown = (
                connection.exec_driver_sql(
                    "SELECT detail FROM audit_event WHERE kind = 'login.locked'"
                )
                .scalars()
                .all()
            )
        assert shown and all(detail.startswith("unknown name #") for detail in shown)
        for terminal in (t1, t2):
            terminal.ws.db.dispose()
        # both terminals' stores and the share
        files = [p for p in (tmp_path / "floor").rglob("*") if p.is_file()]
        assert any(p.suffix == ".sqlite3" for p in files)
        for path in files:
            assert TYPED.lower().encode() not in path.read_bytes().lower(), path
    finally:
        floor.close()


def test_the_recovery_key_lets_a_lead_in_whatever_waits_were_started(tmp_path):
    from cc_terminal.services.floor import trust as floor_trust
    from tests.sync.kit import Floor

    floor = Floor(tmp_path / "floor")
    try:
        t1 = floor.add("t1", seed=True)
        t1.ws.floor = t1.sync
        _hammer(t1.ws.auth, "lead")  # an operator keeps the lead out, from this source
        with pytest.raises(AccountLocked):
            t1.ws.auth.login("lead", PASSWORDS["lead"])
        floor_trust.recover(t1.ws, "lead", floor.recovery, "lead-new-pass-1")
        assert t1.ws.auth.login("lead", "lead-new-pass-1").is_lead
    finally:
        floor.close()
