"""The floor's sign-in policy and unlocking, from the command line."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from tests.cli_run import cli, cli_process


def test_a_lead_sets_the_policy_and_unlocks_from_the_command_line(tmp_path: Path) -> None:
    assert (
        cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\nlead-pass-1\n").returncode
        == 0
    )
    done = cli_process(
        tmp_path,
        "user",
        "policy",
        "--attempts",
        "3",
        "--max-delay",
        "10",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert done.returncode == 0, done.stderr
    assert "3 free attempts" in done.stdout and "10 min" in done.stdout
    wrong = cli(
        tmp_path,
        "user",
        "policy",
        "--attempts",
        "1",
        "--max-delay",
        "10",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
    unlocked = cli_process(
        tmp_path, "user", "unlock", "lead", "--password-stdin", stdin="lead-pass-1\n"
    )
    assert unlocked.returncode == 0, unlocked.stderr
    assert "lead can sign in again" in unlocked.stdout


def test_a_lead_exports_the_audit_trail_from_the_command_line(tmp_path: Path) -> None:
    assert (
        cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\nlead-pass-1\n").returncode
        == 0
    )
    target = tmp_path / "trail.csv"
    done = cli_process(
        tmp_path,
        "audit",
        "export",
        str(target),
        "--group",
        "login",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert done.returncode == 0, done.stderr
    assert "audit events" in done.stdout and target.stat().st_mode & 0o777 == 0o600
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "at,who,kind,subject,detail" and ",lead,login.ok," in lines[1]
    nowhere = cli(
        tmp_path,
        "audit",
        "export",
        str(tmp_path / "no" / "t.csv"),
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert nowhere.returncode == 1 and "Cannot write" in nowhere.stderr
    assert len(nowhere.stderr.strip().splitlines()) == 1
    bad_group = cli(tmp_path, "audit", "export", str(target), "--group", "x", stdin="")
    assert bad_group.returncode == 1 and "No group x" in bad_group.stderr


def test_a_lead_exports_and_erases_a_customer_from_the_command_line(
    demo_floor: tuple[Path, dict[str, str]],
) -> None:
    tmp_path = demo_floor[0]
    accounts = (tmp_path / "demo-accounts.txt").read_text()
    password = next(line.split()[2] for line in accounts.splitlines() if " vedouci " in line)
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    with sqlite3.connect(tmp_path / "demo.sqlite3") as connection:
        (raw_id, name) = connection.execute("SELECT id, full_name FROM customer LIMIT 1").fetchone()
    customer = str(uuid.UUID(hex=raw_id))
    lead = ["--as", "vedouci", "--password-stdin"]
    target = tmp_path / "held.json"
    exported = cli_process(
        tmp_path,
        "customer",
        "export",
        customer,
        str(target),
        *lead,
        stdin=password + "\n",
        db=database,
    )
    assert exported.returncode == 0, exported.stderr
    assert name in target.read_text(encoding="utf-8")
    refused = cli(
        tmp_path,
        "customer",
        "erase",
        customer,
        "--reason",
        "",
        *lead,
        stdin=password + "\n",
        db=database,
    )
    assert refused.returncode == 1 and "reason" in refused.stderr
    erased = cli_process(
        tmp_path,
        "customer",
        "erase",
        customer,
        "--reason",
        "GDPR 2026/1",
        *lead,
        stdin=password + "\n",
        db=database,
    )
    assert erased.returncode == 0, erased.stderr
    assert "Phone numbers forgotten: 1." in erased.stdout
    with sqlite3.connect(tmp_path / "demo.sqlite3") as connection:
        assert connection.execute(
            "SELECT full_name FROM customer WHERE id = ?", (raw_id,)
        ).fetchone() == ("(erased)",)
    unknown = cli(tmp_path, "customer", "erase", "not-an-id", "--reason", "x", stdin="")
    assert unknown.returncode == 1 and "not a customer id" in unknown.stderr
