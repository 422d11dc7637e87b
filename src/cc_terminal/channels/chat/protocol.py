"""The visitor's frames: JSON text, one object each, in and out (docs/chat-gateway.md).
Whatever arrives is untrusted: a frame that is not an object of a known type, or whose
fields are of the wrong kind, is a ``BadFrame`` answered with an error frame."""

from __future__ import annotations

import json
from typing import Any

from cc_terminal.i18n import _
from cc_terminal.services.channels.views import PreChat, VisitorLine

KINDS = frozenset({"start", "resume", "message", "typing", "read", "leave", "close"})
LANGUAGES = ("cs", "en")
# A client's idempotency key: the widget makes a UUID; anything printable up to this long.
CLIENT_ID = 64
TOKEN = 128


class BadFrame(Exception):
    """A frame the gateway will not act on; ``field`` names what was wrong, if one thing."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


def parse(text: str) -> dict[str, Any]:
    """The frame's object; its ``type`` is one the gateway knows."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadFrame(_("Not a JSON object.")) from None
    if not isinstance(data, dict):
        raise BadFrame(_("Not a JSON object."))
    if data.get("type") not in KINDS:
        raise BadFrame(_("Unknown frame type."), "type")
    return data


def text_of(data: dict[str, Any], field: str, longest: int) -> str:
    value = data.get(field, "")
    if not isinstance(value, str):
        raise BadFrame(_("Expected text."), field)
    if len(value) > longest:
        raise BadFrame(_("At most {n} characters.").format(n=longest), field)
    return value


def number_of(data: dict[str, Any], field: str) -> int:
    value = data.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise BadFrame(_("Expected a whole number."), field)
    return value


def client_id_of(data: dict[str, Any]) -> str:
    client_id = text_of(data, "client_id", CLIENT_ID)
    if not client_id or not client_id.isprintable():
        raise BadFrame(_("A message needs its client id."), "client_id")
    return client_id


def token_of(data: dict[str, Any]) -> str:
    return text_of(data, "token", TOKEN)


def form_of(data: dict[str, Any], longest: int) -> PreChat:
    """The pre-chat form as typed; its rules (lengths, contact, consent) are the service's."""
    form = data.get("form")
    if not isinstance(form, dict):
        raise BadFrame(_("The form is missing."), "form")
    language = form.get("language")
    consent = form.get("consent", False)
    if not isinstance(consent, bool):
        raise BadFrame(_("Expected yes or no."), "consent")
    return PreChat(
        name=text_of(form, "name", longest),
        contact=text_of(form, "contact", longest),
        topic=text_of(form, "topic", longest),
        consent=consent,
        language=language if language in LANGUAGES else "en",
    )


def line_frame(line: VisitorLine) -> dict[str, Any]:
    return {
        "type": "line",
        "seq": line.seq,
        "client_id": line.client_id,
        "author": line.author,
        "text": line.text,
        "at": line.at.isoformat(),
        "operator_label": line.operator_label,
        "delivered": line.delivered,
        "read": line.read,
    }


def error_frame(message: str, field: str = "", client_id: str = "") -> dict[str, Any]:
    frame = {"type": "error", "field": field, "message": message}
    if client_id:
        frame["client_id"] = client_id
    return frame
