"""A newcomer's first run: `cc-terminal demo` keeps the accounts it printed in a private
file beside the demo database, and the demo's sign-in screen says where; a real
database's sign-in screen never points at passwords."""

from __future__ import annotations

import stat
from pathlib import Path

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.cli_run import cli
from tests.conftest import demo_said
from tests.tui import settle


def test_the_demo_keeps_its_accounts_in_a_private_file(
    demo_build: tuple[Path, dict[str, str]], demo_floor: tuple[Path, dict[str, str]]
) -> None:
    """On the demo floor built once for the test process (conftest's demo_build, by the
    demo command) and on this test's copy of it."""
    built, copy = demo_build[0], demo_floor[0]
    accounts = built / "demo-accounts.txt"
    assert stat.S_IMODE(accounts.stat().st_mode) == 0o600
    assert " jana " in accounts.read_text()
    assert f"The demo accounts are in {accounts}" in demo_said(built).read_text()
    again = cli(copy, "demo", "--no-start")
    assert f"The demo accounts are in {copy / 'demo-accounts.txt'}" in again.stdout


async def test_the_demo_sign_in_shows_the_accounts_and_callers_to_try(
    demo_build: tuple[Path, dict[str, str]], demo_floor: tuple[Path, dict[str, str]]
) -> None:
    said, tmp_path = demo_said(demo_build[0]).read_text(), demo_floor[0]
    jana = next(line for line in said.splitlines() if " jana " in line)
    tries = said.split("Callers to try")[1].splitlines()[1:]
    numbers = [line.split("  ")[1].strip() for line in tries if line.startswith("  +")]
    assert len(numbers) == 3 and "open complaint" in tries[1] and "new-customer" in tries[2]
    demo = CCTerminal(Settings(db_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}", data_dir=tmp_path))
    async with demo.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = str(demo.screen.query_one("#login-status").render()).replace("\xa0", " ")
        assert "This is the demo floor, not a real one." in status
        assert " ".join(jana.split()[1:]) in status and all(n in status for n in numbers)
    ws = open_workstation(demo.settings)
    try:
        known, complaining, new = (ws.customers.lookup_phone(n).matches for n in numbers)
        assert len(known) == 1 and len(complaining) == 1 and new == ()
    finally:
        ws.close()


async def test_a_real_database_never_shows_a_hint(sqlite_url: str, tmp_path: Path) -> None:
    (Path(sqlite_url.removeprefix("sqlite:///")).with_name("demo-accounts.txt")).write_text("x")
    real = CCTerminal(Settings(db_url=sqlite_url, data_dir=tmp_path))
    async with real.run_test() as pilot:
        await settle(pilot)
        status = str(real.screen.query_one("#login-status").render())
        assert "Database ready" in status
        assert "passwords" not in status
