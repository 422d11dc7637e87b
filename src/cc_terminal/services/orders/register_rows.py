"""The address register's rows read column by column (issue 29): a municipality file
whose every row is plainly valid is checked and converted a column at a time, each check
and conversion done once per column (or once per distinct name), never once per row in
Python. The result is exactly what the per-row reading (address_register.read_points)
gives for such a file; any file it cannot vouch for (a row to reject, a quote, a
damaged byte, a ragged row, a repeated code) returns None and is read row by row, so
every rejected row is still reported as before. tests/orders/test_register_rows.py
compares both on generated files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cc_terminal.folding import fold
from cc_terminal.services.common.text_files import FIELD_LIMIT, MAX_VALUES, Decoded
from cc_terminal.services.common.validation import control_character

POINT_COLUMNS = (
    "code",
    "municipality_code",
    "municipality",
    "town_key",
    "district",
    "part",
    "street",
    "street_key",
    "registry_kind",
    "house_number",
    "orientation_number",
    "orientation_letter",
    "postal_code",
    "y",
    "x",
)
Point = tuple[Any, ...]  # in POINT_COLUMNS' order
Column = Sequence[str]
_NAMES = ("municipality", "street", "part", "momc", "prague_district")
LARGEST = 2**31 - 1  # the columns' integers (PostgreSQL's integer)
_LARGEST_DIGITS = len(str(LARGEST))
REGISTRY_KINDS = ("č.p.", "č.ev.")
_FAR = 10_000_000  # metres: what is farther (also NaN and infinity) is no coordinate


class NotPlain(Exception):
    """The file needs the per-row reading."""


def plain_points(
    decoded: Decoded, where_of: Callable[[list[str]], dict[str, int] | None]
) -> list[Point] | None:
    """The file's points when every row is plainly valid, else None. ``where_of`` maps
    the header's values to each known column's place (None: not the register's header)."""
    try:
        header, body = _header_and_body(decoded)
        where = where_of(header)
        if where is None:
            return None
        columns = _columns(body, len(header))
        return _points({key: columns[index] for key, index in where.items()})
    except NotPlain:
        return None


def _header_and_body(decoded: Decoded) -> tuple[list[str], str]:
    """The header's values and the rows after it, each line ended by \\n, when the csv
    reader would split the file as plain text does: no quote, no NUL, no damaged byte,
    no blank line, no value or line near the reader's limits."""
    text = decoded.text
    if decoded.damaged or '"' in text or "\x00" in text:
        raise NotPlain
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            raise NotPlain  # a line ended by \\r alone
    first, _newline, body = text.partition("\n")
    header = first.split(";")
    if not "".join(header).strip() or len(header) > MAX_VALUES or len(first) >= FIELD_LIMIT:
        raise NotPlain
    body = body.removesuffix("\n")
    if not body or body.startswith("\n") or "\n\n" in body:
        raise NotPlain
    return header, body


def _columns(body: str, width: int) -> list[Column]:
    """The body's values column by column, when every line has ``width`` values. Each
    line's end becomes a value of its own ("\\n", which no value holds): the lines are
    all that wide exactly when those values fall every ``width + 1`` values."""
    lines = body.split("\n")
    if max(map(len, lines)) >= FIELD_LIMIT:
        raise NotPlain
    values = ";\n;".join(lines).split(";")
    if len(values) != len(lines) * (width + 1) - 1:
        raise NotPlain
    if len(lines) > 1 and set(values[width :: width + 1]) != {"\n"}:
        raise NotPlain
    return [values[i :: width + 1] for i in range(width)]


def _points(columns: dict[str, Column]) -> list[Point]:
    count = len(columns["code"])
    empty = [""] * count
    codes = _numbers(columns["code"])
    if len(set(codes)) != count:
        raise NotPlain  # a code again: the per-row reading reports the row
    municipality, street, part, momc, prague = (_names(columns.get(key, empty)) for key in _NAMES)
    if "" in set(municipality):
        raise NotPlain  # no municipality name
    street_or_part = [s or p for s, p in zip(street, part, strict=True)]
    if "" in street_or_part:
        raise NotPlain  # neither a street nor a part
    district = [m or p for m, p in zip(momc, prague, strict=True)]
    return list(
        zip(
            codes,
            _numbers(columns["municipality_code"]),
            _cut(municipality, 60),
            _folded(municipality, 60),
            _cut(district, 60),
            _cut(part, 60),
            _cut(street, 80),
            _folded(street_or_part, 80),
            _registry_kinds(columns["registry_kind"]),
            _numbers(columns["house_number"]),
            _orientation_numbers(columns.get("orientation_number", empty)),
            _letters(columns.get("orientation_letter", empty)),
            _postal_codes(columns["postal_code"]),
            _coordinates(columns.get("y", empty)),
            _coordinates(columns.get("x", empty)),
            strict=True,
        )
    )


def _names(column: Column) -> Column:
    """A column of names stripped of the white space around them (each distinct name
    once), when none holds a control character. The other columns need no stripping:
    white space fails their checks (the row is then read alone) or, in a coordinate,
    ``float`` ignores it as the per-row reading does."""
    stripped = {name: name.strip() for name in set(column)}
    if any(control_character(name, lines=False) for name in stripped.values()):
        raise NotPlain
    if all(name == bare for name, bare in stripped.items()):
        return column
    return list(map(stripped.__getitem__, column))


def _numbers(column: Column) -> list[int]:
    """Whole numbers of ASCII digits, above 0 and at most the columns' largest."""
    joined = "".join(column)
    if not (joined.isascii() and joined.isdigit()) or min(map(len, column)) == 0:
        raise NotPlain
    if max(map(len, column)) > _LARGEST_DIGITS:
        raise NotPlain  # leading zeros, or too large: said row by row
    numbers = list(map(int, column))
    if min(numbers) <= 0 or max(numbers) > LARGEST:
        raise NotPlain
    return numbers


def _orientation_numbers(column: Column) -> list[int | None]:
    given = [value for value in column if value]
    if not given:
        return [None] * len(column)
    numbers = iter(_numbers(given))
    return [next(numbers) if value else None for value in column]


def _registry_kinds(column: Column) -> Column:
    if not set(column) <= set(REGISTRY_KINDS):
        raise NotPlain
    return column


def _postal_codes(column: Column) -> Column:
    if " " in "".join(column):
        column = [value.replace(" ", "") for value in column]
    joined = "".join(column)
    if set(map(len, column)) != {5} or not (joined.isascii() and joined.isdigit()):
        raise NotPlain
    return column


def _letters(column: Column) -> Column:
    lower = {letter: letter.strip().lower() for letter in set(column)}
    if any(len(letter.strip()) > 1 for letter in lower):
        raise NotPlain
    return list(map(lower.__getitem__, column))


def _coordinates(column: Column) -> list[float | None]:
    """As the per-row ``_coordinate``: metres made positive, None for an empty value; a
    column with a comma, a value that is no number or one too far is read value by value."""
    try:
        values = [abs(float(value)) if value else None for value in column]
    except ValueError:
        return [coordinate(value) for value in column]
    if all(value is None or value < _FAR for value in values):
        return values
    return [coordinate(value) for value in column]


def coordinate(text: str) -> float | None:
    """Metres, as positive as the files give them; what is no such number is left out."""
    if not text:
        return None
    try:
        value = abs(float(text.replace(",", ".")))
    except ValueError:
        return None
    return value if value < _FAR else None


def _cut(column: Column, limit: int) -> Column:
    if max(map(len, column), default=0) <= limit:
        return column
    return [value[:limit] for value in column]


def _folded(column: Column, limit: int) -> list[str]:
    """Each value folded (once per distinct value) and cut to ``limit``."""
    once = {value: fold(value)[:limit] for value in set(column)}
    return list(map(once.__getitem__, column))
