"""The address register at the scale of the country: 3,000,000 points in 6,300
municipality files (one city of 400,000 points with thousands of streets, towns, villages
without streets), generated in the register's format into one zip, imported through the
service beside a raw ``executemany`` of the same points, then the lookups an operator
makes per keystroke: the street typed letter by letter in a town, and the house number."""

from __future__ import annotations

import csv
import io
import json
import random
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from faker import Faker
from sqlalchemy import create_engine, text

from bench import search
from bench.cache import DATA, cached
from bench.generate import PASSWORD, database
from bench.lead_import import SignIns, Transactions
from bench.table import Row, median_ms, p99_ms
from cc_terminal.config import Settings
from cc_terminal.services.orders.register_reading import read_points
from cc_terminal.services.workstation import Workstation, open_workstation

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
# address_point's own: its key and the indexes migration 0030 kept
INDEXED = (
    "code",
    "municipality_code, street_key, house_number",
    "municipality_code, street_key, orientation_number",
)
POINTS_PER_STREET = 60


@dataclass(frozen=True)
class Register:
    store: str
    points: int
    import_seconds: float
    reimport_seconds: float
    raw_seconds: float  # the same points into a copy of the table without its indexes
    raw_indexed_seconds: float  # ... and into one with them
    longest_transaction: float
    sign_ins: list[float]  # seconds of each sign-in on another process during both imports
    failed_sign_ins: int
    street_keys: list[float]
    numbers: list[float]


def measure(points: int = 3_000_000) -> Register:
    """On SQLite: the import into a migrated floor, again over its own points, the raw
    inserts, then the lookups."""
    archive, towns = register_zip(points)
    work = DATA / "addresses-work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    work.write_bytes(database(2_000).read_bytes())  # a migrated floor with its accounts
    ws = open_workstation(Settings(db_url=f"sqlite:///{work}", data_dir=work.parent))
    try:
        return _measured(ws, archive, towns, f"sqlite:///{work}")
    finally:
        ws.close()


def measure_postgresql(points: int = 3_000_000) -> Register:
    """The same on a throwaway PostgreSQL server."""
    archive, towns = register_zip(points)
    with search.server() as server:
        engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        engine.dispose()
        folder = DATA / "addresses-pg"
        folder.mkdir(parents=True, exist_ok=True)
        ws = open_workstation(Settings(db_url=server.url("bench"), data_dir=folder))
        try:
            ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
            return _measured(ws, archive, towns, server.url("bench"))
        finally:
            ws.close()


def _measured(
    ws: Workstation, archive: Path, towns: list[tuple[int, list[str]]], url: str
) -> Register:
    """Both imports timed while another process signs the lead in every 200 ms."""
    lead = ws.auth.login("lead", PASSWORD)
    sign_ins = SignIns(url, DATA, ("lead", PASSWORD))
    transactions = Transactions(ws)
    began, started = time.time(), time.perf_counter()
    report = ws.register.import_files(lead, [archive])
    imported = time.perf_counter() - started
    started = time.perf_counter()
    ws.register.import_files(lead, [archive])  # every town replaced
    reimported = time.perf_counter() - started
    longest = transactions.stop()
    during, _before, failed = sign_ins.finish(began, time.time())
    rows = _read(archive)
    raw, raw_indexed = _raw_insert(ws, rows, indexed=False), _raw_insert(ws, rows, indexed=True)
    keys, numbers = _lookups(ws, towns)
    store = ws.db.engine.dialect.name
    return Register(
        store,
        report.points,
        imported,
        reimported,
        raw,
        raw_indexed,
        longest,
        during,
        failed,
        keys,
        numbers,
    )


def register_zip(total: int) -> tuple[Path, list[tuple[int, list[str]]]]:
    """The zip of ``total`` points (built once, bench/cache.py) and each of the first 50
    towns' streets (for the lookups)."""

    def build(path: Path) -> None:
        path.with_name("towns.json").write_text(json.dumps(_build(path, total)))

    path = cached("register", {"points": total, "generator": 1}, build, "register.zip")
    towns = json.loads(path.with_name("towns.json").read_text())
    return path, [(code, streets) for code, streets in towns]


def _build(path: Path, total: int) -> list[tuple[int, list[str]]]:
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
    return towns


