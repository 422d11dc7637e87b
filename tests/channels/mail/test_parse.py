"""The parser on the corpus of real-world shapes (tests/channels/mail_corpus) and on
arbitrary bytes: each letter read or refused with a reason, nothing raised."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cc_terminal.services.channels.mail_parse import (
    Refused,
    normalised_subject,
    parse,
    safe_filename,
)

CORPUS = Path(__file__).parent.parent / "mail_corpus"
OWN = frozenset({"podpora@firma.cz"})


def letter(name: str):
    return parse((CORPUS / name).read_bytes(), OWN)


def test_encoded_word_subject_and_sender_are_read():
    found = letter("encoded_words.eml")
    assert found.subject == "Reklamace žluťoučkého koně"
    assert (found.from_name, found.from_address) == ("Jiří Dvořák", "jiri.dvorak@example.cz")
    assert found.message_id == "<encoded-1@example.cz>"
    assert found.sent_at is not None and found.sent_at.utcoffset().total_seconds() == 0
    assert found.auto_kind == ""


def test_iso_8859_2_subject_and_body():
    found = letter("iso_8859_2.eml")
    assert found.subject == "Žádost o vrácení peněz"
    assert "vrácení peněz za objednávku č. 123" in found.text


def test_windows_1250_body():
    assert "Šťastný zákazník: účet „zaplacen“ – díky." in letter("windows_1250.eml").text


def test_html_only_becomes_plain_text_without_script_or_style():
    text = letter("html_only.eml").text
    assert "Dobrý den," in text and "* první" in text
    assert "alert" not in text and "color" not in text and "<" not in text


def test_alternative_prefers_the_plain_part_and_lists_no_attachment():
    found = letter("alternative.eml")
    assert found.text.strip() == "Plain text wins."
    assert found.attachments == ()


def test_forwarded_letter_is_one_attachment_and_names_lose_their_folders():
    found = letter("forwarded.eml")
    assert found.text.strip() == "Posílám dál, viz níže."
    names = [(a.filename, a.content_type) for a in found.attachments]
    assert names == [("forwarded.eml", "message/rfc822"), ("faktura.pdf", "application/pdf")]
    assert b"Objedn" in found.attachments[0].content
    assert found.attachments[1].content.startswith(b"%PDF")


def test_malformed_boundary_is_read_as_text():
    assert "The boundary never matches." in letter("malformed_boundary.eml").text


def test_terminal_escapes_are_kept_as_data():
    found = letter("terminal_escapes.eml")
    assert "\x1b]0;owned\x07" in found.subject and "\x1b[5m" in found.text


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("bounce.eml", "bounce"),
        ("out_of_office.eml", "out-of-office"),
        ("mailing_list.eml", "list"),
    ],
)
def test_automatic_letters_are_marked(name, kind):
    assert letter(name).auto_kind == kind


def test_own_letter_is_marked():
    raw = b"From: Podpora <PODPORA@firma.cz>\r\nSubject: x\r\n\r\nloop\r\n"
    assert parse(raw, OWN).auto_kind == "own"


def test_a_letter_without_message_id_has_none_and_one_without_sender_is_refused():
    assert letter("no_message_id.eml").message_id == ""
    with pytest.raises(Refused) as refused:
        letter("no_sender.eml")
    assert refused.value.reason == "no sender's address"


def test_a_20_mb_attachment_is_kept_whole():
    content = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    encoded = base64.encodebytes(content)
    raw = (
        b"From: big@example.cz\r\nSubject: big\r\nMessage-ID: <big@example.cz>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n"
        b"--B\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="scan.tif"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--B--\r\n"
    )
    (attachment,) = parse(raw).attachments
    assert (attachment.filename, len(attachment.content)) == ("scan.tif", len(content))
    assert attachment.content == content


def test_nul_and_undecodable_bytes_become_storable_text():
    raw = b"From: x@example.cz\r\nSubject: a\x00b \xff\r\n\r\nbody\x00\r\n"
    found = parse(raw)
    assert "\x00" not in found.subject + found.text
    found.subject.encode("utf-8")  # no lone surrogates left


@pytest.mark.parametrize(
    ("typed", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("a\x1b[31mb.pdf", "a_[31mb.pdf"),
        ("", "attachment.bin"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_filename(typed, safe):
    assert safe_filename(typed) == safe


@pytest.mark.parametrize(
    ("subject", "normal"),
    [("Re: Re: Faktura", "faktura"), ("Odp: FWD: faktura ", "faktura"), ("RE[2]: X", "x")],
)
def test_normalised_subject(subject, normal):
    assert normalised_subject(subject) == normal


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_but_refused(raw):
    try:
        found = parse(raw)
    except Refused:
        return
    (found.subject + found.text + found.from_name).encode("utf-8")


MIME_PIECES = st.sampled_from(
    [
        b"From: a@b.cz\r\n",
        b"Content-Type: multipart/mixed; boundary=X\r\n",
        b"Content-Type: text/html; charset=x-unknown\r\n",
        b"Content-Type: message/rfc822\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"Subject: =?utf-8?b?////?=\r\n",
        b"Date: Mon, 99 Foo 2026 99:99:99 +9999\r\n",
        b"Message-ID: <<>>\r\n",
        b"\r\n",
        b"--X\r\n",
        b"--X--\r\n",
        b"<p>x</p>\r\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MIME_PIECES, st.binary(max_size=40)), max_size=30))
def test_mime_shaped_junk_never_raises_but_refused(pieces):
    with contextlib.suppress(Refused):
        parse(b"".join(pieces))
