"""Masks for personal data in lists: enough left to tell two values apart, nothing more.
Plain text functions (no database), so the screens that draw lists can use them."""

from __future__ import annotations

import re

HIDDEN = "*"
SHOWN_DIGITS = 3


def mask_phone(number: str) -> str:
    """``+420 601 123 456`` -> ``+420 *** *** 456``: the country code and the last three
    digits stay (enough to tell two numbers apart on the phone), every other digit hidden."""
    if not number:
        return ""
    digits = [index for index, char in enumerate(number) if char.isdigit()]
    country = _country_digits(number)
    keep = set(digits[:country]) | set(digits[-SHOWN_DIGITS:])
    return "".join(
        HIDDEN if index in digits and index not in keep else char
        for index, char in enumerate(number)
    )


def _country_digits(number: str) -> int:
    match = re.match(r"^\+(\d{1,3})[ \-]", number)
    return len(match.group(1)) if match else 0


def mask_email(address: str) -> str:
    """``jana.nova@seznam.cz`` -> ``j***@seznam.cz``: the first letter and the domain."""
    local, at, domain = address.partition("@")
    if not at:
        return HIDDEN * 3 if address else ""
    return f"{local[:1]}{HIDDEN * 3}@{domain}"


def mask_identifier(value: str) -> str:
    """A birth number, an ID card or an account number: only the last three characters."""
    value = value.strip()
    if len(value) <= SHOWN_DIGITS:
        return HIDDEN * len(value)
    return HIDDEN * (len(value) - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]


def mask_birth_date(value: str) -> str:
    """``14.03.1985`` -> ``**.**.****``: a birth date tells nothing that a list needs."""
    return re.sub(r"\d", HIDDEN, value)
