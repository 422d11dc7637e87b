"""Running the real ``cc-terminal`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "cc_terminal"]


def cli(
    data_dir: Path, *args: str, stdin: str = "", db: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    options = ["--data-dir", str(data_dir)] + (["--db", db] if db else [])
    return subprocess.run(
        [*CLI, *options, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


MB = 1024 * 1024


def cli_measured(
    data_dir: Path, *args: str, stdin: str = "", address_space: int = 2048 * MB
) -> tuple[subprocess.CompletedProcess[str], int]:
    """``cli`` and the command's peak resident memory in MB (the child's own rusage from
    wait4, as RUSAGE_CHILDREN would give it). Its address space is capped, so a command
    that reads too much fails at once instead of filling the machine."""
    import resource
    import tempfile
    import threading

    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [*CLI, "--data-dir", str(data_dir), *args],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=env,
            preexec_fn=capped,
        )
        assert process.stdin is not None
        process.stdin.write(stdin.encode())
        process.stdin.close()
        timer = threading.Timer(120, process.kill)
        timer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(
            process.args, process.returncode, out.read().decode(), err.read().decode()
        )
    return result, usage.ru_maxrss // 1024  # kB on Linux
