"""Phone numbers: any common way of typing one becomes E.164 (library: phonenumbers)."""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from cc_terminal.i18n import _

MAX_TYPED_LENGTH = 40


class PhoneError(ValueError):
    """The text is not a usable phone number; the message says why."""


def normalise(raw: str, region: str) -> str:
    """Return ``raw`` as E.164, or raise ``PhoneError`` with a reason for the operator."""
    number = _czech(raw) if region == "CZ" else None
    if number is None:
        number = _parse(raw, region)
    if not phonenumbers.is_possible_number(number):
        raise PhoneError(_("Impossible number: wrong length for its country."))
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_("No such number exists in its country's numbering plan."))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """The international format an operator reads aloud: ``+420 601 123 456``."""
    return _display(e164)


@cache
def _display(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


# The common Czech form: nine digits not starting with 0 (nor with 420, which the parser
# may take for the country code), in threes or not, after +420 or not. The parser's
# regular expressions are most of a number's cost (issue 29: a lead file's rows); the
# number they give for this form is built here, and the validity is the library's.
CZECH = re.compile(r"(?:\+420 ?)?((?!420)[1-9][0-9]{2}) ?([0-9]{3}) ?([0-9]{3})")


def _czech(raw: str) -> phonenumbers.PhoneNumber | None:
    """What ``phonenumbers.parse(raw, "CZ")`` gives, for the common form only (else None);
    tests/common/test_phones_fast.py compares both."""
    match = CZECH.fullmatch(raw.strip())
    if match is None:
        return None
    return phonenumbers.PhoneNumber(country_code=420, national_number=int("".join(match.groups())))


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber:
    text = raw.strip()
    if not text:
        raise PhoneError(_("Type a phone number."))
    if len(text) > MAX_TYPED_LENGTH:
        raise PhoneError(_("Too long for a phone number."))
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as error:
        raise PhoneError(
            _("Not a phone number: {reason}.").format(reason=_reason(error))
        ) from error


def _reason(error: NumberParseException) -> str:
    reasons = {
        NumberParseException.INVALID_COUNTRY_CODE: _("unknown country code"),
        NumberParseException.NOT_A_NUMBER: _("it must contain digits"),
        NumberParseException.TOO_SHORT_AFTER_IDD: _("too short"),
        NumberParseException.TOO_SHORT_NSN: _("too short"),
        NumberParseException.TOO_LONG: _("too long"),
    }
    return reasons.get(error.error_type, _("unreadable"))


PHONE_CHARACTERS = re.compile(r"^[\d\s+()./-]+$")


def looks_like_phone(typed: str) -> bool:
    """Digits and phone punctuation only; anything with a letter or @ is a search."""
    return bool(PHONE_CHARACTERS.match(typed))
