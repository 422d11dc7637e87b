"""A real terminal: a private tmux server (its own socket, no user config) with one 120x40
window. The benchmarks time the app in it; the end-to-end test drives the app through it."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

# A state the tests wait for is given this long: a generous bound for a loaded machine (a
# thin-client host at a load of 10 on 2 cores), never a time the test relies on.
DEADLINE = 120.0
SLOW_POLL = 0.05


class Terminal:
    def __init__(self, command: list[str]) -> None:
        self.socket = f"cc-terminal-{uuid.uuid4().hex[:8]}"
        self.started = time.perf_counter()
        size = ["-x", "120", "-y", "40"]
        clean_env = ["env", "-u", "COLUMNS", "-u", "LINES", "TERM=xterm-256color"]
        # The pane stays after the app ends (remain-on-exit), so a test that waits for a
        # screen of an app that died reads its last words (a traceback) instead of nothing.
        started = self.tmux(
            "new-session", "-d", "-s", "main", *size, *clean_env, *command, ";",
            "set-option", "-t", "main", "remain-on-exit", "on",
        )  # fmt: skip
        if started.returncode != 0:
            raise RuntimeError(f"tmux did not start the app: {started.stderr.strip()}")

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main").stdout

    def history(self) -> str:
        """The pane with what scrolled off it, blank lines dropped: a dead app's output."""
        whole = self.tmux("capture-pane", "-p", "-S", "-", "-t", "main").stdout
        return "\n".join(line for line in whole.splitlines() if line.strip())

    def settled(self, quiet: float = 0.2, timeout: float = DEADLINE) -> str:
        """The screen once it has stayed the same for ``quiet`` seconds. A capture taken
        while the app is still painting (a loaded machine writes a dialog in several
        chunks) can hold its title without its body; what a test asserts, it reads here."""
        began = time.perf_counter()
        last, since = self.screen(), time.perf_counter()
        while time.perf_counter() - began < timeout:
            time.sleep(SLOW_POLL)
            now = self.screen()
            if now != last:
                last, since = now, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                break
        return last

    def wait_for(self, text: str, timeout: float = DEADLINE, poll: float = 0.005) -> float:
        """Seconds from start until ``text`` is on the screen."""
        self._wait(lambda screen: text in screen, timeout, poll, f"{text!r} did not appear")
        return time.perf_counter() - self.started

    def wait_gone(self, text: str, timeout: float = DEADLINE, poll: float = 0.005) -> None:
        self._wait(lambda screen: text not in screen, timeout, poll, f"{text!r} did not go away")

    def _wait(self, done: object, timeout: float, poll: float, failure: str) -> None:
        """Poll the screen until ``done``: every ``poll`` seconds for the first second (the
        benchmarks' precision), then every 50 ms, so a long wait on a loaded machine does
        not add 200 tmux clients a second to its load."""
        began = time.perf_counter()
        while (waited := time.perf_counter() - began) < timeout:
            if done(self.screen()):  # type: ignore[operator]
                return
            if not self.alive():
                # it may have printed what was awaited between that look and its end
                if done(self.screen()):  # type: ignore[operator]
                    return
                raise RuntimeError(f"{failure}: the app ended; its last words:\n{self.history()}")
            time.sleep(poll if waited < 1 else max(poll, SLOW_POLL))
        raise TimeoutError(f"{failure} within {timeout} s; the screen was:\n{self.screen()}")

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", "--", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def pid(self) -> int:
        return int(self.tmux("display", "-p", "-t", "main", "#{pane_pid}").stdout.strip())

    def alive(self) -> bool:
        """The app still runs (its pane is kept after it ends, marked dead)."""
        dead = self.tmux("display", "-p", "-t", "main", "#{pane_dead}")
        return dead.returncode == 0 and dead.stdout.strip() == "0"

    def wait_ended(self, timeout: float = DEADLINE) -> None:
        """Until the app has ended: its last words are on the screen a moment before its
        process is gone."""
        began = time.perf_counter()
        while self.alive():
            if time.perf_counter() - began > timeout:
                raise TimeoutError(f"the app still runs after {timeout} s:\n{self.screen()}")
            time.sleep(SLOW_POLL)

    def close(self) -> None:
        shown = self.tmux("display", "-p", "-t", "main", "#{pane_pid}")
        self.tmux("kill-server")
        if shown.returncode == 0 and shown.stdout.strip().isdigit():
            _forget_faked_clock(int(shown.stdout.strip()))


