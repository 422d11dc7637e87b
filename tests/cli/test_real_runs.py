"""Most tests run the command in their own process (tests/cli_run.py's ``cli``); each command
is still run for real somewhere, started as a user starts it, so the entry point, the exit
status and the two streams are proven for every one of them."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import typer

from cc_terminal import i18n
from cc_terminal.cli.main import cli as cli_app
from tests.cli_run import cli, cli_process

TESTS = Path(__file__).parents[1]
REAL_RUNNERS = {"cli_process", "cli_measured"}
# Commands no test runs on the command line yet, in any process: their rules are tested
# through the services only.
NOT_RUN_BY_ANY_TEST = {("user", "reset"), ("leads", "export"), ("leads", "reassign")}


def commands(group: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subcommands = getattr(group, "commands", None)
    if subcommands is None:
        yield path
        return
    for name, command in subcommands.items():
        yield from commands(command, (*path, name))


def real_runs() -> list[list[str]]:
    """The words written out in each real run in the tests (names in between are skipped)."""
    runs = []
    for source in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in REAL_RUNNERS
            ):
                words = [arg.value for arg in node.args[1:] if isinstance(arg, ast.Constant)]
                runs.append([word for word in words if isinstance(word, str)])
    return runs


def run_in(command: tuple[str, ...], words: list[str]) -> bool:
    return any(tuple(words[start : start + len(command)]) == command for start in range(len(words)))


def test_every_command_has_a_real_run() -> None:
    every = set(commands(typer.main.get_command(cli_app)))
    runs = real_runs()
    missing = {c for c in every if not any(run_in(c, words) for words in runs)}
    assert missing == NOT_RUN_BY_ANY_TEST
    assert any(words == ["--version"] for words in runs)  # the entry point's own option


def test_a_run_in_the_process_answers_as_the_real_command_and_leaves_no_trace(
    tmp_path: Path,
) -> None:
    """The same exit status and words for a success and a failure (a data path under a
    file), each in the language a new process starts with; the test process's own language,
    working folder and environment stay as they were."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    before = (os.getcwd(), dict(os.environ))
    i18n.set_language("cs")
    try:
        for where in (tmp_path / "store", blocker / "data"):
            inside = cli(where, "db", "upgrade")
            real = cli_process(where.with_name(f"{where.name}-real"), "db", "upgrade")
            said = (real.stdout + real.stderr).replace(f"{where.name}-real", where.name)
            assert (inside.returncode, inside.stdout + inside.stderr) == (real.returncode, said)
            assert i18n.current_language() == "cs"
    finally:
        i18n.set_language(None)
    assert (os.getcwd(), dict(os.environ)) == before
