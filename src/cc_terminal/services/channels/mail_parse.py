"""A letter's bytes read into plain values with the standard library's ``email`` (policy
``default``) and inscriptis for HTML: the headers threading needs, the sender, the text, the
attachments (kept as bytes, never opened), and whether it is an automatic letter (RFC 3834).

Nothing here raises on bad input but ``Refused`` (with a reason in words): a header that
does not parse is read raw, a body in an unknown charset is decoded with replacements, a
broken MIME structure falls back to the whole payload as text. What is stored is the data
as it came (terminal escapes included); the screens draw control characters as pictures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import PurePosixPath, PureWindowsPath

from cc_terminal import limits
from cc_terminal.i18n import N_
from cc_terminal.models.mail import AutoKind

MAX_LETTER = 40 * 1024 * 1024  # bytes; a 20 MB attachment in base64 is 27 MB
MAX_TEXT = 200_000  # characters of a letter's text kept; the rest is cut with a note
MESSAGE_ID_LIMIT = 998
_IDS = re.compile(r"<[^<>\s]{1,990}>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|]")
_PREFIX = re.compile(r"^\s*((re|odp|fwd?|vs|aw|wg|sv|tr)(\s*\[\d+\])?\s*:\s*)+", re.IGNORECASE)
TOO_LARGE = N_("larger than 40 MB")
NO_SENDER = N_("no sender's address")
CUT = "\n[…]"


class Refused(Exception):
    """A letter that is not read into a conversation, with the reason (``N_`` words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedLetter:
    message_id: str  # "<...>", or "" when the letter has none
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    from_address: str
    from_name: str
    to: str
    cc: str
    sent_at: datetime | None
    text: str
    attachments: tuple[ParsedAttachment, ...]
    auto_kind: str
    raw_size: int


def parse(raw: bytes, own_addresses: frozenset[str] = frozenset()) -> ParsedLetter:
    """The letter in ``raw``; ``own_addresses`` (lower case) mark our own letters."""
    if len(raw) > MAX_LETTER:
        raise Refused(TOO_LARGE)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    name, address = _sender(message)
    if not address:
        raise Refused(NO_SENDER)
    text, attachments = _content(message)
    return ParsedLetter(
        message_id=storable(_first_id(header(message, "Message-ID"))),
        in_reply_to=storable(_first_id(header(message, "In-Reply-To"))),
        references=tuple(_IDS.findall(storable(header(message, "References"))))[-50:],
        subject=storable(header(message, "Subject")),
        from_address=storable(address),
        from_name=storable(name),
        to=storable(_addresses(message, "To")),
        cc=storable(_addresses(message, "Cc")),
        sent_at=_date(header(message, "Date")),
        text=storable(text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + CUT),
        attachments=attachments,
        auto_kind=auto_kind(message, address, own_addresses),
        raw_size=len(raw),
    )


def storable(text: str) -> str:
    """``text`` as both databases store it: bytes that were not text (kept by the parser as
    surrogates) become U+FFFD, and NUL, which PostgreSQL's text refuses, its picture ␀.
    Every other control character stays: it is data, drawn as a picture on screen."""
    if text.isascii() and "\x00" not in text:
        return text
    return (
        text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "\u2400")
    )


def header(message: Message, name: str) -> str:
    """The header's decoded value (encoded words read), or its raw text when it does not
    parse; "" when absent."""
    try:
        value = message.get(name)
        return "" if value is None else " ".join(str(value).split())
    except Exception:  # the email package's header classes raise more than they document
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                return " ".join(str(raw).split())
        return ""


def normalised_subject(subject: str) -> str:
    """The subject without "Re:", "Odp:", "Fwd:" and the like, folded for comparing."""
    return " ".join(_PREFIX.sub("", subject).split()).casefold()


def _first_id(value: str) -> str:
    found = _IDS.search(value)
    if found:
        return found.group(0)
    value = value.strip()
    return f"<{value}>" if value and " " not in value and len(value) < 990 else ""


def _sender(message: Message) -> tuple[str, str]:
    try:
        found = message.get("From")
        addresses = getattr(found, "addresses", ())
        if addresses and isinstance(addresses[0], Address) and "@" in addresses[0].addr_spec:
            first = addresses[0]
            return first.display_name, first.addr_spec.lower()[: limits.EMAIL]
    except Exception:  # see header()
        pass
    name, address = parseaddr(header(message, "From"))
    return name, (address.lower()[: limits.EMAIL] if "@" in address else "")


