"""The phone's fixtures: its service account, and real baresip softphones on 127.0.0.1
with no sound card (TELEPHONY.md's recipe, plus the 48 kHz stereo source without which
``ausine`` fails and a call is never established, and the stdio console so a key on
stdin answers as an operator would), started in tmp_path and waited for by their
"ctrl_tcp: TCP socket listening" line."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cc_terminal.app import CCTerminal
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.events import NetstringReader, netstring
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import Workstation
from cc_terminal.sync.roles import PHONE_LINK_SCOPE
from tests.conftest import FixedClock
from tests.pgserver import free_port
from tests.tui import make_app

START_WITHIN = 30.0
MODULES = "/usr/lib/baresip/modules"
CONFIG = """\
module_path {modules}
module g711.so
module aufile.so
module ausine.so
module stdio.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
audio_player aufile,/dev/null
audio_source ausine,440
audio_alert aufile,/dev/null
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 2
sip_listen 127.0.0.1:{sip}
ctrl_tcp_listen 127.0.0.1:{control}
"""


def phone_link_account(ws: Workstation, lead: Actor, folder: Path) -> Path:
    key_file = folder / "phone-link.key"
    ServiceAccounts(ws.db).add(lead, "phone-link", ",".join(PHONE_LINK_SCOPE), key_file)
    return key_file


def sip_ports() -> tuple[int, int]:
    """A SIP port whose next port (baresip's TLS) is free too, and a control port."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port, free_port()
    raise RuntimeError("no two free ports in a row")


class PortTaken(Exception):
    """baresip found its SIP or control port taken."""


@dataclass
class Softphone:
    """One baresip: ``user`` is its account's user part (what the other side sees)."""

    folder: Path
    user: str
    sip: int = 0
    control: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: list[str] = field(default_factory=list)

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@127.0.0.1:{self.sip}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.control}"

    def start(self) -> Softphone:
        """Started on free ports; a port taken between its choice and baresip's bind (by
        another test's process) is chosen again, a few times."""
        chosen = not self.sip
        for _attempt in range(3 if chosen else 1):
            if chosen:
                self.sip, self.control = sip_ports()
            try:
                return self._started()
            except PortTaken:
                self.stop()
                self.log.clear()
        raise AssertionError("baresip did not start: its ports stayed taken")

    def _started(self) -> Softphone:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = CONFIG.format(modules=MODULES, sip=self.sip, control=self.control)
        (self.folder / "config").write_text(config)
        (self.folder / "accounts").write_text(f"<{self.uri}>;regint=0\n")
        self.process = subprocess.Popen(
            ["baresip", "-v", "-f", str(self.folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + START_WITHIN
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode("utf-8", "replace")
            if not line and self.process.poll() is not None:
                break
            self.log.append(line)
            if "ctrl_tcp: TCP socket listening" in line:
                threading.Thread(target=self._drain, daemon=True).start()
                return
        if any("Address already in use" in said for said in self.log):
            raise PortTaken("".join(self.log))
        raise AssertionError("baresip did not start: " + "".join(self.log))

    def _drain(self) -> None:
        """Keep reading its log, or a full pipe would stop it (it prints audio levels)."""
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line.decode("utf-8", "replace"))
            del self.log[:-200]

    def command(self, name: str, params: str = "") -> dict[str, Any]:
        """One ctrl_tcp command on a connection of its own; its answer."""
        body = json.dumps({"command": name, "params": params, "token": "t"}).encode()
        with socket.create_connection(("127.0.0.1", self.control), timeout=10) as connection:
            connection.sendall(netstring(body))
            reader = NetstringReader()
            while True:
                for frame in reader.feed(connection.recv(65536)):
                    assert isinstance(frame, bytes)
                    data = json.loads(frame)
                    if data.get("response"):
                        return data

    def press(self, key: str) -> None:
        """A key on the softphone's own console (stdio): ``a`` answers, ``b`` hangs up.
        ctrl_tcp takes one client at a time (a second one closes the first), so the
        operator's softphone is driven here while the workstation holds its ctrl_tcp."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(key.encode())
        self.process.stdin.flush()

    def dial(self, other: Softphone) -> dict[str, Any]:
        return self.command("dial", other.uri)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def app(sqlite_url: str, tmp_path: Path, clock: FixedClock) -> CCTerminal:
    """The app on the test's seeded SQLite database, as the phone's Pilot tests start it
    (a module that needs a phone's settings has its own)."""
    return make_app(sqlite_url, tmp_path, clock)


@pytest.fixture
def softphones(tmp_path: Path) -> Iterator[tuple[Softphone, Softphone]]:
    """The customer's phone (+420601123456, a known caller) and operator 101's softphone."""
    if shutil.which("baresip") is None:
        pytest.fail("baresip is not installed: run scripts/system-deps")
    customer = Softphone(tmp_path / "customer", "+420601123456")
    operator = Softphone(tmp_path / "operator", "op101")
    try:
        yield customer.start(), operator.start()
    finally:
        customer.stop()
        operator.stop()
