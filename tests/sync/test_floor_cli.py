"""The floor commands as a team lead types them: create, join (from a snapshot), sync,
status; and what a missing or read-only folder says."""

from __future__ import annotations

from pathlib import Path

from tests.cli_run import cli, cli_process


def _init(data_dir: Path) -> None:
    done = cli(data_dir, "init", "--password-stdin", stdin="lead-pass-1\nlead-pass-1\n")
    assert done.returncode == 0, done.stderr


def _another_secret(key: str) -> str:
    floor_id, _secret, root, recovery = key.split(":")
    return ":".join([floor_id, "ab" * 32, root, recovery])


def test_create_join_and_sync_from_the_command_line(tmp_path: Path) -> None:
    floor, one, two = tmp_path / "share" / "floor", tmp_path / "one", tmp_path / "two"
    _init(one)
    created = cli_process(
        one, "floor", "create", str(floor), "--password-stdin", stdin="lead-pass-1\n"
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.splitlines()[2].strip()
    first = cli_process(one, "--sync-dir", str(floor), "sync")
    assert first.returncode == 0, first.stderr
    assert "synced" in first.stdout
    snapshot = cli_process(one, "--sync-dir", str(floor), "floor", "snapshot")
    assert snapshot.returncode == 0, snapshot.stderr

    joined = cli_process(two, "floor", "join", str(floor), "--key-stdin", stdin=key + "\n")
    assert joined.returncode == 0, joined.stderr
    assert "Joined the floor" in joined.stdout
    # the second terminal started from the snapshot: the lead can sign in there
    added = cli(
        two,
        "--sync-dir",
        str(floor),
        "user",
        "add",
        "jana",
        "--password-stdin",
        stdin="lead-pass-1\njana-pass-12\njana-pass-12\n",
    )
    assert added.returncode == 0, added.stderr
    assert cli(two, "--sync-dir", str(floor), "sync").returncode == 0
    assert cli(one, "--sync-dir", str(floor), "sync").returncode == 0
    status = cli_process(one, "--sync-dir", str(floor), "floor", "status")
    assert "read up to" in status.stdout
    # jana, added at the second terminal, signs in at the first: her account came over
    again = cli(
        one,
        "--sync-dir",
        str(floor),
        "user",
        "add",
        "petr",
        "--as",
        "jana",
        "--password-stdin",
        stdin="jana-pass-12\npetr-pass-12\npetr-pass-12\n",
    )
    assert again.returncode == 1  # she is no team lead, but her password was known here
    assert "wrong user name or password" not in again.stderr


def test_a_wrong_key_and_a_missing_folder_say_so_in_one_line(tmp_path: Path) -> None:
    floor, one, two = tmp_path / "floor", tmp_path / "one", tmp_path / "two"
    _init(one)
    created = cli(one, "floor", "create", str(floor), "--password-stdin", stdin="lead-pass-1\n")
    assert created.returncode == 0
    wrong = cli(
        two,
        "floor",
        "join",
        str(floor),
        "--key-stdin",
        stdin=_another_secret(created.stdout.splitlines()[2].strip()) + "\n",
    )
    assert wrong.returncode == 1
    assert wrong.stderr.strip().endswith(f"that key is not the key of the floor in {floor}")
    missing = cli(one, "--sync-dir", str(tmp_path / "nowhere"), "sync")
    assert missing.returncode == 1
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "is not a floor folder" in missing.stderr


def _after(lines: list[str], heading: str) -> str:
    return lines[next(n for n, line in enumerate(lines) if line.startswith(heading)) + 1].strip()


def test_an_older_floor_upgraded_joined_and_a_lead_recovered(tmp_path: Path) -> None:
    from cc_terminal.sync.floor import store_key
    from tests.sync.kit import plain_floor

    floor, one, two = tmp_path / "share" / "floor", tmp_path / "one", tmp_path / "two"
    _init(one)
    old_key = plain_floor(floor)
    for data_dir in (one, two):
        store_key(data_dir, old_key)
    on_floor = ("--sync-dir", str(floor))
    added = cli(
        one,
        *on_floor,
        "user",
        "add",
        "jana",
        "--password-stdin",
        stdin="lead-pass-1\njana-pass-12\n",
    )
    assert added.returncode == 0, added.stderr
    assert cli(one, *on_floor, "sync").returncode == 0
    assert cli(two, *on_floor, "sync").returncode == 0
    upgraded = cli_process(
        one, *on_floor, "floor", "upgrade", "--password-stdin", stdin="lead-pass-1\n"
    )
    assert upgraded.returncode == 0, upgraded.stderr
    lines = upgraded.stdout.splitlines()
    key, recovery = _after(lines, "New floor key"), _after(lines, "Recovery key")
    jana_password = _after(lines, "Temporary passwords").split()[1]
    stale = cli(two, *on_floor, "sync")
    assert stale.returncode == 1 and "floor join" in stale.stderr  # the old key says what to do
    joined = cli(two, "floor", "join", str(floor), "--key-stdin", stdin=key + "\n")
    assert joined.returncode == 0, joined.stderr
    as_jana = cli(
        two, *on_floor, "user", "unlock", "petr", "--as", "jana", "--password-stdin",
        stdin=jana_password + "\n",
    )  # fmt: skip
    assert as_jana.returncode == 1 and "wrong user name" not in as_jana.stderr.lower()
    recovered = cli_process(
        one, *on_floor, "floor", "recover", "--recovery-stdin",
        stdin=f"{recovery}\nlead-new-pass-2\n",
    )  # fmt: skip
    assert recovered.returncode == 0, recovered.stderr
    assert cli(two, *on_floor, "sync").returncode == 0
    unlock = ["user", "unlock", "jana", "--password-stdin"]
    assert cli(two, *on_floor, *unlock, stdin="lead-pass-1\n").returncode == 1
    assert cli(two, *on_floor, *unlock, stdin="lead-new-pass-2\n").returncode == 0
