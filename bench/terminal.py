"""A real terminal for benchmarks: a private tmux server with one 120x40 window."""

from __future__ import annotations

import subprocess
import time
import uuid


class Terminal:
    def __init__(self, command: list[str]) -> None:
        self.socket = f"cc-bench-{uuid.uuid4().hex[:8]}"
        self.started = time.perf_counter()
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "120",
            "-y",
            "40",
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            "TERM=xterm-256color",
            *command,
        )

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 60, poll: float = 0.005) -> float:
        """Seconds from start until ``text`` is on the screen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.tmux("capture-pane", "-p", "-t", "main"):
                return time.perf_counter() - self.started
            time.sleep(poll)
        raise TimeoutError(f"{text!r} did not appear within {timeout} s")

    def wait_gone(self, text: str, timeout: float = 60, poll: float = 0.005) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text not in self.tmux("capture-pane", "-p", "-t", "main"):
                return
            time.sleep(poll)
        raise TimeoutError(f"{text!r} did not go away within {timeout} s")

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", "--", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def pid(self) -> int:
        return int(self.tmux("display", "-p", "-t", "main", "#{pane_pid}").strip())

    def close(self) -> None:
        self.tmux("kill-server")