def _addresses(message: Message, name: str) -> str:
    pairs = getaddresses([header(message, name)])
    return ", ".join(address for _name, address in pairs if "@" in address)


def _date(value: str) -> datetime | None:
    try:
        found = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def auto_kind(message: Message, address: str, own_addresses: frozenset[str]) -> str:
    """Why this letter must get no automatic answer (RFC 3834 and common practice)."""
    submitted = header(message, "Auto-Submitted").lower()
    local = address.partition("@")[0]
    if address in own_addresses:
        return AutoKind.OWN.value
    if message.get_content_type() == "multipart/report" or local in ("mailer-daemon", "postmaster"):
        return AutoKind.BOUNCE.value
    if submitted.startswith("auto-replied") or _has(message, "X-Autoreply", "X-Autorespond"):
        return AutoKind.OUT_OF_OFFICE.value
    if submitted and not submitted.startswith("no"):
        return AutoKind.AUTO_SUBMITTED.value
    precedence = header(message, "Precedence").lower()
    if precedence in ("bulk", "list", "junk") or _has(message, "List-Id", "List-Unsubscribe"):
        return AutoKind.LIST.value
    return AutoKind.PERSON.value


def _has(message: Message, *names: str) -> bool:
    return any(header(message, name) for name in names)


def _content(message: EmailMessage) -> tuple[str, tuple[ParsedAttachment, ...]]:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None and not message.is_multipart():
            if message.get_content_maintype() in ("text", "multipart"):
                return _decoded(message), ()  # a multipart whose boundary never comes
            return "", (_attachment(message),)
        text = _text_of(body) if body is not None else ""
        return text, tuple(_attachments(message, body))
    except Exception:  # a structure the email package cannot walk: the payload as text
        return _decoded(message), ()


def _attachments(message: Message, body: Message | None) -> list[ParsedAttachment]:
    """Every part but the body and its other alternatives, in order; a forwarded letter
    (message/rfc822) is one attachment, its own parts not listed apart."""
    found = []
    for part in _leaves(message):
        if part is body or _is_alternative_text(part):
            continue
        found.append(_attachment(part))
    return found


def _leaves(part: Message) -> list[Message]:
    if _is_rfc822(part) or not part.is_multipart():
        return [part]
    payload = part.get_payload()
    children = payload if isinstance(payload, list) else []
    return [leaf for child in children if isinstance(child, Message) for leaf in _leaves(child)]


def _is_alternative_text(part: Message) -> bool:
    return (
        part.get_content_maintype() == "text"
        and not part.get_filename()
        and part.get_content_disposition() != "attachment"
    )


def _is_rfc822(part: Message) -> bool:
    return part.get_content_type() == "message/rfc822"


def _attachment(part: Message) -> ParsedAttachment:
    if _is_rfc822(part):
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        data = first.as_bytes() if isinstance(first, Message) else b""
        name = part.get_filename() or "forwarded.eml"
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else part.as_bytes()
        name = part.get_filename() or ""
    content_type = part.get_content_type()[: limits.LABEL]
    return ParsedAttachment(safe_filename(storable(name), content_type), content_type, data)


def safe_filename(name: str, content_type: str = "") -> str:
    """A file name without folders, control characters or characters a file system refuses,
    at most ``limits.LABEL`` characters with its extension kept."""
    name = PureWindowsPath(PurePosixPath(str(name)).name).name
    name = _CONTROL.sub("_", name).strip(" .")
    if not name:
        name = "attachment" + (".txt" if content_type.startswith("text/") else ".bin")
    if len(name) > limits.LABEL:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:16] if dot and stem else ""
        name = name[: limits.LABEL - len(extension) - 1].rstrip(".") + (
            "." + extension if extension else ""
        )
    return name


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        text = content if isinstance(content, str) else _decoded(part)
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        text = _decoded(part)
    if part.get_content_subtype() == "html":
        from inscriptis import get_text

        text = get_text(text)
    return text.replace("\r\n", "\n")


def _decoded(part: Message) -> str:
    """The payload's bytes in its charset, or UTF-8, with replacements for what is not."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:
        text = payload.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")
