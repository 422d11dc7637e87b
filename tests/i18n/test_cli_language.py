"""The real command speaks the terminal's language: --lang before the commands are read,
the system's locale without it, English for a language it does not have."""

from __future__ import annotations

import os
import subprocess

from tests.cli_run import CLI, cli_process


def run_with(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CC_TERMINAL", "LC_", "LANG"))}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env | environment, timeout=120
    )


def test_lang_chooses_the_language_of_the_help(tmp_path):
    # The real command: its help is translated as the commands are imported, which a run
    # inside the test process (cli) did long before.
    czech = cli_process(tmp_path, "--lang", "cs", "--help")
    assert czech.returncode == 0, czech.stderr
    assert "Údržba databáze." in czech.stdout and "Database maintenance." not in czech.stdout
    assert "─ Volby ─" in czech.stdout and "─ Příkazy ─" in czech.stdout  # Typer's own words
    # Typer's copy of Click writes these two without gettext: cli/commands.py does.
    assert "[VOLBY] PŘÍKAZ [ARGUMENTY]..." in czech.stdout and "Použití: " in czech.stdout
    assert "Zobrazit tuto nápovědu a skončit." in czech.stdout
    assert not {"Usage", "OPTIONS", "Show this message"} & set(czech.stdout.split())
    wrong = cli_process(tmp_path, "--lang", "cs", "user", "nope")
    assert "Příkaz 'nope' neexistuje." in wrong.stderr  # Click's
    assert "user [VOLBY] PŘÍKAZ" in wrong.stderr and "Použití: " in wrong.stderr
    a_command = cli_process(tmp_path, "--lang", "cs", "user", "add", "--help")
    assert "user add [VOLBY]" in a_command.stdout
    assert "Zobrazit tuto nápovědu a skončit." in a_command.stdout
    english = cli_process(tmp_path, "--lang=en", "--help")
    assert "Database maintenance." in english.stdout and "─ Options ─" in english.stdout
    assert "Usage: " in english.stdout and "[OPTIONS] COMMAND [ARGS]..." in english.stdout
    assert "Show this message and exit." in english.stdout


def test_a_czech_system_gets_czech_and_an_unknown_language_english():
    czech = run_with({"LANG": "cs_CZ.UTF-8"}, "--help")
    assert "Údržba databáze." in czech.stdout, czech.stderr
    assert "Údržba databáze." in run_with({"LANG": "C.UTF-8", "LANGUAGE": "cs"}, "--help").stdout
    unknown = run_with({"LANG": "de_DE.UTF-8"}, "--help")
    assert unknown.returncode == 0 and "Database maintenance." in unknown.stdout


def test_the_demo_is_built_in_czech_on_a_czech_system_and_says_how_to_switch(tmp_path):
    import sqlite3

    built = run_with(
        {"LANG": "cs_CZ.UTF-8"},
        "--data-dir",
        str(tmp_path),
        "demo",
        "--customers",
        "20",
        "--no-start",
    )
    assert built.returncode == 0, built.stderr
    assert "Jazyk: Čeština. Pro jazyk English: cc-terminal --lang en demo" in built.stdout
    connection = sqlite3.connect(tmp_path / "demo.sqlite3")
    try:
        names = {row[0] for row in connection.execute("SELECT name FROM product")}
    finally:
        connection.close()
    assert "Domácí internet 100 Mb/s" in names and "Home internet 100 Mb/s" not in names
