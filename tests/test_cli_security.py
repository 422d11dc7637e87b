"""The floor's sign-in policy and unlocking, from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.cli_run import cli


def test_a_lead_sets_the_policy_and_unlocks_from_the_command_line(tmp_path: Path) -> None:
    assert (
        cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\nlead-pass-1\n").returncode
        == 0
    )
    done = cli(
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
    unlocked = cli(tmp_path, "user", "unlock", "lead", "--password-stdin", stdin="lead-pass-1\n")
    assert unlocked.returncode == 0, unlocked.stderr
    assert "lead can sign in again" in unlocked.stdout


def test_a_lead_exports_the_audit_trail_from_the_command_line(tmp_path: Path) -> None:
    assert (
        cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\nlead-pass-1\n").returncode
        == 0
    )
    target = tmp_path / "trail.csv"
    done = cli(
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
