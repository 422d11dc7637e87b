"""Real mail servers for the tests: Dovecot from the distribution (its own config in a
folder the test makes, a passwd-file user, a free port on 127.0.0.1) and aiosmtpd keeping
what it receives. Shared per session; each test gets its own IMAP user (a fresh mailbox)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import count
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

PASSWORD = "mailbox-pass-1"
USERS = 500


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accounts() -> tuple[str, str]:
    """Who Dovecot runs as: the current user, or (as root, which its login process
    refuses) the distribution's dovecot and dovenull users."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me
    return "dovecot", "dovenull"


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
mail_uid = {internal}
mail_gid = {group}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid={internal} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes]
    imaps_port: int = 0  # IMAP over TLS, when started with a certificate
    users: count[int] = field(default_factory=lambda: count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, tls: tuple[Path, Path] | None = None) -> Dovecot:
        """``tls``: the certificate (chain) and key files; then IMAPS listens too and the
        plain port offers STARTTLS."""
        if shutil.which("dovecot") is None:
            raise RuntimeError("dovecot is not installed: run scripts/system-deps")
        root = Path(tempfile.mkdtemp(prefix="cc-dovecot-"))
        root.chmod(0o755)  # the mail user must reach its folder
        internal, login = _accounts()
        group = internal
        for name in ("run", "state", "mail"):
            (root / name).mkdir()
        shutil.chown(root / "mail", internal, group)
        # every user made now: Dovecot reads passwd-file again only when its time changes,
        # to the second, so a user added within the second would be refused
        users = "".join(f"box{n}:{{PLAIN}}{PASSWORD}\n" for n in range(1, USERS + 1))
        (root / "users").write_text(users)
        port, imaps_port = free_port(), free_port() if tls else 0
        ssl = f"ssl = yes\nssl_cert = <{tls[0]}\nssl_key = <{tls[1]}" if tls else "ssl = no"
        config = root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=root,
                port=port,
                imaps_port=imaps_port,
                ssl=ssl,
                internal=internal,
                group=group,
                login=login,
            )
        )
        process = subprocess.Popen(["dovecot", "-F", "-c", str(config)])
        server = cls(root, port, process, imaps_port)
        server._wait()
        return server

    def _wait(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + self.log())

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def new_user(self) -> str:
        """A fresh mailbox: a user of its own."""
        with self.lock:
            number = next(self.users)
        assert number <= USERS, "more mailboxes than the session made"
        return f"box{number}"

    def client(self, user: str) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, *letters: bytes) -> None:
        client = self.client(user)
        try:
            for raw in letters:
                client.append("INBOX", raw)
        finally:
            client.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


class Keeper:
    """aiosmtpd's handler: every letter it is given, as parsed messages."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse: set[str] = set()  # recipients answered 550
        self.fail_data = 0  # the next DATA commands answered 451

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_data > 0:
            self.fail_data -= 1
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for _from, rcpt, message in self.received if address in rcpt]


@dataclass
class Smtpd:
    controller: Controller
    keeper: Keeper

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @classmethod
    def start(cls, **tls: Any) -> Smtpd:
        """``tls``: aiosmtpd's ``tls_context`` and ``require_starttls`` (STARTTLS) or
        ``ssl_context`` (TLS from the first byte)."""
        keeper = Keeper()
        controller = Controller(keeper, hostname="127.0.0.1", port=free_port(), **tls)
        controller.start()
        return cls(controller, keeper)

    def stop(self) -> None:
        self.controller.stop()


def wait_for(predicate: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def session_servers() -> Iterator[tuple[Dovecot, Smtpd]]:
    dovecot, smtpd = Dovecot.start(), Smtpd.start()
    try:
        yield dovecot, smtpd
    finally:
        smtpd.stop()
        dovecot.stop()
