"""The RÚIAN register's files read (docs/domain/ADDRESSES.md): one municipality's CSV,
many, or the zip of all of them, planned within ``CAPS`` before anything is stored. Files
are cp1250 with ';' and a header whose names are the contract (columns are found by name);
they are read by services.text_files, the importers' one reader (a UTF BOM is honoured).
Every broken row is reported with its file, line and reason. Nothing here touches the
database: register_apart.py runs this module in a process of its own for a large import."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.text_files import (
    Record,
    UnreadableFile,
    decode,
    echoed,
    read_bytes,
    records,
)
from cc_terminal.services.common.validation import control_character
from cc_terminal.services.common.zip_members import (
    DAMAGE,
    MB,
    Caps,
    checked_members,
    is_zip,
    member_bytes,
)
from cc_terminal.services.orders.register_rows import (
    LARGEST,
    POINT_COLUMNS,
    REGISTRY_KINDS,
    Point,
    coordinate,
    plain_points,
)

ENCODING = "cp1250"
# The country is about 6,300 files of 3 million points (some 500 MB); Prague, the largest,
# about 20 MB. A file that unpacks to more, or grows more than 100 times, is not the register.
CAPS = Caps(member=64 * MB, total=1024 * MB, ratio=100)
REQUIRED = {
    "Kód ADM": "code",
    "Kód obce": "municipality_code",
    "Název obce": "municipality",
    "Název části obce": "part",
    "Název ulice": "street",
    "Typ SO": "registry_kind",
    "Číslo domovní": "house_number",
    "PSČ": "postal_code",
}
OPTIONAL = {
    "Název MOMC": "momc",
    "Název obvodu Prahy": "prague_district",
    "Číslo orientační": "orientation_number",
    "Znak čísla orientačního": "orientation_letter",
    "Souřadnice Y": "y",
    "Souřadnice X": "x",
}

Plan = list[tuple[Path, list[zipfile.ZipInfo] | None]]  # each file, with its CSV members
FileRead = tuple[str, list[Point], list[str]]  # a file's name, valid points, rejected lines


def read_files(plan: Plan) -> Iterator[FileRead]:
    """Each planned file read in order: a file that cannot be read is one rejected line."""
    for name, data, problem in _files(plan):
        if problem:
            yield name, [], [problem]
        else:
            yield name, *read_points(name, data)


def unpacked(plan: Plan) -> int:
    """The bytes of the files planned, unpacked."""
    return sum(
        sum(info.file_size for info in members) if members is not None else path.stat().st_size
        for path, members in plan
    )


def planned(paths: Sequence[Path]) -> Plan:
    """Each file with its CSV members when it is a zip, once every size is within
    ``CAPS``: a file too large, a zip bomb or an unreadable zip refuses the whole import
    before anything is stored."""
    plan: Plan = []
    total = 0
    for path in paths:
        try:
            members = checked_members(path, (".csv",), CAPS) if is_zip(path) else None
            size = sum(m.file_size for m in members) if members is not None else _size(path)
        except UnreadableFile as error:
            raise ValidationFailed({"file": str(error)}) from error
        total += size
        plan.append((path, members))
    if total > CAPS.total:
        message = _("The files unpack to {size} MB, more than {limit} MB in one import.")
        raise ValidationFailed({"file": message.format(size=total // MB, limit=CAPS.total // MB)})
    return plan


def _size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as error:
        message = _("Cannot read {path}: {reason}")
        raise UnreadableFile(message.format(path=path, reason=error.strerror or error)) from error
    if size > CAPS.member:
        message = _("{file} is larger than {limit} MB.")
        raise UnreadableFile(message.format(file=path.name, limit=CAPS.member // MB))
    return size


def _files(plan: Plan) -> Iterator[tuple[str, bytes, str]]:
    """Each municipality file's name and bytes, or the one line saying why it cannot be
    read (a member damaged in its zip, a file that changed since it was checked)."""
    for path, members in plan:
        try:
            if members is None:
                yield path.name, read_bytes(path, CAPS.member), ""
                continue
            with zipfile.ZipFile(path) as archive:
                for info in members:
                    try:
                        yield info.filename, member_bytes(archive, info, CAPS), ""
                    except UnreadableFile as error:
                        yield info.filename, b"", str(error)
        except UnreadableFile as error:
            yield path.name, b"", _("{file}: {reason}").format(file=path.name, reason=error)
        except DAMAGE as error:
            yield (
                path.name,
                b"",
                _("{file}: not a readable zip ({reason}).").format(file=path.name, reason=error),
            )


def read_points(name: str, data: bytes) -> tuple[list[Point], list[str]]:
    """The valid points of one file (in ``POINT_COLUMNS``' order) and a line for each
    rejected row: column by column when every row is plainly valid, else row by row."""
    try:
        decoded = decode(data, (ENCODING,))
    except UnreadableFile as error:
        return [], [_("{file}: {reason}").format(file=name, reason=error)]
    plain = plain_points(decoded, _known_columns)
    if plain is not None:
        return plain, []
    found = records(decoded, ";")
    where, missing = _column_places(next(found, None))
    if missing:
        return [], [
            _("{file}: not an address-point file, missing {columns}").format(
                file=name, columns=", ".join(missing)
            )
        ]
    return _valid_points(name, found, where)


def _known_columns(header: list[str]) -> dict[str, int] | None:
    where, missing = _column_places(Record(1, header))
    return None if missing else where


def _column_places(first: Record | None) -> tuple[dict[str, int], list[str]]:
    """Where each known column is in the header (by key), and the required ones missing."""
    header = [column.strip() for column in first.values] if first else []
    missing = [column for column in REQUIRED if column not in header]
    where = {
        key: header.index(column)
        for column, key in {**REQUIRED, **OPTIONAL}.items()
        if column in header
    }
    return where, missing


def _valid_points(
    name: str, found: Iterator[Record], where: dict[str, int]
) -> tuple[list[Point], list[str]]:
    """The points of the rows after the header, each code once, and a line for each row
    rejected."""
    points, rejected, seen = [], [], set()
    for record in found:
        values = record.values
        row = {
            key: values[index].strip() if index < len(values) else ""
            for key, index in where.items()
        }
        try:
            if record.problem:
                raise ValueError(record.problem)
            point = _point(row)
        except ValueError as error:
            rejected.append(
                _("{file} line {line}: {reason}").format(file=name, line=record.line, reason=error)
            )
            continue
        if point["code"] in seen:
            rejected.append(
                _("{file} line {line}: address point {code} again").format(
                    file=name, line=record.line, code=point["code"]
                )
            )
            continue
        seen.add(point["code"])
        points.append(tuple(point[column] for column in POINT_COLUMNS))
    return points, rejected


def _point(row: dict[str, str]) -> dict[str, Any]:
    """One row as an address point; raises ValueError saying the row's first problem."""
    code = _number(row["code"], _("the address point's code"))
    municipality_code = _number(row["municipality_code"], _("the municipality's code"))
    kind = _registry_kind(row["registry_kind"])
    house = _number(row["house_number"], _("the house number"))
    orientation = row.get("orientation_number", "")
    postal = _postal_code(row["postal_code"])
    _check_names(row)
    street, part = row["street"], row["part"]
    letter = _orientation_letter(row.get("orientation_letter", ""))
    return {
        "code": code,
        "municipality_code": municipality_code,
        "municipality": row["municipality"][:60],
        "town_key": fold(row["municipality"])[:60],
        "district": (row.get("momc") or row.get("prague_district") or "")[:60],
        "part": part[:60],
        "street": street[:80],
        "street_key": fold(street or part)[:80],
        "registry_kind": kind,
        "house_number": house,
        "orientation_number": _number(orientation, _("the orientation number"))
        if orientation
        else None,
        "orientation_letter": letter.lower(),
        "postal_code": postal,
        "y": coordinate(row.get("y", "")),
        "x": coordinate(row.get("x", "")),
    }


def _registry_kind(kind: str) -> str:
    if kind not in REGISTRY_KINDS:
        raise ValueError(
            _("building type “{kind}” is neither č.p. nor č.ev.").format(kind=echoed(kind))
        )
    return kind


def _postal_code(typed: str) -> str:
    postal = typed.replace(" ", "")
    if not (len(postal) == 5 and postal.isascii() and postal.isdigit()):
        raise ValueError(_("postal code “{code}” is not five digits").format(code=echoed(postal)))
    return postal


def _check_names(row: dict[str, str]) -> None:
    """The names hold no control character; a point has a town and a street or a part."""
    for column in ("municipality", "street", "part", "momc", "prague_district"):
        bad = control_character(row.get(column, ""), lines=False)
        if bad is not None:
            message = _("{column} holds a control character ({code})")
            raise ValueError(message.format(column=column, code=bad))
    if not row["municipality"]:
        raise ValueError(_("no municipality name"))
    if not (row["street"] or row["part"]):
        raise ValueError(_("neither a street nor a part of the municipality"))


def _orientation_letter(letter: str) -> str:
    if len(letter) > 1:
        raise ValueError(
            _("orientation letter “{letter}” is not one letter").format(letter=echoed(letter))
        )
    return letter


def _number(text: str, what: str) -> int:
    # ASCII digits only: "²".isdigit() holds, but int() refuses it
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        message = _("{what} “{text}” is not a whole number")
        raise ValueError(message.format(what=what, text=echoed(text)))
    if len(text.lstrip("0")) > len(str(LARGEST)) or int(text) > LARGEST:
        message = _("{what} “{text}” is larger than {largest}")
        raise ValueError(message.format(what=what, text=echoed(text), largest=LARGEST))
    return int(text)
