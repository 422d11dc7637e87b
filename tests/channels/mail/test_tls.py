"""The mail loop over TLS against real servers: Dovecot with a certificate (IMAPS and
STARTTLS on the plain port) and aiosmtpd with STARTTLS required and with TLS from the first
byte. The certificate is signed by a CA the test makes and the loop trusts it only through
SSL_CERT_FILE, as a floor points it at its own CA: without that trust the mailbox is
unreachable, said in words, and nothing is fetched or sent."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.channels.mail_fetch import MailboxUnreachable
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.mail.conftest import box_form
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.channels.mail.test_loop import letter


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _signed(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA's certificate, and a server certificate for 127.0.0.1 it signed with its key."""
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _signed("cc-terminal test CA", ca_key, "cc-terminal test CA", ca_key, ca=True)
    server = _signed("127.0.0.1", key, "cc-terminal test CA", ca_key, ca=False)
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(server.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    for path in paths:
        path.chmod(0o644)
    return paths


@pytest.fixture(scope="module")
def tls_servers(tmp_path_factory) -> Iterator[tuple[Path, Dovecot, Smtpd, Smtpd]]:
    folder = tmp_path_factory.mktemp("tls")
    folder.chmod(0o755)  # Dovecot reads its certificate as its own user
    ca, cert, key = make_certificates(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    dovecot = Dovecot.start(tls=(cert, key))
    starttls = Smtpd.start(tls_context=context, require_starttls=True)
    implicit = Smtpd.start(ssl_context=context)
    try:
        yield ca, dovecot, starttls, implicit
    finally:
        implicit.stop()
        starttls.stop()
        dovecot.stop()


@pytest.mark.parametrize("imap", ["ssl", "starttls"])
def test_fetch_and_send_over_tls_with_the_floors_ca(
    ws: Workstation, lead: Actor, loop: MailService, tls_servers, monkeypatch, imap: str
):
    ca, dovecot, starttls, implicit = tls_servers
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    user = dovecot.new_user()
    smtp = starttls if imap == "starttls" else implicit
    smtp.keeper.received.clear()  # the servers serve the module's tests
    port = dovecot.imaps_port if imap == "ssl" else dovecot.port
    # the SMTP side: STARTTLS beside the IMAP's STARTTLS, TLS from the first byte beside IMAPS
    form = box_form(
        dovecot, smtp, user, imap_port=str(port), imap_security=imap, smtp_security=imap
    )
    mailbox = ws.mail.save_mailbox(lead, form)
    dovecot.append(user, letter(1))
    assert loop.fetch(mailbox).stored == 1
    (conversation,) = ws.chats.queue(lead)
    ws.mail.reply(lead, conversation.id, "tls-1", "Odpověď přes TLS")
    assert loop.send_queued(ws.chats.clock()).sent == 1
    (arrived,) = smtp.keeper.to("eva@example.cz")
    assert arrived["In-Reply-To"] == "<m1@example.cz>"


def test_a_certificate_nobody_trusts_is_refused_in_words(
    ws: Workstation, lead: Actor, loop: MailService, tls_servers, monkeypatch, tmp_path
):
    _ca, dovecot, _starttls, _implicit = tls_servers
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-ca.pem"))
    user = dovecot.new_user()
    form = box_form(
        dovecot, _starttls, user, imap_port=str(dovecot.imaps_port), imap_security="ssl"
    )
    mailbox = ws.mail.save_mailbox(lead, form)
    dovecot.append(user, letter(1))
    with pytest.raises(MailboxUnreachable) as refused:
        loop.fetch(mailbox)
    assert "certificate" in str(refused.value).lower()
    assert ws.chats.queue(lead) == ()
