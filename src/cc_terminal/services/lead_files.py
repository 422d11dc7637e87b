"""Reading lead files as other systems write them (../shared/domain/DIALER_FORMATS.md):
CSV or TSV with a header (columns guessed from their names, the guess overridable), the
VICIdial web "standard format" and command-line format (no header), and GOautodial's CSV
upload. Encodings UTF-8 (with or without BOM), cp1250, ISO-8859-2 and cp1251 are told
apart by the letters they decode to; delimiters , ; tab and | are detected; quoted fields
may hold delimiters and line breaks."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path

from cc_terminal.folding import fold
from cc_terminal.i18n import _

# Where a column's value goes. "name" is a whole name; first/last are joined.
TARGETS = (
    "phone",
    "name",
    "first_name",
    "last_name",
    "street",
    "house_number",
    "city",
    "postal_code",
    "email",
    "consent",
)
HEADER_WORDS = {
    "phone": {"phone", "telefon", "tel", "mobil", "mobile", "cislo", "phone number", "msisdn"},
    "name": {"name", "jmeno a prijmeni", "full name", "cele jmeno", "zakaznik", "customer"},
    "first_name": {"first name", "firstname", "jmeno", "krestni jmeno"},
    "last_name": {"last name", "lastname", "surname", "prijmeni"},
    "street": {"street", "ulice", "address", "address1", "adresa"},
    "house_number": {"house number", "cislo popisne", "cp", "number"},
    "city": {"city", "town", "mesto", "obec"},
    "postal_code": {"postal code", "postcode", "zip", "psc"},
    "email": {"email", "e mail", "mail"},
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
    "address1": "street",
    "Address1": "street",
    "city": "city",
    "City": "city",
    "postal_code": "postal_code",
    "PostalCode": "postal_code",
    "email": "email",
    "Email": "email",
}
CZECH_SLOVAK = set("áčďéěíňóřšťúůýžäĺľôŕÁČĎÉĚÍŇÓŘŠŤÚŮÝŽÄĹĽÔŔ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
WORD = re.compile(r"[^\W\d_]+")
MAX_FILE_BYTES = 200 * 1024 * 1024


class FileFormat(StrEnum):
    CSV = "csv"
    VICIDIAL_WEB = "vicidial_web"
    VICIDIAL_CLI = "vicidial_cli"
    GOAUTODIAL = "goautodial"


FORMAT_LABELS = {
    FileFormat.CSV: _("CSV/TSV with a header"),
    FileFormat.VICIDIAL_WEB: _("VICIdial web list loader, standard format"),
    FileFormat.VICIDIAL_CLI: _("VICIdial command-line loader, standard format"),
    FileFormat.GOAUTODIAL: _("GOautodial CSV upload"),
}


class LeadFileError(ValueError):
    """The file cannot be read as leads at all; the message says why."""


@dataclass(frozen=True)
class SourceRow:
    """One record of the file with its first line number, by column name."""

    line: int
    values: dict[str, str]


@dataclass
class LeadFile:
    """A decoded, split lead file: its format and how it was read, its columns, and where
    each column goes (``mapping``: column -> target; columns mapped nowhere are kept as
    extra data on the lead)."""

    path: Path
    format: FileFormat
    encoding: str
    delimiter: str
    columns: list[str]
    mapping: dict[str, str]
    text: str = field(repr=False)
    has_header: bool = True

    def rows(self) -> Iterator[SourceRow]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        next_line = 1
        for index, record in enumerate(reader):
            line, next_line = next_line, reader.line_num + 1
            if index == 0 and self.has_header:
                continue
            if not any(cell.strip() for cell in record):
                continue
            values = {
                name: (record[i] if i < len(record) else "") for i, name in enumerate(self.columns)
            }
            for extra, cell in enumerate(record[len(self.columns) :], start=1):
                values[f"column_{len(self.columns) + extra}"] = cell
            yield SourceRow(line, values)

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
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LeadFileError(_("The file is larger than 200 MB."))
        data = path.read_bytes()
    except OSError as error:
        raise LeadFileError(
            _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    text, encoding = decode(data)
    return _shape(path, text, encoding)


NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in."""
    if b"\x00" in data[:4096]:
        raise LeadFileError(_("This is not a text file (it holds NUL bytes)."))
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # charset-normalizer reads ISO-8859-2 Slovak (Ť, Ľ, Ž at 0xAB, 0xA5, 0xAE) as cp1250
    # symbols; with four candidates, counting the letters each decodes to is surer.
    # The lines with non-ASCII bytes decide (the first few thousand are plenty).
    sample = b"\n".join(match.group() for match in islice(NON_ASCII_LINE.finditer(data), 4000))
    scored = []
    for encoding in ("cp1250", "iso8859_2", "cp1251"):
        scored.append((_score(sample.decode(encoding, errors="replace")), encoding))
    score, encoding = max(scored, key=lambda item: item[0])
    if score < 0:
        raise LeadFileError(_("Unknown encoding: not UTF-8, cp1250, ISO-8859-2 or cp1251."))
    return data.decode(encoding, errors="replace"), encoding