def _streets(rng: random.Random, names: list[str], size: int) -> list[str]:
    wanted = max(1, size // POINTS_PER_STREET)
    chosen = [
        names[i % len(names)] + ("" if i < len(names) else f" {i // len(names)}")
        for i in range(wanted)
    ]
    rng.shuffle(chosen)
    return chosen


def _read(archive: Path) -> list[tuple[object, ...]]:
    """The points of the zip, read and checked (as the import reads them)."""
    rows: list[tuple[object, ...]] = []
    with zipfile.ZipFile(archive) as opened:
        for member in opened.namelist():
            points, _rejected = read_points(member, opened.read(member))
            rows += points
    return rows


def _raw_insert(ws: Workstation, rows: list[tuple[object, ...]], indexed: bool) -> float:
    """The points already read into an empty copy of the table (with its indexes or
    without), in one transaction, by the driver alone: ``executemany`` of plain tuples on
    SQLite, ``COPY`` on PostgreSQL (its fastest way in)."""
    connection = ws.db.engine.raw_connection()
    sqlite = ws.db.engine.dialect.name == "sqlite"
    try:
        cursor = connection.cursor()
        cursor.execute("CREATE TABLE point_raw AS SELECT * FROM address_point WHERE 1 = 0")
        if indexed:
            for number, columns in enumerate(INDEXED):
                cursor.execute(f"CREATE INDEX ix_point_raw_{number} ON point_raw ({columns})")
        connection.commit()
        started = time.perf_counter()
        if sqlite:
            cursor.execute("BEGIN")  # the engine's connections leave transactions to us
            marks = ", ".join("?" * len(rows[0]))
            cursor.executemany(f"INSERT INTO point_raw VALUES ({marks})", rows)
        else:
            with cursor.copy("COPY point_raw FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        connection.commit()
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE point_raw")
        connection.commit()
    finally:
        connection.close()
    return seconds


def _lookups(
    ws: Workstation, towns: list[tuple[int, list[str]]]
) -> tuple[list[float], list[float]]:
    """Per keystroke: the street's name typed letter by letter (its first eight letters),
    in the big city and in towns; then the house number on the street found."""
    from cc_terminal.folding import fold

    book = ws.addresses
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


def rows(points: int) -> list[Row]:
    on_sqlite = measure(points)
    rows = [_register_row(on_sqlite), _register_row(measure_postgresql(points))]
    return [
        *rows,
        Row(
            "street autocomplete per keystroke (a city of 400,000 points and towns)",
            _ms(median_ms(on_sqlite.street_keys), p99_ms(on_sqlite.street_keys)),
            "first keystroke in a town reads its streets (SQLite)",
            "median <= 20 ms, p99 <= 60 ms",
        ),
        Row(
            "house-number check on a street",
            _ms(median_ms(on_sqlite.numbers), p99_ms(on_sqlite.numbers)),
            "popisné or orientační (SQLite)",
            "median <= 20 ms, p99 <= 60 ms",
        ),
    ]


def _register_row(result: Register) -> Row:
    ratio = result.import_seconds / result.raw_seconds
    return Row(
        f"address register import, {result.points:,} points in 6,300 files, {result.store}",
        f"{result.import_seconds:.1f} s = {ratio:.1f}x raw "
        f"({result.points / result.import_seconds:,.0f} points/s); "
        f"again over its own points {result.reimport_seconds:.1f} s",
        f"raw {'executemany' if result.store == 'sqlite' else 'COPY'} of the same points "
        f"(read and checked) {result.raw_seconds:.1f} s without indexes, "
        f"{result.raw_indexed_seconds:.1f} s with the table's; longest "
        f"transaction of the import {result.longest_transaction * 1000:.0f} ms; "
        f"a sign-in on another process meanwhile: slowest "
        f"{max(result.sign_ins, default=0.0) * 1000:.0f} ms (median "
        f"{median_ms(result.sign_ins or [0.0]):.0f} ms) of {len(result.sign_ins)}, "
        f"{result.failed_sign_ins} failed",
        "<= 20 s",
    )


def _ms(median: float, p99: float) -> str:
    return f"median {median:.1f} ms, p99 {p99:.1f} ms"
