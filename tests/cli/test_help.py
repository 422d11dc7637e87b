"""What a newcomer reads first: `make help` lists every target, and `cc-terminal --help`
names every environment variable the workstation reads."""

import re
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from cc_terminal.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
ONLY_FOR_TESTS = {"CC_TERMINAL_TEST_CHEAP_ARGON2"}


def test_help_names_every_environment_variable_read():
    source = " ".join(path.read_text() for path in (ROOT / "src").rglob("*.py"))
    read = set(re.findall(r"CC_TERMINAL_[A-Z0-9_]+", source)) - ONLY_FOR_TESTS
    shown = CliRunner().invoke(cli, ["--help"], terminal_width=200).output
    assert read and {name for name in read if name not in shown} == set()


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.MULTILINE)
    assert phony is not None
    listed = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[1] for line in listed.splitlines() if line.startswith("make ")}
    assert names == set(phony.group(1).split()) - {"help"}
