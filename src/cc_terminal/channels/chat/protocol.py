"""The visitor's frames: JSON text, one object each, in and out (docs/chat-gateway.md).
Whatever arrives is untrusted: a frame that is not an object of a known type, or whose
fields are of the wrong kind, is a ``BadFrame`` answered with an error frame, in the
visitor's language (its words are marked here and said by the socket)."""

from __future__ import annotations

import json
from typing import Any

from cc_terminal.i18n import N_
from cc_terminal.services.channels.views import PreChat, VisitorLine

KINDS = frozenset({"start", "resume", "message", "typing", "read", "leave", "close", "transcript"})
LANGUAGES = ("cs", "en")
# A client's idempotency key: the widget makes a UUID; anything printable up to this long.
CLIENT_ID = 64
TOKEN = 128


NOT_AN_OBJECT = N_("Not a JSON object.")
UNKNOWN_TYPE = N_("Unknown frame type.")
NOT_TEXT = N_("Expected text.")
TOO_LONG = N_("At most {n} characters.")
NOT_A_NUMBER = N_("Expected a whole number.")
NO_CLIENT_ID = N_("A message needs its client id.")
NO_FORM = N_("The form is missing.")
NOT_YES_OR_NO = N_("Expected yes or no.")


class BadFrame(Exception):
    """A frame the gateway will not act on; ``field`` names what was wrong, if one thing;
    ``message`` is marked with N_, to be said with ``values`` in the visitor's language."""

    def __init__(self, message: str, field: str = "", **values: object) -> None:
        super().__init__(message)
        self.message, self.field, self.values = message, field, values


def parse(text: str) -> dict[str, Any]:
    """The frame's object; its ``type`` is one the gateway knows."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadFrame(NOT_AN_OBJECT) from None
    if not isinstance(data, dict):
        raise BadFrame(NOT_AN_OBJECT)
    if data.get("type") not in KINDS:
        raise BadFrame(UNKNOWN_TYPE, "type")
    return data


def text_of(data: dict[str, Any], field: str, longest: int) -> str:
    value = data.get(field, "")
    if not isinstance(value, str):
        raise BadFrame(NOT_TEXT, field)
    if len(value) > longest:
        raise BadFrame(TOO_LONG, field, n=longest)
    return value


def number_of(data: dict[str, Any], field: str) -> int:
    value = data.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise BadFrame(NOT_A_NUMBER, field)
    return value


def client_id_of(data: dict[str, Any]) -> str:
    client_id = text_of(data, "client_id", CLIENT_ID)
    if not client_id or not client_id.isprintable():
        raise BadFrame(NO_CLIENT_ID, "client_id")
    return client_id


def token_of(data: dict[str, Any]) -> str:
    return text_of(data, "token", TOKEN)


def form_of(data: dict[str, Any], longest: int) -> PreChat:
    """The pre-chat form as typed; its rules (lengths, contact, consent) are the service's."""
    form = data.get("form")
    if not isinstance(form, dict):
        raise BadFrame(NO_FORM, "form")
    consent = form.get("consent", False)
    if not isinstance(consent, bool):
        raise BadFrame(NOT_YES_OR_NO, "consent")
    return PreChat(
        name=text_of(form, "name", longest),
        contact=text_of(form, "contact", longest),
        topic=text_of(form, "topic", longest),
        consent=consent,
        language=language_of(form),
    )


def language_of(data: dict[str, Any], otherwise: str = "en") -> str:
    language = data.get("language")
    return language if isinstance(language, str) and language in LANGUAGES else otherwise


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