def _forget_faked_clock(pid: int, timeout: float = 10.0) -> None:
    """libfaketime's ``faketime`` wrapper keeps its clock in ``/dev/shm`` under its own PID
    and removes it when it ends normally only: one killed with its tmux server leaves it
    there, and a later wrapper given the same PID would refuse to start."""
    left = [Path("/dev/shm", name) for name in (f"faketime_shm_{pid}", f"sem.faketime_sem_{pid}")]
    if not any(path.exists() for path in left):
        return  # no faked clock: nothing to wait for
    began = time.perf_counter()
    while _running(pid) and time.perf_counter() - began < timeout:
        time.sleep(SLOW_POLL)
    if not _running(pid):
        for path in left:
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def end_call(terminal: Terminal) -> None:
    """Give the open call its first shipped reason's neighbour and end it with outcome 1:
    the reason list is numbered, and the key bar has no room for the list's own keys."""
    terminal.keys("C-r", "Enter")
    terminal.wait_for("1 Tariff or service question")
    terminal.keys("Down", "Enter")
    terminal.wait_gone("2 Billing")
    terminal.keys("C-e")
    terminal.wait_for("End the call with an outcome")
    terminal.keys("1")
    terminal.wait_gone("Phones:")


class ControlClient:
    """Keys and looks through one tmux control-mode client, where ``Terminal`` starts a tmux
    process for each: a look then costs a line on a pipe instead of a process start (about
    5 ms of CPU). Polled every millisecond, those starts took a core of their own and were
    most of a key's measured echo (a bare Textual app's median 24 ms). For the key echo
    benchmarks; the tests keep ``Terminal``'s plainer way."""

    def __init__(self, terminal: Terminal) -> None:
        self.process = subprocess.Popen(
            ["tmux", "-L", terminal.socket, "-f", "/dev/null", "-C",
             "attach-session", "-t", "main", "-f", "ignore-size,no-output"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )  # fmt: skip
        self._command("display-message -p ready")  # the client is attached and answers

    def _command(self, line: str) -> list[str]:
        """Run one tmux command; its output lines (between its %begin and %end)."""
        self._send(line)
        return self._block(line)

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def _block(self, line: str) -> list[str]:
        assert self.process.stdout is not None
        output: list[str] = []
        number, ours = None, False
        for raw in self.process.stdout:
            text = raw.rstrip("\n")
            fields = text.split(" ")
            if number is None:
                if fields[0] == "%begin" and len(fields) == 4:
                    # flags 1: a command this client sent (the attach's own block has 0)
                    number, ours = fields[2], fields[3] == "1"
                continue  # a notification between blocks
            if fields[0] in ("%end", "%error") and len(fields) == 4 and fields[2] == number:
                if not ours:
                    number, output = None, []
                    continue
                if fields[0] == "%error":
                    raise RuntimeError(f"tmux refused {line!r}: {output}")
                return output
            output.append(text)
        raise RuntimeError(f"tmux's control client ended during {line!r}")

    def screen(self) -> str:
        return "\n".join(self._command("capture-pane -p -t main"))

    def type(self, text: str) -> None:
        self._command(f"send-keys -t main -l -- {_quoted(text)}")

    def keys(self, *keys: str) -> None:
        self._command("send-keys -t main " + " ".join(_quoted(key) for key in keys))

    def wait_for(self, text: str, timeout: float = DEADLINE, poll: float = 0.001) -> None:
        began = time.perf_counter()
        while text not in self.screen():
            if time.perf_counter() - began > timeout:
                raise TimeoutError(f"{text!r} did not appear within {timeout} s")
            time.sleep(poll)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _quoted(text: str) -> str:
    """One argument of a tmux command line: quoted, so that its ';', '#', quotes and spaces
    are text. A command is a line: a new line would end it (Enter is a key)."""
    if "\n" in text:
        raise ValueError("a new line in a tmux command's argument: send Enter as a key")
    return "'" + text.replace("'", "'\\''") + "'"
