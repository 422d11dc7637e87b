"""The visitor's pre-chat form, checked field by field in the visitor's own language:
a name, an e-mail address or a phone number (made E.164), a topic from the request
categories (or none), and the privacy notice accepted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cc_terminal import limits
from cc_terminal.i18n import LANGUAGES, N_, translated
from cc_terminal.models import ListKind
from cc_terminal.services.channels.lines import CONTROL, Words
from cc_terminal.services.channels.views import PreChat
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.validation import EMAIL, control_character

NAME_MISSING = N_("Tell us your name.")
NAME_TOO_LONG = N_("A name of at most {limit} characters, please.")
CONTACT_MISSING = N_("Give an e-mail address or a phone number.")
CONTACT_WRONG = N_("That is neither an e-mail address nor a phone number we can call.")
TOPIC_UNKNOWN = N_("Choose a topic from the list.")
NO_CONSENT = N_("Please accept the privacy notice first.")
CHAT_LANGUAGES = LANGUAGES  # the widget's languages: Czech and English


@dataclass(frozen=True)
class CheckedForm:
    name: str
    contact: str  # an e-mail address as typed (trimmed), or an E.164 number
    is_phone: bool
    topic: str
    language: str


def words_for(language: str) -> Words:
    """The visitor's words: their language when the widget speaks it, else Czech."""
    chosen = language if language in CHAT_LANGUAGES else CHAT_LANGUAGES[0]
    return lambda message: translated(chosen, message)


def language_of(form: PreChat) -> str:
    return form.language if form.language in CHAT_LANGUAGES else CHAT_LANGUAGES[0]


def checked(session: Session, form: PreChat, region: str) -> CheckedForm:
    """Every field's problem at once (ValidationFailed by field), or the values to store."""
    words = words_for(form.language)
    errors: dict[str, str] = {}
    name = _name(form.name, words, errors)
    contact, is_phone = _contact(form.contact, region, words, errors)
    topic = form.topic.strip()
    if topic and not lists_in(session).is_active(ListKind.REQUEST_CATEGORY, topic):
        errors["topic"] = words(TOPIC_UNKNOWN)
    if form.consent is not True:
        errors["consent"] = words(NO_CONSENT)
    if errors:
        raise ValidationFailed(errors)
    return CheckedForm(name, contact, is_phone, topic, language_of(form))


def _name(typed: str, words: Words, errors: dict[str, str]) -> str:
    name = " ".join(typed.split()) if control_character(typed, lines=False) is None else typed
    if (bad := control_character(name, lines=False)) is not None:
        errors["name"] = words(CONTROL).format(code=bad)
    elif not name:
        errors["name"] = words(NAME_MISSING)
    elif len(name) > limits.FULL_NAME:
        errors["name"] = words(NAME_TOO_LONG).format(limit=limits.FULL_NAME)
    return name


def _contact(typed: str, region: str, words: Words, errors: dict[str, str]) -> tuple[str, bool]:
    contact = typed.strip()
    if (bad := control_character(contact, lines=False)) is not None:
        errors["contact"] = words(CONTROL).format(code=bad)
        return contact, False
    if not contact:
        errors["contact"] = words(CONTACT_MISSING)
        return contact, False
    if "@" in contact:
        if len(contact) > limits.EMAIL or not EMAIL.match(contact):
            errors["contact"] = words(CONTACT_WRONG)
        return contact, False
    try:
        return phones.normalise(contact, region), True
    except phones.PhoneError:
        errors["contact"] = words(CONTACT_WRONG)
        return contact, True
