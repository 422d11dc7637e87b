"""`cc-terminal mail …` run for real against the real servers: a lead's mailbox (its
password from standard input, never an argument), one fetch with its report, and the loop
killed with SIGKILL while it stores: on restart nothing is lost and nothing stored twice
(on SQLite and PostgreSQL);
SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cc_terminal.config import Settings
from cc_terminal.sync.roles import MAIL_LOOP_SCOPE
from tests.channels.mail.servers import PASSWORD, Dovecot, Smtpd, wait_for
from tests.channels.mail.test_loop import letter
from tests.cli_run import CLI, cli, cli_process
from tests.conftest import PASSWORDS

LEAD = PASSWORDS["lead"] + "\n"


def counted(url: str, query: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar() or 0)
    finally:
        engine.dispose()


def set_up(settings: Settings, dovecot: Dovecot, smtpd: Smtpd) -> tuple[Path, str]:
    """The loop's service account, its key registered by a first fetch, one mailbox."""
    data, url, key = settings.data_dir, settings.database_url, settings.data_dir / "loop.pem"
    scope = ",".join(MAIL_LOOP_SCOPE)
    made = cli(
        data,
        "service",
        "add",
        "mail-loop",
        "--scope",
        scope,
        "--key-file",
        str(key),
        "--password-stdin",
        stdin=LEAD,
        db=url,
    )
    assert made.returncode == 0, made.stderr
    first = cli_process(data, "mail", "fetch", "--key-file", str(key), db=url)
    assert first.returncode == 0, first.stderr
    user = dovecot.new_user()
    added = cli_process(
        data,
        "mail",
        "mailbox",
        "add",
        "podpora",
        "--imap-host",
        "127.0.0.1",
        "--imap-port",
        str(dovecot.port),
        "--imap-security",
        "none",
        "--imap-user",
        user,
        "--smtp-port",
        str(smtpd.port),
        "--smtp-security",
        "none",
        "--from-address",
        "podpora@firma.example",
        "--password-stdin",
        stdin=LEAD + PASSWORD + "\n",
        db=url,
    )
    assert added.returncode == 0, added.stderr
    return key, user


@pytest.fixture
def sqlite_settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return Settings(db_url=sqlite_url, data_dir=tmp_path)


def test_mailbox_commands_and_one_fetch(sqlite_settings: Settings, dovecot: Dovecot, smtpd: Smtpd):
    settings = sqlite_settings  # the commands are the same on PostgreSQL: its kill -9 below
    data, url = settings.data_dir, settings.database_url
    key, user = set_up(settings, dovecot, smtpd)
    listed = cli_process(data, "mail", "mailbox", "list", "--password-stdin", stdin=LEAD, db=url)
    assert "podpora" in listed.stdout and "active" in listed.stdout
    assert PASSWORD not in listed.stdout
    dovecot.append(
        user, letter(1), (Path(__file__).parents[1] / "mail_corpus" / "no_sender.eml").read_bytes()
    )
    fetched = cli_process(data, "mail", "fetch", "--key-file", str(key), db=url)
    assert "fetched 2, stored 1" in fetched.stdout, fetched.stderr
    assert "no sender's address" in fetched.stdout
    assert "Letters sent 0, failed 0, waiting 0." in fetched.stdout
    off = cli_process(
        data, "mail", "mailbox", "disable", "podpora", "--password-stdin", stdin=LEAD, db=url
    )
    assert off.returncode == 0
    listed = cli(data, "mail", "mailbox", "list", "--password-stdin", stdin=LEAD, db=url)
    assert " off " in listed.stdout
    on = cli_process(
        data, "mail", "mailbox", "enable", "podpora", "--password-stdin", stdin=LEAD, db=url
    )
    assert on.returncode == 0
    wrong = cli_process(data, "mail", "serve", "--key-file", str(data / "none.pem"), db=url)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr


def serve(settings: Settings, key: Path) -> subprocess.Popen[str]:
    command = [
        *CLI,
        "--data-dir",
        str(settings.data_dir),
        "--db",
        settings.database_url,
        "mail",
        "serve",
        "--key-file",
        str(key),
        "--poll-seconds",
        "0.5",
    ]
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_kill_9_while_storing_loses_nothing_and_stores_nothing_twice(
    settings: Settings, dovecot: Dovecot, smtpd: Smtpd
):
    url = settings.database_url
    key, user = set_up(settings, dovecot, smtpd)
    total = 300
    dovecot.append(user, *(letter(n, subject=f"Věc {n}") for n in range(total)))
    loop = serve(settings, key)
    try:
        wait_for(lambda: counted(url, "SELECT count(*) FROM mail_letter") >= 20, 60)
        loop.send_signal(signal.SIGKILL)
        loop.wait(10)
        stored_then = counted(url, "SELECT count(*) FROM mail_letter")
        assert stored_then < total  # killed mid-fetch
        loop = serve(settings, key)
        wait_for(lambda: counted(url, "SELECT count(*) FROM mail_letter") >= total, 120)
        loop.send_signal(signal.SIGTERM)
        _out, err = loop.communicate(timeout=30)
        assert loop.returncode == 0, err
        assert "status: ok" in err and "Mail loop stopped." in err
    finally:
        if loop.poll() is None:
            loop.kill()
            loop.wait()
    assert counted(url, "SELECT count(*) FROM mail_letter") == total
    assert counted(url, "SELECT count(DISTINCT message_id) FROM mail_letter") == total
    assert counted(url, "SELECT count(*) FROM conversation WHERE channel = 'email'") == total
    assert counted(url, "SELECT last_uid FROM mailbox") == total
