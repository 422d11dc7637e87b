"""Reading CSV files for the importers: every rejected row is reported with its line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cc_terminal.i18n import _, ngettext
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.text_files import (
    Record,
    UnreadableFile,
    decode,
    read_bytes,
    records,
)

T = TypeVar("T")
MAX_BYTES = 20 * 1024 * 1024
DELIMITERS = ",;\t"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


class ImportRejected(ServiceError):
    """At least one row was bad; nothing of the file was stored."""

    def __init__(self, rejected: list[RejectedRow]) -> None:
        self.rejected = tuple(rejected)
        lines = "\n".join(
            _("line {line}: {reason}").format(line=r.line, reason=r.reason) for r in rejected
        )
        super().__init__(
            ngettext(
                "{count} row rejected, nothing imported:",
                "{count} rows rejected, nothing imported:",
                len(rejected),
            ).format(count=len(rejected))
            + "\n"
            + lines
        )


def read_rows(path: Path, required: set[str], unique: str = "") -> list[tuple[int, dict[str, str]]]:
    """The data rows with their line numbers; headers are matched without case or spaces.

    The text is read by services.text_files (UTF-8, UTF-16 and UTF-32 by their BOM, Excel's
    8-bit code pages); commas, semicolons (spreadsheets in Czech locales) or tabs (Excel's
    "Unicode text") all work. A quoted value keeps its line breaks. A row the file damaged
    (a NUL byte, a value over the field limit), a row with more values than the header (an
    unquoted comma) or a value repeated in the ``unique`` column is rejected: each with its
    line, nothing imported."""
    try:
        decoded = decode(read_bytes(path, MAX_BYTES))
    except UnreadableFile as error:
        raise ValidationFailed({"file": str(error)}) from error
    found = records(decoded, _delimiter(decoded.text))
    header = _header(next(found, None), required)
    rows, rejected = _rows(found, header, unique)
    if rejected:
        raise ImportRejected(rejected)
    if not rows:
        raise ValidationFailed({"file": _("The file has no data rows.")})
    return rows


def _rows(
    found: Iterable[Record], header: list[str], unique: str
) -> tuple[list[tuple[int, dict[str, str]]], list[RejectedRow]]:
    """Each record as a row by the header's names with its line, or why it is rejected."""
    rows: list[tuple[int, dict[str, str]]] = []
    rejected: list[RejectedRow] = []
    seen: dict[str, int] = {}
    for record in found:
        line, values = record.line, record.values
        damage = _damage(record, header)
        if damage:
            rejected.append(RejectedRow(line, damage))
            continue
        padded = values + [""] * (len(header) - len(values))
        row = {name: value.strip() for name, value in zip(header, padded, strict=False)}
        key = row.get(unique, "") if unique else ""
        if key and key in seen:
            reason = _("{column} {value} is already on line {first}")
            rejected.append(
                RejectedRow(line, reason.format(column=unique, value=key, first=seen[key]))
            )
            continue
        seen[key] = line
        rows.append((line, row))
    return rows, rejected


def _damage(record: Record, header: list[str]) -> str:
    """Why the record cannot be a row: the file damaged it, or it has too many values."""
    if record.problem:
        return record.problem
    if len(record.values) > len(header):
        columns = len(header)
        reason = ngettext(
            "{n} values for {m} column (a comma inside a value needs quotes)",
            "{n} values for {m} columns (a comma inside a value needs quotes)",
            columns,
        )
        return reason.format(n=len(record.values), m=columns)
    return ""


def _delimiter(text: str) -> str:
    first_line = text[: text.find("\n")] if "\n" in text else text
    return max(DELIMITERS, key=first_line.count)  # a comma when there is none


def _header(record: Record | None, required: set[str]) -> list[str]:
    if record is not None and record.problem:
        raise ValidationFailed(
            {"file": _("The header cannot be read: {e}").format(e=record.problem)}
        )
    header = [name.strip().lower().replace(" ", "_") for name in record.values] if record else []
    missing = sorted(required - set(header))
    if missing:
        raise ValidationFailed(
            {"file": _("Missing columns: {names}.").format(names=", ".join(missing))}
        )
    return header


def parse_all(
    rows: list[tuple[int, dict[str, str]]], parse: Callable[[dict[str, str]], T]
) -> list[T]:
    """Parse every row; if any is bad, raise with all the bad ones (nothing is half-read)."""
    parsed, rejected = [], []
    for line, row in rows:
        try:
            parsed.append(parse(row))
        except ValidationFailed as failed:
            rejected.append(RejectedRow(line, "; ".join(failed.errors.values())))
    if rejected:
        raise ImportRejected(rejected)
    return parsed
