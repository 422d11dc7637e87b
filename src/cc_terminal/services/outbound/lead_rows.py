"""One row of a lead file made a lead draft, and what was changed on the way.

A rejected row raises ``ValidationFailed`` with reasons that speak of the file's row ("no
phone number in this row"); a row stored with changes (a name cut to its column's length,
control characters removed) returns them as warnings, so the report says so. A quoted
value's line breaks stay in the columns kept as extra data (a two-line comment keeps its
lines); the lead's own fields (name, address) are one line each."""

from __future__ import annotations

import re

from cc_terminal import limits
from cc_terminal.customer_fields import IMPORTED, Check
from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.text_files import echoed
from cc_terminal.services.outbound.lead_files import FileFormat, LeadFile, SourceRow
from cc_terminal.services.outbound.lead_views import LeadDraft

YES = {"1", "yes", "ano", "y", "a", "true", "x", "souhlas", "consent"}
# What is cut to its length with a warning: the name and the declared text fields. Others
# (an e-mail address, a number) are not stored cut: a row with one too long is refused.
LENGTHS = {
    "name": limits.FULL_NAME,
    **{field.name: field.max_length for field in IMPORTED if field.check is Check.TEXT},
}
WHOLE_ONLY = tuple(field for field in IMPORTED if field.check is not Check.TEXT)
EXTRA_CHARACTERS = 16_000  # the columns kept as extra data, all of one row together
_DIALER_DROPS = str.maketrans("", "", "\"'`\\;")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
_INTERNATIONAL = re.compile(r"^(?:\+|00|011)")  # how dialers write "international"


def draft_of(lead_file: LeadFile, row: SourceRow, region: str) -> tuple[LeadDraft, list[str]]:
    """The lead the row gives and the warnings about what was changed to store it."""
    cleaner = _Cleaner(dialer=lead_file.format != FileFormat.CSV)
    mapped = {target: "" for target in lead_file.mapping.values()}
    for column, target in lead_file.mapping.items():
        mapped[target] = cleaner.one_line(column, row.values.get(column, ""))
    extra = {
        column: cleaner.lines(column, value)
        for column, value in row.values.items()
        if column not in lead_file.mapping and value.strip()
    }
    code = row.values.get("phone_code") or row.values.get("PhoneCode") or ""
    errors: dict[str, str] = {}
    phone = _phone(_with_code(mapped.get("phone", ""), code), region, errors)
    errors.update(_too_long(mapped, extra))
    if errors:
        raise ValidationFailed(errors)
    name = mapped.get("name") or " ".join(
        part for part in (mapped.get("first_name", ""), mapped.get("last_name", "")) if part
    )
    given = {**{target: mapped.get(target, "") for target in LENGTHS}, "name": name}
    fields = {target: cleaner.cut(target, text) for target, text in given.items()}
    whole = {field.name: mapped.get(field.name, "") for field in WHOLE_ONLY}
    draft = LeadDraft(
        phone=phone,
        full_name=fields.pop("name") or _("(no name)"),
        fields={**fields, **whole},
        consent=fold(mapped.get("consent", "")) in YES,
        extra=extra,
        line=row.line,
    )
    return draft, cleaner.warnings()


def _too_long(mapped: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """The row's values that cannot be stored whole (what is cut with a warning is not here)."""
    errors: dict[str, str] = {}
    kept = sum(len(column) + len(value) for column, value in extra.items())
    if kept > EXTRA_CHARACTERS:
        message = _("the columns kept as extra data hold {length} characters, more than {n}")
        errors["extra"] = message.format(length=kept, n=EXTRA_CHARACTERS)
    for field in WHOLE_ONLY:
        value = mapped.get(field.name, "")
        if len(value) > field.max_length:
            message = _("the {field} has {length} characters, more than {n}")
            what = field.label().lower()
            errors[field.name] = message.format(field=what, length=len(value), n=field.max_length)
    return errors


def _phone(typed: str, region: str, errors: dict[str, str]) -> str:
    if not typed.strip():
        errors["phone"] = _("no phone number in this row")
        return ""
    try:
        return phones.normalise(typed, region)
    except phones.PhoneError as error:
        errors["phone"] = _("phone “{phone}”: {reason}").format(phone=echoed(typed), reason=error)
        return ""


def _with_code(number: str, code: str) -> str:
    """The number with the row's country code, which dialers may write with the dialling
    prefix (``01144``, ``0044``, ``+44``); a number already international is kept."""
    digits = "".join(char for char in number if char.isdigit() or char == "+")
    code_digits = "".join(char for char in _INTERNATIONAL.sub("", code.strip()) if char.isdigit())
    if code_digits and digits and not digits.startswith(("+", "00")):
        return f"+{code_digits}{digits}"
    return number


class _Cleaner:
    """Makes values storable (as VICIdial does for its files: no quotes, backticks,
    backslashes or semicolons) and remembers what it changed."""

    def __init__(self, *, dialer: bool) -> None:
        self.dialer = dialer
        self.controls: list[str] = []  # columns that lost control characters
        self.cuts: list[str] = []

    def one_line(self, column: str, value: str) -> str:
        """Single spaces: line breaks and tabs become spaces."""
        return self._printable(column, " ".join(self._dropped(value).split()))

    def lines(self, column: str, value: str) -> str:
        """Line breaks kept (as ``\\n``), each line with single spaces."""
        lines = _LINE_BREAKS.split(self._dropped(value))
        text = "\n".join(" ".join(line.split()) for line in lines).strip("\n")
        return self._printable(column, text)

    def cut(self, target: str, value: str) -> str:
        limit = LENGTHS[target]
        if len(value) <= limit:
            return value
        message = _("{field} cut to {n} characters (it had {length})")
        self.cuts.append(message.format(field=target, n=limit, length=len(value)))
        return value[:limit].rstrip()

    def warnings(self) -> list[str]:
        found = list(self.cuts)
        if self.controls:
            message = _("control characters removed from {columns}")
            found.append(message.format(columns=", ".join(dict.fromkeys(self.controls))))
        return found

    def _dropped(self, value: str) -> str:
        return value.translate(_DIALER_DROPS) if self.dialer else value

    def _printable(self, column: str, text: str) -> str:
        if text.isprintable() or all(char == "\n" or char.isprintable() for char in text):
            return text
        self.controls.append(column)
        return "".join(char for char in text if char == "\n" or char.isprintable())
