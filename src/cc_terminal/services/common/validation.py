"""Collect every problem with a form at once, so each field can show its own message."""

from __future__ import annotations

import re
import unicodedata
import uuid

from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models import Customer
from cc_terminal.services.common.errors import ValidationFailed

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_ALLOWED_IN_LINES = frozenset("\n\t")
# Not controls to Unicode (category Cf, Zl, Zp) but they move text on screen: the line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates, which
# reverse what follows them ("\u202eexe.txt" shows as "txt.exe").
_MOVES_TEXT = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(value: str, *, lines: bool = True) -> str | None:
    """The first control character in ``value`` (C0, DEL, C1, or one that moves text),
    as U+XXXX, or None. Line breaks and tabs are allowed where ``lines``."""
    for char in value:
        if lines and char in _ALLOWED_IN_LINES:
            continue
        if unicodedata.category(char) == "Cc" or char in _MOVES_TEXT:
            return f"U+{ord(char):04X}"
    return None


def control_problem(value: str, *, lines: bool = True) -> str:
    """The message for a value holding a control character, or "" when it holds none."""
    bad = control_character(value, lines=lines)
    if bad is None:
        return ""
    return _("A control character ({code}) cannot be stored; remove it.").format(code=bad)


class FormErrors:
    """The problems by field. With ``in_file`` they speak of an imported file's row (each
    names its column: "no label in this row"), not to someone at a form ("Required.")."""

    def __init__(self, *, in_file: bool = False) -> None:
        self.errors: dict[str, str] = {}
        self.in_file = in_file

    def add(self, field: str, message: str) -> None:
        if self.in_file and field.replace("_", " ") not in message.lower().replace("_", " "):
            message = f"{field}: {message}"
        self.errors.setdefault(field, message)

    def text(self, field: str, value: str, limit: int, *, required: bool = False) -> str:
        """Check one text field and return it stripped. Control characters (ESC, BEL, NUL
        ...) are refused: drawn raw, they drive the terminal. Line breaks and tabs are
        kept (notes and order items have lines; lists draw them as ␊)."""
        value = value.strip()
        bad = control_character(value)
        if bad is not None:
            message = (
                _("{field} holds a control character ({code})")
                if self.in_file
                else _("A control character ({code}) cannot be stored; remove it.")
            )
            self.add(field, message.format(field=field, code=bad))
        elif required and not value:
            missing = _("no {field} in this row") if self.in_file else _("Required.")
            self.add(field, missing.format(field=field))
        elif len(value) > limit:
            message = (
                _("{field} has {length} characters, at most {limit}")
                if self.in_file
                else _("Too long: {length} characters, at most {limit}.")
            )
            self.add(field, message.format(field=field, length=len(value), limit=limit))
        return value

    def email(self, field: str, value: str, limit: int) -> str:
        value = self.text(field, value, limit)
        if value and not EMAIL.match(value):
            self.add(field, _("Not an e-mail address."))
        return value

    def whole_number(self, field: str, value: str, bounds: tuple[int, int]) -> str:
        """Digits from ``bounds[0]`` to ``bounds[1]``, or nothing; returned as typed."""
        value = self.text(field, value, len(str(bounds[1])) + 1)
        low, high = bounds
        if value and (not value.isascii() or not value.isdigit() or not low <= int(value) <= high):
            self.add(field, _("A whole number from {low} to {high}.").format(low=low, high=high))
        return value

    def customer_exists(self, session: Session, customer_id: uuid.UUID | None) -> None:
        """Flag a record pointing at a customer who is not (or no longer) stored."""
        if customer_id is not None and session.get(Customer, customer_id) is None:
            self.add("customer", _("No such customer."))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
