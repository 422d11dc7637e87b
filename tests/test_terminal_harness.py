"""The tmux harness of the end-to-end tests: an app that dies is said at once, with its
last screen (a traceback), instead of a blank screen after the two-minute bound."""

import sys

import pytest
from bench.terminal import Terminal


def test_an_app_that_ends_is_said_at_once_with_its_last_words():
    terminal = Terminal(
        [
            sys.executable,
            "-c",
            "import time; print('Traceback: boom', flush=True); time.sleep(0.5); exit(1)",
        ]
    )
    try:
        with pytest.raises(RuntimeError, match="the app ended") as ended:
            terminal.wait_for("Sign in to your workstation", timeout=60)
        assert "Traceback: boom" in str(ended.value)
        assert not terminal.alive()
    finally:
        terminal.close()


def test_a_running_app_is_alive_until_it_quits():
    terminal = Terminal([sys.executable, "-c", "import time; print('ready'); time.sleep(60)"])
    try:
        terminal.wait_for("ready", timeout=60)
        assert terminal.alive()
        terminal.keys("C-c")
        terminal.wait_for("KeyboardInterrupt", timeout=60)
        terminal.wait_ended(timeout=60)  # the traceback is printed before the process ends
        assert not terminal.alive()
    finally:
        terminal.close()
