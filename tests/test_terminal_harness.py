"""The tmux harness of the end-to-end tests: an app that dies is said at once, with its
last screen (a traceback), instead of a blank screen after the two-minute bound."""

import sys
from pathlib import Path

import pytest
from bench.terminal import ControlClient, Terminal

from tests.faked_clock import at_moment


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


def test_a_faked_clock_killed_with_its_terminal_leaves_nothing_in_dev_shm():
    """A killed ``faketime`` wrapper leaves its semaphore, named by its PID; a later
    wrapper given that PID would refuse to start (a CI run failed so)."""
    shows = "import datetime; print('year', datetime.date.today().year); input()"
    terminal = Terminal([*at_moment("@2031-05-04 10:00:00"), sys.executable, "-c", shows])
    try:
        terminal.wait_for("year 2031", timeout=60)
        kept = [Path("/dev/shm", f"sem.faketime_sem_{terminal.pid()}")]
        kept.append(Path("/dev/shm", f"faketime_shm_{terminal.pid()}"))
        assert all(path.exists() for path in kept)
    finally:
        terminal.close()
    assert not any(path.exists() for path in kept)


def test_the_control_client_types_text_as_it_is_and_reads_the_screen_tmux_shows():
    """The key echo benchmarks' client (one control-mode tmux client): tmux's own command
    separators and quotes in the text are typed, not obeyed, and its look at the pane is
    the one a capture-pane process gives; a command tmux refuses is an error, and the client
    stays in step with tmux's replies after it."""
    reader = "import sys; [print('got', repr(line.strip()), flush=True) for line in sys.stdin]"
    terminal = Terminal([sys.executable, "-c", f"print('ready', flush=True); {reader}"])
    control = None
    try:
        terminal.wait_for("ready", timeout=60)
        control = ControlClient(terminal)
        text = "a;b 'c' \"d\" #e \\f $g"
        control.type(text)
        control.keys("Enter")
        control.wait_for("got", timeout=60)
        assert f"got {text!r}" in control.screen()
        assert control.screen().rstrip("\n") == terminal.screen().rstrip("\n")
        control.keys("#", ";", "Enter")  # keys too are arguments, not tmux's syntax
        control.wait_for("got '#;'", timeout=60)
        with pytest.raises(ValueError, match="new line"):
            control.type("one\ntwo")
        with pytest.raises(RuntimeError, match="tmux refused"):
            control._command("select-pane -t no-such-pane")
        assert control.screen().rstrip("\n") == terminal.screen().rstrip("\n")  # in step
    finally:
        if control is not None:
            control.close()
        terminal.close()
