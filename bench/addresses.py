"""The address register at the scale of the country: 3,000,000 points in 6,300
municipality files (one city of 400,000 points with thousands of streets, towns, villages
without streets), generated in the register's format into one zip, imported through the
service beside a raw ``executemany`` of the same points, then the lookups an operator
makes per keystroke: the street typed letter by letter in a town, and the house number."""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from bench.cache import DATA
from bench.generate import PASSWORD, database
from cc_terminal.config import Settings
from cc_terminal.services.orders.address_register import read_points
from cc_terminal.services.workstation import open_workstation

HEADER = [
    "Kód ADM",
    "Kód obce",
    "Název obce",
    "Kód MOMC",
    "Název MOMC",
    "Kód obvodu Prahy",
    "Název obvodu Prahy",
    "Kód části obce",
    "Název části obce",
    "Kód ulice",
    "Název ulice",
    "Typ SO",
    "Číslo domovní",
    "Číslo orientační",
    "Znak čísla orientačního",
    "PSČ",
    "Souřadnice Y",
    "Souřadnice X",
    "Platí Od",
]
MUNICIPALITIES = 6_300
POINTS_PER_STREET = 60


@dataclass(frozen=True)
class Register:
    points: int
    import_seconds: float
    raw_seconds: float
    street_keys: list[float]
    numbers: list[float]


def measure(points: int = 3_000_000) -> Register:
    archive, towns = _register_zip(points)
    work = DATA / "addresses-work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    work.write_bytes(database(2_000).read_bytes())  # a migrated floor with its accounts
    ws = open_workstation(Settings(db_url=f"sqlite:///{work}", data_dir=work.parent))
    try:
        lead = ws.auth.login("lead", PASSWORD)
        started = time.perf_counter()
        report = ws.register.import_files(lead, [archive])
        imported = time.perf_counter() - started
        raw = _raw_insert(work, archive)
        keys, numbers = _lookups(ws, towns)
    finally:
        ws.close()
    return Register(report.points, imported, raw, keys, numbers)


def _register_zip(total: int) -> tuple[Path, list[tuple[int, list[str]]]]:
    """The zip of every municipality's file, and each town's streets (for the lookups)."""
    rng = random.Random(3)
    fake = Faker("cs_CZ")
    fake.seed_instance(3)
    street_names = sorted({fake.street_name() for _i in range(3_000)})
    city = total * 2 // 15  # 400,000 of 3,000,000, as Prague is of the country
    sizes = [city] + [
        max(8, int((total - city) / (MUNICIPALITIES - 1) * rng.paretovariate(3) / 1.5))
        for _i in range(MUNICIPALITIES - 1)
    ]
    path = DATA / f"register-{total}.zip"
    towns: list[tuple[int, list[str]]] = []
    code = 10_000_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, size in enumerate(sizes):
            municipality = 500_000 + number
            name = "Velkoměsto" if number == 0 else f"{fake.city()} {number}"
            village = size < 300
            streets = [name] if village else _streets(rng, street_names, size)
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADER)
            for index in range(size):
                code += 1
                street = streets[index % len(streets)]
                house = index // len(streets) + 1
                writer.writerow(
                    [
                        code,
                        municipality,
                        name,
                        "",
                        "",
                        "",
                        "",
                        municipality,
                        name,
                        "",
                        "" if village else street,
                        "č.p.",
                        house,
                        "" if village else house * 2,
                        "",
                        f"{10000 + number % 90000:05d}",
                        f"{600000 + number}.5",
                        f"{1100000 + index}.25",
                        "2020-01-01T00:00:00",
                    ]
                )
            archive.writestr(
                f"CSV/20261101_OB_{municipality}_ADR.csv", out.getvalue().encode("cp1250")
            )
            if number < 50:
                towns.append((municipality, streets))
    return path, towns


def _streets(rng: random.Random, names: list[str], size: int) -> list[str]:
    wanted = max(1, size // POINTS_PER_STREET)
    chosen = [
        names[i % len(names)] + ("" if i < len(names) else f" {i // len(names)}")
        for i in range(wanted)
    ]
    rng.shuffle(chosen)
    return chosen


def _raw_insert(work: Path, archive: Path) -> float:
    """The same points (already read and checked) into an empty copy of the table."""
    rows = []
    with zipfile.ZipFile(archive) as opened:
        for member in opened.namelist():
            points, _rejected = read_points(member, opened.read(member))
            rows += points
    with sqlite3.connect(work) as connection:
        connection.execute("CREATE TABLE point_raw AS SELECT * FROM address_point WHERE 0")
        marks = ", ".join("?" * len(rows[0]))
        started = time.perf_counter()
        connection.executemany(f"INSERT INTO point_raw VALUES ({marks})", rows)
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE point_raw")
    return seconds


def _lookups(ws: object, towns: list[tuple[int, list[str]]]) -> tuple[list[float], list[float]]:
    """Per keystroke: the street's name typed letter by letter (its first eight letters),
    in the big city and in towns; then the house number on the street found."""
    from cc_terminal.folding import fold

    book = ws.addresses  # type: ignore[attr-defined]
    rng = random.Random(9)
    keys, numbers = [], []
    for _round in range(60):
        municipality, streets = towns[0] if rng.random() < 0.5 else rng.choice(towns)
        street = rng.choice(streets)
        for length in range(1, min(8, len(street)) + 1):
            started = time.perf_counter()
            found = book.streets(municipality, street[:length])
            keys.append(time.perf_counter() - started)
        key = fold(street)
        started = time.perf_counter()
        book.check_number(municipality, key, str(rng.randint(1, 12)))
        numbers.append(time.perf_counter() - started)
        assert found, "the street typed is found"
    return keys, numbers
