"""Register files for comparing the bulk import with the row-by-row one: towns, a city
with districts and lettered numbers, villages without streets, values with spaces
around them, commas in coordinates, and files with broken rows of every kind."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from cc_terminal.models import AddressPoint, AddressStreet, AddressTown
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_reading
from cc_terminal.services.workstation import Workstation
from tests.orders.order_floor import REGISTER_HEADER

REGISTER_TABLES = (AddressPoint, AddressTown, AddressStreet)

STREETS = ("Náměstí Míru", "U Elektrárny", "Dlouhá", "Krátká", "Školní", "Ke Mlýnu")
BROKEN = (
    "x;{m};Lhota;;;;;1;Lhota;;;č.p.;2;;;25001;;;",
    "{c};{m};Lhota;;;;;1;Lhota;;;chata;3;;;25001;;;",
    "{c};{m};Lhota;;;;;1;Lhota;;;č.p.;4;;;2500;;;",
    "{c};{m};Lh\x1bota;;;;;1;Lhota;;;č.p.;4;;;25001;;;",
    '{c};{m};"Lhota; u Brna";;;;;1;Lhota;;;č.p.;4;;;25001;;;',
    "{c};{m};Lhota;;;;;1;Lhota;;;č.p.;4;;",
    "{c};{m};;;;;;1;;;;č.p.;4;;;25001;;;",
    "{c};{m};Lhota;;;;;1;Lhota;;;č.p.;99999999999;;;25001;;;",
)


def _row(rng: random.Random, code: int, municipality: int, name: str, village: bool) -> str:
    street = "" if village else rng.choice(STREETS)
    house = rng.randint(1, 3000)
    orientation = "" if village or rng.random() < 0.3 else str(rng.randint(1, 200))
    letter = rng.choice(("", "", "", "a", "B")) if orientation else ""
    district = rng.choice(("", "Praha 7", " Brno-střed ")) if not village else ""
    y = rng.choice(("", f"{rng.uniform(430000, 900000):.2f}", f"{rng.randint(430000, 900000)},5"))
    kind = "č.ev." if rng.random() < 0.05 else "č.p."
    postal = rng.choice((f"{rng.randint(10000, 79999)}", "170 00"))
    values = [
        code, municipality, name, "", district.strip(), "", district, "", f"{name} {house % 3}",
        "", street, kind, house, orientation, letter, postal, y, "1040840.65", "2020-01-01",
    ]  # fmt: skip
    return ";".join(str(value) for value in values)


def register_zip(
    folder: Path,
    seed: int = 5,
    towns: int = 30,
    first_code: int = 40_000_000,
    first_town: int = 500_000,
) -> Path:
    """A zip of ``towns`` municipality files; every fifth has a broken row, one town is in
    two files (the second replaces the first)."""
    rng = random.Random(seed)
    path = folder / "20261101_OB_ADR_csv.zip"
    code = first_code
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(towns):
            municipality = first_town + min(number, towns - 2)  # the last two: the same town
            name = rng.choice(("Lhota", "Kolín", "Praha", "Žďár nad Sázavou", " Brno "))
            village = number % 4 == 3
            rows = []
            for _index in range(rng.randint(1, 60)):
                code += 1
                rows.append(_row(rng, code, municipality, name, village))
            if number % 5 == 4:
                code += 1
                broken = rng.choice(BROKEN).format(c=code, m=municipality)
                rows.insert(rng.randrange(len(rows) + 1), broken)
            text = "\r\n".join([REGISTER_HEADER, *rows, ""])
            archive.writestr(f"CSV/20261101_OB_{number}_ADR.csv", text.encode("cp1250"))
    return path


def register_rows(ws: Workstation) -> dict[str, set[tuple[object, ...]]]:
    """Every row of the register's tables, by table: what two imports are compared by."""
    with ws.db.read() as session:
        return {
            table.__tablename__: {tuple(row) for row in session.execute(select(table.__table__))}
            for table in REGISTER_TABLES
        }


def empty_register(ws: Workstation, lead: Actor) -> None:
    with ws.db.write(lead.operator_id) as session:
        for table in REGISTER_TABLES:
            session.execute(delete(table))


def reading_fails_at_file(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """The register's files read as usual until the ``number``-th, which fails (the disk
    went away)."""
    read = register_reading.read_points
    files: list[int] = []

    def read_then_fail(name: str, data: bytes):
        files.append(1)
        if len(files) == number:
            raise RuntimeError("the disk went away")
        return read(name, data)

    monkeypatch.setattr(register_reading, "read_points", read_then_fail)
