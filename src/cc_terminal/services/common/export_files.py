"""Every export's CSV and XLSX is written here, so the same rules hold in all of them.

Control characters (ESC, BEL, C1, bidi overrides) are written as their pictures in both:
``cat`` of a CSV must not drive the terminal, nor an override reverse a cell.

CSV is for machines: each value as stored (a phone stays ``+420601123456``); only text a
spreadsheet would execute (``=`` or ``@``, a tab or CR first, or ``+``/``-`` followed by
something other than a number) gets a leading apostrophe. Days and times are ISO 8601, a
time with its offset.

XLSX is for people: typed cells. Text is a string cell, never a formula and never given an
apostrophe (formula-like text also carries the quote-prefix style, so editing it keeps it
text); amounts are numbers in their currency's number format; days and times are dates
with a date format, durations as hours and minutes. Sheet titles are made valid (none
of ``\\ * ? : / [ ]``, 31 characters, unique).

Files are private to the user (0600); the proposed export folder is made 0700 on first use.
Times are given here already in the floor's zone (aware): XLSX has no offsets, so its cells
show that local time."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from cc_terminal.control_pictures import shown
from cc_terminal.formats import duration
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CENT = Decimal("0.01")
EXPORT_FOLDER = "exports"
DAY_FORMAT = "d.m.yyyy"
TIME_FORMAT = "d.m.yyyy h:mm"
DURATION_FORMAT = "[h]:mm"
SHEET_TITLE_MAX = 31
_EXECUTED_FIRST = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(?:[ .,][0-9]+)*")
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")
_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")


@dataclass(frozen=True)
class Number:
    """A number with how XLSX shows it (CSV writes the plain number)."""

    value: Decimal | int
    format: str = "General"


Cell = str | int | float | Decimal | Number | date | datetime | timedelta | None
Row = Sequence[Cell]


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Iterable[Row]  # the first row is the header, when there is one


def amount(value: Decimal | int | None, currency: str = "", *, minor: bool = False) -> Cell:
    """Money as a number in the currency's format (``#,##0.00 "Kč"``); ``minor`` for cents."""
    if value is None:
        return None
    major = Decimal(value) / 100 if minor else Decimal(value)
    return Number(major.quantize(CENT), money_format(currency))


def money_format(currency: str) -> str:
    from cc_terminal.formats import currency_symbol

    return f'#,##0.00 "{currency_symbol(currency)}"' if currency else "#,##0.00"


def executable(text: str) -> bool:
    """Would a spreadsheet run this as a formula? ``+420601123456`` and ``-5`` it would not."""
    if text.startswith(_EXECUTED_FIRST):
        return True
    if text[:1] in ("+", "-") and len(text) > 1:
        return _SIGNED_NUMBER.fullmatch(text) is None
    return False


def neutralise(text: str) -> str:
    """The text a spreadsheet opening the CSV shows as text: an apostrophe before it."""
    return "'" + text if executable(text) else text


# -- files and folders ---------------------------------------------------------------


def private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def export_folder(data_dir: Path) -> Path:
    """The folder exports are proposed in, made private (0700) when it is missing."""
    folder = data_dir / EXPORT_FOLDER
    private_folder(folder)
    return folder


def private_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)


def titled(header: Sequence[str], titles: Mapping[str, str]) -> list[str]:
    """The header in the current language: the workstation's own columns by their titles,
    the others (a file's own columns, a question's code) as they are."""
    return [titles.get(name, name) for name in header]


def write_table(
    path: Path, kind: str, header: Sequence[str], rows: Iterable[Row], title: str, sep: str = ";"
) -> None:
    """One table as CSV (``kind`` "csv") or as the one sheet of an XLSX."""
    if kind == "xlsx":
        write_xlsx(path, [Sheet(title, [header, *rows])])
    else:
        write_csv(path, header, rows, sep)


# -- CSV -----------------------------------------------------------------------------


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Row], sep: str) -> None:
    private_file(path)
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file, delimiter=sep)
        writer.writerow([neutralise(name) for name in header])
        writer.writerows([csv_text(value) for value in row] for row in rows)


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(shown(value, multi_line=True))
    if isinstance(value, Number):
        value = value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _aware(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration(value)
    return str(value)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("an exported time needs its zone")
    return moment


# -- XLSX ----------------------------------------------------------------------------


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet, title in zip(sheets, sheet_titles([sheet.title for sheet in sheets]), strict=True):
        out = book.create_sheet(title)
        for row in sheet.rows:
            out.append([xlsx_cell(out, value) for value in row])
    private_file(path)
    book.save(path)


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, shown(value, multi_line=True))
        cell.data_type = "s"  # openpyxl makes any text starting with = a formula
        if executable(value):
            cell.quotePrefix = True
        return cell
    if isinstance(value, Number):
        cell = WriteOnlyCell(sheet, value.value)
        cell.number_format = value.format
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, _aware(value).replace(tzinfo=None))
        cell.number_format = TIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DAY_FORMAT
        return cell
    if isinstance(value, timedelta):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DURATION_FORMAT
        return cell
    return value


def sheet_titles(wanted: Sequence[str]) -> list[str]:
    """Valid, unique sheet titles: no ``\\ * ? : / [ ]`` (a slash becomes a dash), not
    starting or ending with an apostrophe, at most 31 characters, numbered when taken."""
    titles: list[str] = []
    taken: set[str] = set()
    for title in wanted:
        clean = _BAD_TITLE.sub("-", _ILLEGAL_XML.sub("", title))[:SHEET_TITLE_MAX]
        clean = clean.strip().strip("'").strip() or _("Sheet")
        unique, number = clean, 1
        while unique.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            unique = clean[: SHEET_TITLE_MAX - len(suffix)] + suffix
        taken.add(unique.casefold())
        titles.append(unique)
    return titles
