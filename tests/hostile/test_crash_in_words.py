"""An unexpected error in the UI used to end the app with Textual's traceback on the
terminal, every frame's local variables in it (a customer's note among them), nothing in
the log, and exit status 0. Now the person sees one sentence, the log (0600) holds the
traceback, and the process ends with status 1."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.terminal import Terminal

from cc_terminal.session_log import LOG_NAME
from tests.tui import SIZE, make_app, settle

SECRET = "Eva Černá, Dlouhá 12"  # a local variable's value: never shown, never logged

# The real entry point, with the help key made to fail as a bug in a screen would.
FAILING_HELP = f"""
import sys
from cc_terminal.app import CCTerminal
def broken_help(self):
    note = {SECRET!r}
    raise RuntimeError(note)
CCTerminal.action_help = broken_help
sys.argv = ["cc-terminal"]
from cc_terminal.cli.launch import main
main()
"""


def test_a_failure_in_the_real_terminal_is_said_in_words_and_logged(
    sqlite_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    script = tmp_path / "failing_help.py"
    script.write_text(FAILING_HELP)
    command = f"{sys.executable} {script}; echo exit-status-$?; sleep 600"
    terminal = Terminal(
        [
            f"CC_TERMINAL_DB={sqlite_url}",
            f"CC_TERMINAL_DATA_DIR={data_dir}",
            f"PYTHONPATH={os.environ.get('PYTHONPATH', '')}",
            "sh",
            "-c",
            command,
        ]
    )
    try:
        terminal.wait_for("Sign in to your workstation")
        terminal.keys("F1")
        terminal.wait_for("exit-status-")
        screen = terminal.screen()
    finally:
        terminal.close()
    flat = " ".join(screen.split())
    assert "exit-status-1" in flat
    assert "stopped after an unexpected error (RuntimeError)" in flat
    assert str(data_dir / LOG_NAME) in flat.replace(" ", "") or LOG_NAME in flat
    assert "Traceback" not in screen and "Eva" not in screen and "locals" not in screen
    log = (data_dir / LOG_NAME).read_text()
    assert "Traceback (most recent call last)" in log and "broken_help" in log
    assert "RuntimeError" in log and "Eva" not in log
    assert stat.S_IMODE((data_dir / LOG_NAME).stat().st_mode) == 0o600


@pytest.fixture
def session_log_put_back() -> Iterator[None]:
    """start_log sets the process's log up for good (its file, and no passing on to the
    root logger); the tests after this one in the same process get the log as it was."""
    from cc_terminal.session_log import log

    handlers, level, propagate = list(log.handlers), log.level, log.propagate
    yield
    for handler in log.handlers:
        if handler not in handlers:
            handler.close()
    log.handlers[:] = handlers
    log.setLevel(level)
    log.propagate = propagate


@pytest.mark.usefixtures("session_log_put_back")
async def test_a_failing_screen_sets_a_failing_status_and_logs_it(
    sqlite_url: str,
    tmp_path: Path,
    clock,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cc_terminal.app import CCTerminal
    from cc_terminal.session_log import start_log

    start_log(tmp_path)

    def broken_help(self: CCTerminal) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(CCTerminal, "action_help", broken_help)
    app = make_app(sqlite_url, tmp_path, clock)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == 1
    shown = capsys.readouterr().err
    assert "stopped after an unexpected error (RuntimeError)" in " ".join(shown.split())
    assert "Traceback" not in shown and SECRET not in shown
    log = (tmp_path / LOG_NAME).read_text()
    assert "broken_help" in log and SECRET not in log
