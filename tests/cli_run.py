"""Running the ``cc-terminal`` command: in this process through Typer's runner (``cli``,
what most tests need: the command's rules, words and exit status, in milliseconds instead
of a Python start of a second or more) or as the real command in a subprocess
(``cli_process``: the entry point, the exit status and the streams a user sees; every
command has such a run, tests/cli/test_real_runs.py checks)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLI = [sys.executable, "-m", "cc_terminal"]
PROG_NAME = "python -m cc_terminal"  # what Click calls the real command started so


def _options(data_dir: Path, db: str | None) -> list[str]:
    return ["--data-dir", str(data_dir)] + (["--db", db] if db else [])


def cli(
    data_dir: Path, *args: str, stdin: str = "", db: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The command run in this process, answered as ``cli_process`` answers: its exit
    status, stdout and stderr (an unexpected exception's traceback in stderr, as Python
    prints it)."""
    from typer.testing import CliRunner

    argv = [*_options(data_dir, db), *args]
    with _as_a_fresh_process():
        from cc_terminal.cli.main import cli as app

        result = CliRunner().invoke(
            app, argv, input=stdin, env={"CC_TERMINAL_DB": None}, prog_name=PROG_NAME
        )
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess([*CLI, *argv], result.exit_code, result.stdout, stderr)


@contextmanager
def _as_a_fresh_process() -> Iterator[None]:
    """What a new process would start with and what a command may change in this one: the
    language (from the environment, as at a start), the environment, the working folder
    and the logging handlers; put back afterwards."""
    from cc_terminal import i18n

    language, translations = i18n.current_language(), i18n._Current.translations
    environment, folder = dict(os.environ), os.getcwd()
    loggers = [logging.getLogger(), logging.getLogger("cc_terminal")]
    kept = [(list(log.handlers), log.level, log.propagate) for log in loggers]
    i18n.set_language(None)
    try:
        yield
    finally:
        i18n.use_translations(translations, language)
        os.environ.clear()
        os.environ.update(environment)
        os.chdir(folder)
        for log, (handlers, level, propagate) in zip(loggers, kept, strict=True):
            log.handlers[:] = handlers
            log.setLevel(level)
            log.propagate = propagate


def cli_process(
    data_dir: Path, *args: str, stdin: str = "", db: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command, started as a user starts it."""
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    return subprocess.run(
        [*CLI, *_options(data_dir, db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


MB = 1024 * 1024


def cli_measured(
    data_dir: Path, *args: str, stdin: str = "", address_space: int = 2048 * MB
) -> tuple[subprocess.CompletedProcess[str], int]:
    """``cli_process`` and the command's own peak resident memory in MB, measured by a small
    process started fresh (see measure_peak.py for why not from here). Its address
    space is capped, so a command that reads too much fails at once instead of filling
    the machine."""
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    measure = [sys.executable, str(Path(__file__).with_name("measure_peak.py"))]
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        command = [*CLI, "--data-dir", str(data_dir), *args]
        result = subprocess.run(
            [*measure, str(peak_file), str(address_space), "120", *command],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=150,
        )
        peak_kb = int(peak_file.read_text(encoding="ascii"))
    result.args = command
    return result, peak_kb // 1024
