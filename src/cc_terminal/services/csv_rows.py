"""Reading CSV files for the importers: every rejected row is reported with its line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cc_terminal.i18n import _
from cc_terminal.services.errors import ServiceError, ValidationFailed

T = TypeVar("T")
MAX_BYTES = 20 * 1024 * 1024


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
            _("{count} rows rejected, nothing imported:").format(count=len(rejected)) + "\n" + lines
        )


def read_rows(path: Path, required: set[str], unique: str = "") -> list[tuple[int, dict[str, str]]]:
    """The data rows with their line numbers; headers are matched without case or spaces.

    Commas or semicolons both work (spreadsheets in Czech locales save with semicolons).
    A quoted value keeps its line breaks; a row with more values than the header (an
    unquoted comma) or a value repeated in the ``unique`` column is rejected, as is a
    value over the field limit: each with its line, nothing imported."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValidationFailed({"file": _("The file is larger than 20 MB.")})
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValidationFailed(
            {"file": _("Cannot read {path}: {error}").format(path=path, error=error.strerror)}
        ) from error
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            {"file": _("{path} is not UTF-8 text.").format(path=path)}
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Lines are split by the CSV reader itself: a quoted line break stays in its value, and
    # U+2028 (which str.splitlines takes for a line end) is just a character.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower().replace(" ", "_") for name in next(reader, [])]
    except csv.Error as error:
        raise ValidationFailed(
            {"file": _("The header cannot be read: {e}").format(e=error)}
        ) from error
    missing = sorted(required - set(header))
    if missing:
        raise ValidationFailed(
            {"file": _("Missing columns: {names}.").format(names=", ".join(missing))}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    rejected: list[RejectedRow] = []
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rejected.append(RejectedRow(line, _("cannot be read: {e}").format(e=error)))
            break  # the reader cannot go on past a broken field
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            reason = _("{n} values for {m} columns (a comma inside a value needs quotes)")
            rejected.append(RejectedRow(line, reason.format(n=len(values), m=len(header))))
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
    if rejected:
        raise ImportRejected(rejected)
    if not rows:
        raise ValidationFailed({"file": _("The file has no data rows.")})
    return rows


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
