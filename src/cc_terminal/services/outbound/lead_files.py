"""Reading lead files as other systems write them (docs/domain/DIALER_FORMATS.md):
CSV or TSV with a header (columns guessed from their names, the guess overridable), the
VICIdial web "standard format" and command-line format (no header), and GOautodial's CSV
upload. The text is read by services.text_files (UTF-8, UTF-16 and UTF-32 by their BOM,
cp1250, ISO-8859-2 and cp1251 told apart by the letters they decode to); delimiters , ;
tab and | are detected; quoted fields may hold delimiters and line breaks; a row the file
damaged comes with its line and why."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cc_terminal.customer_fields import IMPORTED, IN_DIALER_FILES
from cc_terminal.folding import fold
from cc_terminal.i18n import N_, _
from cc_terminal.services.common.text_files import (
    Decoded,
    UnreadableFile,
    decode,
    read_bytes,
    records,
)

# Where a column's value goes. "name" is a whole name; first/last are joined; the customer's
# declared fields that a lead file may carry come between (customer_fields.py).
TARGETS = (
    "phone",
    "name",
    "first_name",
    "last_name",
    *(field.name for field in IMPORTED),
    "consent",
)
HEADER_WORDS = {
    "phone": {"phone", "telefon", "tel", "mobil", "mobile", "cislo", "phone number", "msisdn"},
    "name": {"name", "jmeno a prijmeni", "full name", "cele jmeno", "zakaznik", "customer"},
    "first_name": {"first name", "firstname", "jmeno", "krestni jmeno"},
    "last_name": {"last name", "lastname", "surname", "prijmeni"},
    **{field.name: set(field.import_headers) for field in IMPORTED},
    "consent": {"consent", "souhlas", "opt in", "optin", "marketing consent"},
}
VICIDIAL_WEB = [
    "vendor_lead_code",
    "source_id",
    "list_id",
    "phone_code",
    "phone_number",
    "title",
    "first_name",
    "middle_initial",
    "last_name",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "province",
    "postal_code",
    "country_code",
    "gender",
    "date_of_birth",
    "alt_phone",
    "email",
    "security_phrase",
    "comments",
    "rank",
    "owner",
]
VICIDIAL_CLI = [*VICIDIAL_WEB[:23], "called_count", "status", "entry_date", "multi_alt_entries"]
GOAUTODIAL = [
    "Phone",
    "VendorLeadCode",
    "PhoneCode",
    "Title",
    "FirstName",
    "MiddleInitial",
    "LastName",
    "Address1",
    "Address2",
    "Address3",
    "City",
    "State",
    "Province",
    "PostalCode",
    "CountryCode",
    "Gender",
    "DateOfBirth",
    "AltPhone",
    "Email",
    "SecurityPhrase",
    "Comments",
]
DIALER_TARGETS = {
    "phone_number": "phone",
    "Phone": "phone",
    "first_name": "first_name",
    "FirstName": "first_name",
    "last_name": "last_name",
    "LastName": "last_name",
    "address1": "street",  # the whole first address line: VICIdial has no house number
    "Address1": "street",
    **{column: field.name for field in IN_DIALER_FILES for column in field.dialer_columns},
}
MAX_FILE_BYTES = 200 * 1024 * 1024
HEAD_CHARACTERS = 64 * 1024  # enough of the file to tell its format and delimiter


class FileFormat(StrEnum):
    CSV = "csv"
    VICIDIAL_WEB = "vicidial_web"
    VICIDIAL_CLI = "vicidial_cli"
    GOAUTODIAL = "goautodial"


FORMAT_LABELS = {
    FileFormat.CSV: N_("CSV/TSV with a header"),
    FileFormat.VICIDIAL_WEB: N_("VICIdial web list loader, standard format"),
    FileFormat.VICIDIAL_CLI: N_("VICIdial command-line loader, standard format"),
    FileFormat.GOAUTODIAL: N_("GOautodial CSV upload"),
}


class LeadFileError(UnreadableFile):
    """The file cannot be read as leads at all; the message says why."""


@dataclass(frozen=True)
class SourceRow:
    """One record of the file with its first line number, by column name; ``problem`` says
    why it cannot be used when the file damaged it."""

    line: int
    values: dict[str, str]
    problem: str = ""


@dataclass
class LeadFile:
    """A decoded, split lead file: its format and how it was read, its columns, and where
    each column goes (``mapping``: column -> target; columns mapped nowhere are kept as
    extra data on the lead)."""

    path: Path
    format: FileFormat
    decoded: Decoded = field(repr=False)
    delimiter: str
    columns: list[str]
    mapping: dict[str, str]
    has_header: bool = True

    @property
    def encoding(self) -> str:
        return self.decoded.encoding

    def rows(self) -> Iterator[SourceRow]:
        found = records(self.decoded, self.delimiter)
        if self.has_header:
            next(found, None)
        for record in found:
            cells = record.values
            values = {
                name: (cells[i] if i < len(cells) else "") for i, name in enumerate(self.columns)
            }
            for extra, cell in enumerate(cells[len(self.columns) :], start=1):
                values[f"column_{len(self.columns) + extra}"] = cell
            yield SourceRow(record.line, values, record.problem)

    def remap(self, mapping: dict[str, str]) -> None:
        """Override the guess: ``mapping`` is column -> target (or "" to keep it as extra)."""
        unknown = [column for column in mapping if column not in self.columns]
        if unknown:
            raise LeadFileError(_("No column {name} in the file.").format(name=unknown[0]))
        wrong = [target for target in mapping.values() if target and target not in TARGETS]
        if wrong:
            raise LeadFileError(_("Nowhere to put {target}.").format(target=wrong[0]))
        self.mapping = {column: target for column, target in mapping.items() if target}
        self.check_mapping()

    def check_mapping(self) -> None:
        if "phone" not in self.mapping.values():
            raise LeadFileError(
                _("No column holds the phone number: map one (columns: {columns}).").format(
                    columns=", ".join(self.columns[:12])
                )
            )


def read_lead_file(path: Path) -> LeadFile:
    """The file decoded and split, its columns mapped by a guess (``remap`` corrects it;
    ``check_mapping`` says when no column holds the phone)."""
    try:
        decoded = decode(read_bytes(path, MAX_FILE_BYTES))
    except UnreadableFile as error:
        raise LeadFileError(str(error)) from error
    return _shape(path, decoded)


def _shape(path: Path, decoded: Decoded) -> LeadFile:
    head = decoded.text[:HEAD_CHARACTERS]
    first = next((line for line in head.splitlines() if line.strip()), "")
    if not first:
        raise LeadFileError(_("The file is empty."))
    cells = [cell.strip().strip('"') for cell in first.split(",")]
    if cells[:2] == GOAUTODIAL[:2]:
        return _dialer(path, decoded, FileFormat.GOAUTODIAL, ",", [*cells], header=True)
    pipes, tabs = first.count("|"), first.count("\t")
    if pipes >= 26 and pipes >= tabs:
        return _dialer(path, decoded, FileFormat.VICIDIAL_CLI, "|", VICIDIAL_CLI)
    if max(pipes, tabs) >= 10 and not _looks_like_header(first):
        delimiter = "\t" if tabs > pipes else "|"
        return _dialer(path, decoded, FileFormat.VICIDIAL_WEB, delimiter, VICIDIAL_WEB)
    delimiter = _delimiter(head)
    header = next(records(decoded, delimiter), None)
    if header is None:
        raise LeadFileError(_("The file is empty."))
    if header.problem:
        raise LeadFileError(
            _("The header on line {line} cannot be read: {reason}.").format(
                line=header.line, reason=header.problem
            )
        )
    columns = _unique([cell.strip() for cell in header.values])
    mapping = guess_mapping(columns)
    return LeadFile(path, FileFormat.CSV, decoded, delimiter, columns, mapping)


def _dialer(
    path: Path,
    decoded: Decoded,
    kind: FileFormat,
    delimiter: str,
    columns: list[str],
    *,
    header: bool = False,
) -> LeadFile:
    mapping = {column: DIALER_TARGETS[column] for column in columns if column in DIALER_TARGETS}
    return LeadFile(path, kind, decoded, delimiter, list(columns), mapping, header)


def _looks_like_header(line: str) -> bool:
    words = {fold(cell) for cell in re.split(r"[|\t]", line)}
    return bool(words & {word for names in HEADER_WORDS.values() for word in names})


def _delimiter(head: str) -> str:
    sample = "\n".join(head.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.splitlines()[0].count(d) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d])


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Column -> target by the column's name; each target once, the first column wins."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        words = fold(column)
        for target, names in HEADER_WORDS.items():
            if target not in taken and words in names:
                mapping[column] = target
                taken.add(target)
                break
    return mapping


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for index, column in enumerate(columns):
        name = column or f"column_{index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        result.append(name)
    return result
