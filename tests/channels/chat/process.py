"""The gateway as an administrator runs it: ``cc-terminal chat serve`` in its own process
on a free port of 127.0.0.1, over a store the test made; waited for through /health;
stopped, or killed with SIGKILL mid-conversation and started again on the same port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.cli_run import CLI
from tests.pgserver import free_port

START_WITHIN = 60.0  # seconds: a loaded 2-core machine starts Python slowly


@dataclass
class GatewayProcess:
    db_url: str
    data_dir: Path
    key_file: Path
    options: tuple[str, ...] = ()
    language: str = "en"  # the gateway's own (its messages, the demo page's lang)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def log(self) -> Path:
        return self.data_dir / f"gateway-{self.port}.log"

    def start(self) -> GatewayProcess:
        command = [*CLI, "--db", self.db_url, "--data-dir", str(self.data_dir)]
        command += ["--lang", self.language, "chat", "serve"]
        command += ["--key-file", str(self.key_file), "--port", str(self.port)]
        command += ["--origin", self.origin, "--topic", "billing=Billing", *self.options]
        env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        self.wait_healthy()
        return self

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_WITHIN
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the gateway ended: {self.log.read_text()}")
            status, said = self.health()
            if status == 200 and said["ok"]:
                return
            time.sleep(0.05)  # polling for the state "answers /health", not a fixed wait
        raise AssertionError(f"the gateway did not answer in time: {self.log.read_text()}")

    def health(self) -> tuple[int, Any]:
        return self.get_json("/health")

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(f"{self.origin}{path}", timeout=5) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, {}, b""

    def get_json(self, path: str) -> tuple[int, Any]:
        status, _headers, body = self.get(path)
        return status, json.loads(body) if status else None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbye to the sockets."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    @contextmanager
    def visitor(self, origin: str | None = None) -> Iterator[Visitor]:
        with connect(self.ws_url, origin=origin or self.origin, open_timeout=10) as socket_:  # type: ignore[arg-type]
            yield Visitor(socket_)


def eventually(check: Callable[[], Any], within: float = 15.0) -> Any:
    """The check's answer once it is true (the store changes after a frame is answered)."""
    deadline = time.monotonic() + within
    while not (answer := check()):
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.05)
    return answer


@dataclass
class Visitor:
    """A websockets client speaking the widget's frames."""

    socket: ClientConnection

    def send(self, **frame: Any) -> None:
        self.socket.send(json.dumps(frame))

    def receive(self, timeout: float = 15.0) -> dict[str, Any]:
        return json.loads(self.socket.recv(timeout=timeout))

    def until(self, kind: str, timeout: float = 15.0) -> dict[str, Any]:
        """The next frame of ``kind``; the frames before it are read past."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.receive(max(0.01, deadline - time.monotonic()))
            if frame["type"] == kind:
                return frame

    def start(self, name: str = "Eva Malá", contact: str = "eva@example.cz") -> dict[str, Any]:
        form = {"name": name, "contact": contact, "topic": "", "consent": True, "language": "en"}
        self.send(type="start", form=form)
        return self.until("started")


def raw_frame_socket(port: int, origin: str) -> socket.socket:
    """A WebSocket opened by hand, for frames no well-behaved client sends."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    request = (
        f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    sock.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return sock


def masked_frame(opcode: int, payload: bytes) -> bytes:
    mask = b"\x01\x02\x03\x04"
    length = len(payload)
    header = bytes([0x80 | opcode])
    if length < 126:
        header += bytes([0x80 | length])
    else:
        header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def close_code(sock: socket.socket) -> int:
    """The code of the close frame the gateway answers with (frames before it skipped)."""
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    position = 0
    while position + 2 <= len(data):
        opcode, length = data[position] & 0x0F, data[position + 1] & 0x7F
        start = position + 2 + (2 if length == 126 else 0)
        if length == 126:
            length = int.from_bytes(data[position + 2 : position + 4], "big")
        if opcode == 0x8:
            return int.from_bytes(data[start : start + 2], "big")
        position = start + length
    raise AssertionError(f"no close frame in {data!r}")
