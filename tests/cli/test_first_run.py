"""A newcomer's first run: `cc-terminal demo` keeps the accounts it printed in a private
file beside the demo database, and the demo's sign-in screen says where; a real
database's sign-in screen never points at passwords."""

from __future__ import annotations

import stat
from pathlib import Path

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from tests.cli_run import cli
from tests.tui import settle


def test_the_demo_keeps_its_accounts_in_a_private_file(tmp_path: Path) -> None:
    built = cli(tmp_path, "demo", "--customers", "50", "--no-start")
    assert built.returncode == 0, built.stderr
    accounts = tmp_path / "demo-accounts.txt"
    assert stat.S_IMODE(accounts.stat().st_mode) == 0o600
    assert " jana " in accounts.read_text()
    assert f"The demo accounts are in {accounts}" in built.stdout
    again = cli(tmp_path, "demo", "--no-start")
    assert f"The demo accounts are in {accounts}" in again.stdout


async def test_the_demo_sign_in_says_where_the_accounts_are(tmp_path: Path) -> None:
    assert cli(tmp_path, "demo", "--customers", "50", "--no-start").returncode == 0
    demo = CCTerminal(Settings(db_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}", data_dir=tmp_path))
    async with demo.run_test() as pilot:
        await settle(pilot)
        status = str(demo.screen.query_one("#login-status").render())
        assert f"the accounts and their passwords are in {tmp_path / 'demo-accounts.txt'}" in status


async def test_a_real_database_never_shows_a_hint(sqlite_url: str, tmp_path: Path) -> None:
    (Path(sqlite_url.removeprefix("sqlite:///")).with_name("demo-accounts.txt")).write_text("x")
    real = CCTerminal(Settings(db_url=sqlite_url, data_dir=tmp_path))
    async with real.run_test() as pilot:
        await settle(pilot)
        status = str(real.screen.query_one("#login-status").render())
        assert "Database ready" in status
        assert "passwords" not in status
