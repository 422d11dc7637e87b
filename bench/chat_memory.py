"""The gateway's memory alone: a SQLite store made as the chat bench makes it, the real
gateway process (``cc-terminal chat serve``), its RSS read once started and again with
SOCKETS idle sockets, each of whose chats started (bench/chat_visitors.py), then
/proc/PID/smaps_rollup's split (anonymous, file-backed) and the thread count.

``python -m bench.chat_memory [SOCKETS]``"""

from __future__ import annotations

import asyncio
import math
import os
import sys
import tempfile
from pathlib import Path

from tests.channels.chat.process import GatewayProcess

from bench.chat import OPTIONS, SETTLE, _environment, rss_mb
from bench.chat_store import prepare
from bench.chat_visitors import Plan, run

OPERATORS = 20


def _status(pid: int) -> str:
    wanted = ("RssAnon", "RssFile", "Threads")
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return ", ".join(line.replace("\t", " ") for line in lines if line.startswith(wanted))


def main(sockets: int) -> None:
    os.environ["PYTHONPATH"] = _environment()["PYTHONPATH"]
    with tempfile.TemporaryDirectory(prefix="cc-chat-memory-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'chat.sqlite3'}"
        key_file = prepare(url, folder, OPERATORS, math.ceil(sockets / OPERATORS) + 1)
        gateway = GatewayProcess(url, folder, key_file, OPTIONS).start()
        try:
            assert gateway.process is not None
            pid = gateway.process.pid
            print(f"started: {rss_mb(pid):.0f} MB ({_status(pid)})", flush=True)

            async def idle() -> None:
                await asyncio.sleep(SETTLE)
                print(f"{sockets} idle: {rss_mb(pid):.0f} MB ({_status(pid)})", flush=True)

            asyncio.run(run(Plan(gateway.ws_url, gateway.origin, sockets, 0, 0.0, 1.0), idle))
        finally:
            gateway.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
