"""``cc-terminal user list``, ``user set`` and ``user deactivate --handover``, run for real
against a real database file."""

import sqlite3
from pathlib import Path

from tests.cli_run import cli, cli_process

LEAD = "lead-pass-1\n"


def _floor(tmp_path: Path) -> None:
    made = cli(tmp_path, "init", "--full-name", "Lída Vedoucí", "--password-stdin", stdin=LEAD)
    assert made.returncode == 0, made.stderr
    for name, full_name in (("jana", "Jana Svobodová"), ("petr", "Petr Dvořák")):
        added = cli(
            tmp_path,
            "user",
            "add",
            name,
            "--full-name",
            full_name,
            "--password-stdin",
            stdin=f"{LEAD}{name}-pass-1\n",
        )
        assert added.returncode == 0, added.stderr


def _lines(tmp_path: Path, *args: str) -> list[str]:
    listed = cli(tmp_path, "user", "list", *args, "--password-stdin", stdin=LEAD)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.splitlines()


def test_user_list_shows_every_account_as_a_table(tmp_path: Path) -> None:
    _floor(tmp_path)
    listed = cli_process(tmp_path, "user", "list", "--password-stdin", stdin=LEAD)
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split() == [
        "User",
        "Name",
        "Role",
        "Department",
        "Team",
        "lead",
        "State",
        "Last",
        "sign-in",
    ]
    assert [row.split()[0] for row in rows] == ["jana", "lead", "petr"]
    jana = rows[0]
    assert "Jana Svobodová" in jana and "operator" in jana and "contact_centre" in jana
    assert "must change password" in jana and jana.endswith("—")
    assert "team lead" in rows[1] and "active" in rows[1]
    assert header.index("State") == jana.index("must change")  # the columns line up


def test_user_set_changes_role_department_and_team_audited(tmp_path: Path) -> None:
    _floor(tmp_path)
    changed = cli_process(
        tmp_path,
        "user",
        "set",
        "PETR",
        "--department",
        "billing",
        "--team",
        "lead",
        "--password-stdin",
        stdin=LEAD,
    )
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == "petr is changed."
    database = sqlite3.connect(tmp_path / "cc-terminal.sqlite3")
    row = database.execute(
        "SELECT o.department, t.username FROM operator o JOIN operator t"
        " ON t.id = o.team_lead_id WHERE o.username = 'petr'"
    ).fetchone()
    assert row == ("billing", "lead")
    kinds = database.execute(
        "SELECT kind, subject, detail FROM audit_event WHERE kind LIKE 'account.%'"
        " AND kind != 'account.created' ORDER BY at"
    ).fetchall()
    assert kinds == [("account.department", "petr", "billing"), ("account.team", "petr", "lead")]
    assert "Lída Vedoucí" not in _lines(tmp_path)[3] and " lead " in _lines(tmp_path)[3]


def test_user_set_refuses_bad_values_in_one_line_and_changes_nothing(tmp_path: Path) -> None:
    _floor(tmp_path)
    nothing = cli(tmp_path, "user", "set", "petr", "--password-stdin", stdin=LEAD)
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == (
        "cc-terminal: say what to change: --role, --department or --team"
    )
    wrong = cli(tmp_path, "user", "set", "petr", "--team", "jana", "--password-stdin", stdin=LEAD)
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "cc-terminal: team: jana is not an active team lead."
    bad_department = cli(
        tmp_path, "user", "set", "petr", "--department", "bakery", "--password-stdin", stdin=LEAD
    )
    assert bad_department.stderr.strip() == ("cc-terminal: department: No such department: bakery.")
    by_operator = cli(
        tmp_path,
        "user",
        "list",
        "--as",
        "jana",
        "--password-stdin",
        stdin="jana-pass-1\n",
    )
    assert by_operator.returncode == 1
    assert by_operator.stderr.strip() == "cc-terminal: Only a team lead manages accounts."


def test_user_deactivate_hands_over_and_list_all_shows_the_leaver(tmp_path: Path) -> None:
    _floor(tmp_path)
    done = cli_process(
        tmp_path,
        "user",
        "deactivate",
        "jana",
        "--handover",
        "petr",
        "--password-stdin",
        stdin=LEAD,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "jana is deactivated.",
        "0 open leads (of them 0 callbacks) went to petr.",
    ]
    assert [row.split()[0] for row in _lines(tmp_path)[1:]] == ["lead", "petr"]
    every = _lines(tmp_path, "--all")
    assert "deactivated" in every[1] and every[1].startswith("jana")
    pooled = cli(tmp_path, "user", "deactivate", "petr", "--password-stdin", stdin=LEAD)
    assert pooled.stdout.splitlines()[1] == (
        "0 open leads (of them 0 callbacks) went back to the campaigns' pools."
    )
    refused = cli(
        tmp_path,
        "user",
        "deactivate",
        "lead",
        "--handover",
        "nobody",
        "--password-stdin",
        stdin=LEAD,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "cc-terminal: A team lead cannot deactivate their own account."
    )
