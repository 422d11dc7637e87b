"""Most tests run the command in their own process (tests/cli_run.py's ``cli``); each command
is still run for real somewhere, started as a user starts it, so the entry point, the exit
status and the two streams are proven for every one of them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import typer

from cc_terminal.cli.main import cli

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
    every = set(commands(typer.main.get_command(cli)))
    runs = real_runs()
    missing = {c for c in every if not any(run_in(c, words) for words in runs)}
    assert missing == NOT_RUN_BY_ANY_TEST
    assert any(words == ["--version"] for words in runs)  # the entry point's own option
