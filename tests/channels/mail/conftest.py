"""Fixtures of the mail tests: the real servers (one Dovecot and one aiosmtpd per session),
the mail loop's service account and its ``MailService``, a mailbox of one's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cc_terminal.services.channels.mail import MailLoop, MailService
from cc_terminal.services.channels.mail_secrets import loop_key_of
from cc_terminal.services.channels.mail_views import MailboxForm
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts, read_key_file
from cc_terminal.services.workstation import Workstation
from cc_terminal.sync.roles import MAIL_LOOP_SCOPE
from tests.channels.mail.servers import PASSWORD, Dovecot, Smtpd, session_servers
from tests.helpers import rows


@pytest.fixture(scope="session")
def mail_servers() -> Iterator[tuple[Dovecot, Smtpd]]:
    yield from session_servers()


@pytest.fixture
def dovecot(mail_servers: tuple[Dovecot, Smtpd]) -> Dovecot:
    return mail_servers[0]


@pytest.fixture
def smtpd(mail_servers: tuple[Dovecot, Smtpd]) -> Iterator[Smtpd]:
    server = mail_servers[1]
    server.keeper.received.clear()
    server.keeper.refuse.clear()
    server.keeper.fail_data = 0
    yield server


def loop_of(ws: Workstation, lead: Actor, folder: Path, name: str = "mail-loop") -> MailService:
    """The mail loop as ``cc-terminal mail serve`` opens it: its service account, its key
    registered for sealing."""
    key_file = folder / f"{name}.pem"
    ServiceAccounts(ws.db).add(lead, name, ",".join(MAIL_LOOP_SCOPE), key_file)
    (found,) = rows(ws, f"SELECT id FROM operator WHERE username = '{name}'")
    actor = Actor(uuid.UUID(str(found[0])), name, name, "service")
    ws.db.keyring.put(actor.operator_id, read_key_file(key_file))
    service = MailService(
        ws.db,
        ws.chats.clock,
        loop=MailLoop(actor, loop_key_of(read_key_file(key_file))),
        save_roots=(folder,),
    )
    service.register_loop_key()
    return service


@pytest.fixture
def loop(ws: Workstation, lead: Actor, tmp_path: Path) -> MailService:
    return loop_of(ws, lead, tmp_path)


@pytest.fixture
def imap_user(dovecot: Dovecot) -> str:
    return dovecot.new_user()


def box_form(dovecot: Dovecot, smtpd: Smtpd, user: str, **changes: object) -> MailboxForm:
    form = MailboxForm(
        name="podpora",
        department="",
        imap_host="127.0.0.1",
        imap_port=str(dovecot.port),
        imap_security="none",
        imap_user=user,
        imap_password=PASSWORD,
        smtp_host="127.0.0.1",
        smtp_port=str(smtpd.port),
        smtp_security="none",
        from_address="podpora@firma.example",
        from_name="Podpora Firma",
    )
    return replace(form, **changes)  # type: ignore[arg-type]


@pytest.fixture
def mailbox(
    ws: Workstation, lead: Actor, loop: MailService, dovecot: Dovecot, smtpd: Smtpd, imap_user: str
) -> uuid.UUID:
    return ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, imap_user))
