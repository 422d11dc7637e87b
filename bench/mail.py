"""The e-mail targets (issue 27), against a real Dovecot (tests/channels/mail/servers.py,
as the tests start it) on a SQLite file: 10,000 letters fetched and stored by the mail
service (each letter and the mailbox's last UID in its own transaction), beside a raw IMAP
fetch of the same letters in the same run; then the real loop (``cc-terminal mail serve``
in its own process, polling every 5 s, IDLE waking it) and the time from a letter's
APPEND to its conversation in ``Conversations.queue``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.channels.mail.servers import PASSWORD as BOX_PASSWORD
from tests.channels.mail.servers import Dovecot

from bench.chat_store import PASSWORD
from bench.table import Row, median_ms
from cc_terminal.config import Settings
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.mail import MailLoop, MailService
from cc_terminal.services.channels.mail_secrets import loop_key_of
from cc_terminal.services.channels.mail_views import MailboxForm
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import (
    ServiceAccounts,
    open_service,
    read_key_file,
)
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.sync.roles import MAIL_LOOP_SCOPE

LETTERS = 10_000
ARRIVALS = 10  # letters timed from APPEND to the queue, one at a time
POLL_SECONDS = "5"
ROOT = Path(__file__).resolve().parent.parent


def letter(number: int) -> bytes:
    body = f"Dobrý den,\r\nposílám dotaz číslo {number} k faktuře.\r\n\r\nS pozdravem\r\nEva\r\n"
    return (
        f"From: Eva Malá <eva{number % 500}@example.cz>\r\nTo: podpora@firma.example\r\n"
        f"Subject: Dotaz {number}\r\nMessage-ID: <bench{number}@example.cz>\r\n"
        "Date: Fri, 04 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    ).encode()


def rows(quick: bool = False) -> list[Row]:
    count = 1_000 if quick else LETTERS
    dovecot = Dovecot.start()
    try:
        with tempfile.TemporaryDirectory(prefix="cc-mail-bench-") as folder:
            return _measure(dovecot, Path(folder), count)
    finally:
        dovecot.stop()


def _measure(dovecot: Dovecot, folder: Path, count: int) -> list[Row]:
    """The arrivals first, on an empty queue (it shows the 200 oldest), with the loop in
    its own process; then the bulk fetch in this one, from a second mailbox."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    ws, lead, mail, key = _store(url, folder)
    quiet = dovecot.new_user()
    ws.mail.save_mailbox(lead, _form(dovecot, quiet, "arrivals"))
    arrivals = _arrivals(ws, lead, dovecot, quiet, folder, url, key)
    user = dovecot.new_user()
    _fill(dovecot, user, count)
    raw = _raw_fetch(dovecot, user)
    mailbox = ws.mail.save_mailbox(lead, _form(dovecot, user, "podpora"))
    started = time.perf_counter()
    report = mail.fetch(mailbox)
    stored_seconds = time.perf_counter() - started
    ws.close()
    rate, raw_rate = report.stored / stored_seconds, count / raw
    return [
        Row(
            f"mail: {count:,} letters fetched from Dovecot and stored (SQLite, a transaction each)",
            f"{rate:,.0f} letters/s ({stored_seconds:.1f} s; stored {report.stored:,}, "
            f"refused {len(report.refused)})",
            f"raw IMAP fetch of the same letters {raw_rate:,.0f} letters/s ({raw:.1f} s); "
            f"{raw_rate / rate:.0f}x the store's time is parsing, threading and writing",
            "",
        ),
        Row(
            f"mail: a new letter in F8's queue (mail serve, IDLE, poll {POLL_SECONDS} s)",
            f"median {median_ms(arrivals):.0f} ms, worst {max(arrivals) * 1000:.0f} ms",
            f"{len(arrivals)} letters, each from APPEND to Conversations.queue",
            "<= 10 s",
        ),
    ]


def _fill(dovecot: Dovecot, user: str, count: int) -> None:
    client = dovecot.client(user)
    try:
        for start in range(0, count, 500):
            client.multiappend("INBOX", [letter(n) for n in range(start, min(count, start + 500))])
    finally:
        client.logout()


def _raw_fetch(dovecot: Dovecot, user: str) -> float:
    client = dovecot.client(user)
    try:
        started = time.perf_counter()
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["ALL"])
        for start in range(0, len(uids), 50):
            client.fetch(uids[start : start + 50], ["BODY.PEEK[]"])
        return time.perf_counter() - started
    finally:
        client.logout()


def _store(url: str, folder: Path) -> tuple[Workstation, Actor, MailService, Path]:
    ws = open_workstation(Settings(db_url=url, data_dir=folder))
    made = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
    lead = Actor(made.id, made.username, made.full_name, made.role)
    key = folder / "mail-loop.pem"
    ServiceAccounts(ws.db).add(lead, "mail-loop", ",".join(MAIL_LOOP_SCOPE), key)
    service_id = open_service(ws.db, "mail-loop", key)
    loop = MailLoop(
        Actor(service_id, "mail-loop", "mail-loop", "service"), loop_key_of(read_key_file(key))
    )
    mail = MailService(ws.db, utcnow, loop=loop)
    mail.register_loop_key()
    return ws, lead, mail, key


def _form(dovecot: Dovecot, user: str, name: str) -> MailboxForm:
    return MailboxForm(
        name=name,
        imap_host="127.0.0.1",
        imap_port=str(dovecot.port),
        imap_security="none",
        imap_user=user,
        imap_password=BOX_PASSWORD,
        smtp_host="127.0.0.1",
        smtp_port="25",
        smtp_security="none",
        from_address="podpora@firma.example",
    )


def _arrivals(
    ws: Workstation, lead: Actor, dovecot: Dovecot, user: str, folder: Path, url: str, key: Path
) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    command = [sys.executable, "-m", "cc_terminal", "--data-dir", str(folder), "--db", url]
    loop = subprocess.Popen(
        [*command, "mail", "serve", "--key-file", str(key), "--poll-seconds", POLL_SECONDS],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        time.sleep(3)  # started, its first round done
        seen = {item.id for item in ws.chats.queue(lead)}
        times = []
        for number in range(ARRIVALS):
            times.append(_one_arrival(ws, lead, dovecot, user, seen, LETTERS + 1 + number))
            time.sleep(0.7)
        return times
    finally:
        loop.send_signal(signal.SIGTERM)
        loop.wait(30)


def _one_arrival(
    ws: Workstation, lead: Actor, dovecot: Dovecot, user: str, seen: set[object], number: int
) -> float:
    started = time.perf_counter()
    dovecot.append(user, letter(number))
    while time.perf_counter() - started < 60:
        fresh = {item.id for item in ws.chats.queue(lead)} - seen
        if fresh:
            seen |= fresh
            return time.perf_counter() - started
        time.sleep(0.02)
    return 60.0
