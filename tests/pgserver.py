"""A throwaway PostgreSQL server started from the installed binaries for the test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def find_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    raise RuntimeError(
        f"PostgreSQL binary {name!r} not found: install PostgreSQL (the test command does)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so drop to the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PostgresServer:
    root: Path
    port: int
    start_options: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> PostgresServer:
        root = Path(tempfile.mkdtemp(prefix="cc-pg-"))
        server = cls(root=root, port=free_port())
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        initdb = [find_bin("initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            _as_postgres([*initdb, "-E", "UTF8", "--no-sync"]), check=True, capture_output=True
        )
        options = f"-p {server.port} -k {root} -h 127.0.0.1 -F -c fsync=off"
        start = [
            find_bin("pg_ctl"),
            "-D",
            str(server.data),
            "-o",
            options,
            "-w",
            "-l",
            str(root / "log"),
            "start",
        ]
        subprocess.run(_as_postgres(start), check=True, capture_output=True)
        server.start_options = start
        return server

    def halt(self) -> None:
        """The server goes away (its data stays): for the tests of a lost server."""
        halt = [find_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(halt), check=True, capture_output=True)

    def resume(self) -> None:
        subprocess.run(_as_postgres(self.start_options), check=True, capture_output=True)

    def stop(self) -> None:
        stop = [find_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
