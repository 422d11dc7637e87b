"""``cc-terminal mail serve``: rounds of fetching every active mailbox and sending what is
due, woken early by IMAP IDLE (one watching thread per mailbox whose server has it) or
after ``poll_seconds``. SIGTERM ends the round in progress and stops: every letter is
stored and every send recorded in its own transaction, so nothing is left half done.

One status line a round goes to the log (stderr): the health of the loop for whoever
supervises it (systemd's journal, docs/mail.md)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from cc_terminal.config import Settings
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.mail import MailLoop, MailService
from cc_terminal.services.channels.mail_fetch import Imap, MailboxUnreachable, close, open_imap
from cc_terminal.services.channels.mail_secrets import loop_key_of
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import open_service, read_key_file
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.errors import StoreError

log = logging.getLogger("cc_terminal.mail")
# an IDLE is renewed this often (well under RFC 2177's 29 minutes): a stop is heard then
IDLE_CHECK = 5.0


def open_mail_loop(settings: Settings, service: str, key_file: Path) -> MailService:
    """The mail service as the loop's service account, its sealing key registered."""
    workstation = open_workstation(settings)
    service_id = open_service(workstation.db, service, key_file)
    actor = Actor(service_id, service, service, "service")
    sealing = loop_key_of(read_key_file(key_file))
    mail = MailService(
        workstation.db,
        utcnow,
        region=settings.default_region,
        loop=MailLoop(actor, sealing),
    )
    if mail.register_loop_key():
        log.warning("mail loop key registered: type the mailboxes' passwords again if set before")
    return mail


@dataclass
class Totals:
    rounds: int = 0
    fetched: int = 0
    stored: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def one_round(mail: MailService, totals: Totals) -> None:
    """Fetch every active mailbox, then send what is due; a mailbox that does not answer
    is said in the log and tried again next round."""
    totals.rounds += 1
    totals.errors = []
    for mailbox_id in mail.active_mailboxes():
        try:
            report = mail.fetch(mailbox_id)
        except MailboxUnreachable as error:
            totals.errors.append(str(error))
            continue
        totals.fetched += report.fetched
        totals.stored += report.stored
        for reason in report.refused:
            log.info("mailbox %s refused %s", report.mailbox, reason)
    sent = mail.send_queued(utcnow())
    totals.sent += sent.sent
    totals.failed += sent.failed
    log.info(
        "status: %s rounds=%d fetched=%d stored=%d sent=%d failed_sends=%d waiting=%d%s",
        "ok" if not totals.errors else "degraded",
        totals.rounds,
        totals.fetched,
        totals.stored,
        totals.sent,
        totals.failed,
        sent.waiting,
        "".join(f" error={error!r}" for error in totals.errors),
    )


def guarded(work: Callable[[], None]) -> None:
    """A round's work; a store that does not answer is said in the log, tried next round."""
    try:
        work()
    except (SQLAlchemyError, StoreError) as error:
        log.warning("status: degraded store=%r", type(error).__name__)


def serve(mail: MailService, poll_seconds: float, stop: threading.Event) -> Totals:
    """Rounds until ``stop`` is set; woken early when a watched mailbox gets a letter."""
    wake = threading.Event()
    watchers: dict[uuid.UUID, threading.Thread] = {}
    polled: set[uuid.UUID] = set()  # mailboxes whose server has no IDLE
    totals = Totals()
    while not stop.is_set():
        wake.clear()
        guarded(lambda: one_round(mail, totals))
        guarded(lambda: _watch(mail, (watchers, polled), wake, stop))
        _wait(wake, stop, poll_seconds)
        time.sleep(0.05)  # letters arriving together come in one round
    return totals


def _wait(wake: threading.Event, stop: threading.Event, seconds: float) -> None:
    """Until a letter wakes the loop, it is stopped, or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        if wake.wait(min(0.25, max(0.0, deadline - time.monotonic()))):
            return


def _watch(
    mail: MailService,
    known: tuple[dict[uuid.UUID, threading.Thread], set[uuid.UUID]],
    wake: threading.Event,
    stop: threading.Event,
) -> None:
    watchers, polled = known
    for mailbox_id in mail.active_mailboxes():
        alive = mailbox_id in watchers and watchers[mailbox_id].is_alive()
        if alive or mailbox_id in polled:
            continue
        try:
            server = mail.imap_server(mailbox_id)
        except MailboxUnreachable:
            continue
        thread = threading.Thread(
            target=_idle,
            args=(server, wake, stop, lambda box=mailbox_id: polled.add(box)),
            name=f"idle-{mailbox_id}",
            daemon=True,
        )
        watchers[mailbox_id] = thread
        thread.start()


def _idle(
    server: Imap, wake: threading.Event, stop: threading.Event, no_idle: Callable[[], None]
) -> None:
    """Hold an IDLE on the mailbox's folder; a new letter wakes the loop. A server without
    IDLE, or one that went away, ends the thread: the loop polls (and watches again)."""
    try:
        client: Any = open_imap(server)
    except MailboxUnreachable:
        return
    try:
        if b"IDLE" not in client.capabilities():
            no_idle()
            return
        client.select_folder(server.folder, readonly=True)
        client.idle()
        # a letter that came after the round's fetch but before the IDLE began is news
        # the IDLE never tells: one more round now fetches it
        wake.set()
        while True:
            answers = client.idle_check(timeout=IDLE_CHECK)
            _, since_check = client.idle_done()
            if _has_new_letter(answers) or _has_new_letter(since_check):
                wake.set()
            if stop.is_set():
                break
            client.idle()
    except Exception as error:  # the watcher's connection only: the loop polls meanwhile
        log.info("IDLE ended: %s", type(error).__name__)
    finally:
        close(client)


def _has_new_letter(answers: list[Any]) -> bool:
    return any(b"EXISTS" in item for item in answers if isinstance(item, tuple))
