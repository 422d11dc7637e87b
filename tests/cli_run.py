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
    """``cli`` and the command's own peak resident memory in MB, measured by a small
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
