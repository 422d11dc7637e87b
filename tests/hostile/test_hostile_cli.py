"""The file-reading commands under hostile files, run for real (issue 20, item 5): exit
status 1 with one line or the report of what was rejected, no traceback, nothing stored,
and the command's peak memory (its own rusage) within 300 MB for a 1 GiB zip bomb and a
10 MB value. Each run costs a second, so the cases share a database and a run or two."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.cli_run import MB, cli, cli_measured
from tests.hostile.hostile_files import CRC, MEMBER, REGISTER_CSV, patched, register_zip, stored

PEAK_MB = 300
PASSWORD = "lead-pass-1\n"


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-cli")
    assert cli(folder, "init", "--password-stdin", stdin=PASSWORD).returncode == 0
    add = ("campaign", "add", "hostile", "--name", "Hostile", "--kind", "survey")
    assert cli(folder, *add, "--password-stdin", stdin=PASSWORD).returncode == 0
    return folder


def stored_in(folder: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{folder / 'cc-terminal.sqlite3'}")
    try:
        return stored(engine)
    finally:
        engine.dispose()


def refused(folder: Path, *args: str) -> tuple[str, str]:
    """Run a command that must refuse: its stdout and stderr, once it is shown that it
    exited 1 without a traceback, stored nothing and stayed within the memory bound."""
    before = stored_in(folder)
    result, peak = cli_measured(folder, *args, "--password-stdin", stdin=PASSWORD)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert peak <= PEAK_MB, f"{args[:2]} peaked at {peak} MB"
    assert stored_in(folder) == before
    return result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_1_gib_zip_bomb_is_one_line_and_never_unpacked(terminal, tmp_path):
    bomb = tmp_path / "bomb.zip"
    zeros = bytes(MB)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(MEMBER, "w", force_zip64=True) as member,
    ):
        member.write(REGISTER_CSV)
        for _ in range(1024):
            member.write(zeros)
    assert bomb.stat().st_size < 2 * MB
    _out, err = refused(terminal, "addresses", "import", str(bomb))
    assert one_line(err) == (
        f"cc-terminal: file: bomb.zip: {MEMBER} unpacks to 1024 MB, more than 64 MB."
    )


def test_damaged_register_files_are_each_one_line_of_the_report(terminal, tmp_path):
    huge = tmp_path / "20261101_OB_500011_ADR.csv"
    huge.write_bytes(REGISTER_CSV.replace(b"Lhota;;;", b"Lhota;;" + b"x" * 10_000_000 + b";", 1))
    digits = tmp_path / "20261101_OB_500012_ADR.csv"
    digits.write_bytes(REGISTER_CSV.replace(b";1;2;a;", b";" + b"9" * 200 + b";2;a;"))
    crc = patched(register_zip(tmp_path, REGISTER_CSV), CRC, bytes(4))
    out, err = refused(terminal, "addresses", "import", str(huge), str(digits), str(crc))
    assert err == ""
    assert out.splitlines() == [
        "Files: 3; address points: 0 in municipalities: 0; rows rejected: 3.",
        f"  {huge.name} line 2: a value in this row is longer than 131072 characters",
        f"  {digits.name} line 2: the house number “{'9' * 40}…” is larger than 2147483647",
        f"  {MEMBER}: damaged in the zip (Bad CRC-32 for file '{MEMBER}').",
    ]


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (("leads", "import", "--campaign", "hostile"), b"jmeno;telefon\nJan;"),
        (("catalog", "import"), b"code;name;kind;price;valid_from\nA;"),
    ],
    ids=["leads", "catalog"],
)
def test_a_10_mb_value_is_refused_within_the_memory_bound(terminal, tmp_path, command, header):
    path = tmp_path / "huge.csv"
    path.write_bytes(header + b"7" * 10_000_000 + b";x;tariff\n")
    out, err = refused(terminal, *command[:2], str(path), *command[2:])
    assert "line 2: a value in this row is longer than 131072 characters" in out + err


def test_a_script_file_is_read_as_the_importers_read_files(terminal, tmp_path):
    binary = tmp_path / "script.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    add = ("campaign", "add", "pruzkum", "--name", "Průzkum", "--kind", "survey")
    _out, err = refused(terminal, *add, "--script-file", str(binary))
    assert one_line(err) == (
        "cc-terminal: script: This is not a text file (it is mostly control bytes)."
    )
    script = "Dobrý den, {name}.\r\nVoláme kvůli průzkumu spokojenosti.\r\n"
    utf16 = tmp_path / "script.txt"
    utf16.write_bytes(script.encode("utf-16"))  # Windows Notepad's "Unicode"
    result, peak = cli_measured(
        terminal, *add, "--script-file", str(utf16), "--password-stdin", stdin=PASSWORD
    )
    assert (result.returncode, result.stderr, peak <= PEAK_MB) == (0, "", True)
    with sqlite3.connect(terminal / "cc-terminal.sqlite3") as connection:
        (stored_script,) = connection.execute(
            "SELECT script FROM campaign WHERE code = 'pruzkum'"
        ).fetchone()
    assert stored_script == "Dobrý den, {name}.\nVoláme kvůli průzkumu spokojenosti."