def _score(text: str) -> int:
    """How much a decoding looks like Czech, Slovak or Russian words: a word of Cyrillic
    letters, or of Latin letters with Czech or Slovak accents among plain ones, counts for
    it; Cyrillic inside a Latin word, a word of accented letters only, control characters
    and stray symbols count against it (what the wrong code page makes of the right one)."""
    good = bad = 0
    for word in WORD.findall(text):
        plain = sum(char.isascii() for char in word)
        if plain == len(word):
            continue
        cyrillic = len(CYRILLIC.findall(word))
        if cyrillic == len(word):
            good += 1
        elif cyrillic or (plain == 0 and len(word) >= 3):
            bad += 1
        elif all(char.isascii() or char in CZECH_SLOVAK for char in word):
            good += 1
        else:
            bad += 1
    noise = sum(1 for char in text if "\x80" <= char <= "\x9f" or char in "\ufffd©®«»¤¦§¨")
    return good - 2 * bad - 3 * noise


def _shape(path: Path, text: str, encoding: str) -> LeadFile:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise LeadFileError(_("The file is empty."))
    cells = [cell.strip().strip('"') for cell in first.split(",")]
    if cells[:2] == GOAUTODIAL[:2]:
        return _dialer(path, text, encoding, FileFormat.GOAUTODIAL, ",", [*cells], header=True)
    pipes, tabs = first.count("|"), first.count("\t")
    if pipes >= 26 and pipes >= tabs:
        return _dialer(path, text, encoding, FileFormat.VICIDIAL_CLI, "|", VICIDIAL_CLI)
    if max(pipes, tabs) >= 10 and not _looks_like_header(first):
        delimiter = "\t" if tabs > pipes else "|"
        return _dialer(path, text, encoding, FileFormat.VICIDIAL_WEB, delimiter, VICIDIAL_WEB)
    delimiter = _delimiter(text)
    header = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    columns = _unique([cell.strip() for cell in header])
    mapping = guess_mapping(columns)
    return LeadFile(path, FileFormat.CSV, encoding, delimiter, columns, mapping, text)


def _dialer(
    path: Path,
    text: str,
    encoding: str,
    kind: FileFormat,
    delimiter: str,
    columns: list[str],
    *,
    header: bool = False,
) -> LeadFile:
    mapping = {column: DIALER_TARGETS[column] for column in columns if column in DIALER_TARGETS}
    return LeadFile(path, kind, encoding, delimiter, list(columns), mapping, text, header)


def _looks_like_header(line: str) -> bool:
    words = {fold(cell) for cell in re.split(r"[|\t]", line)}
    return bool(words & {word for names in HEADER_WORDS.values() for word in names})


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
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
