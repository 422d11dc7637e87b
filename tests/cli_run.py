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
