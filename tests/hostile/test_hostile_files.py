"""Importers under hostile files (issue 20, item 5). Every importer (lead files in each
dialer format, the catalogue, the lists, the address register as CSV and zip, a campaign's
script file) answers any bytes with a refusal or a report of rejected rows, never another
exception, and stores nothing when it refuses. Hypothesis tries small spoiled files on
SQLite and PostgreSQL; the big cases (a 10 MB value, 1,000,000 columns, zips that are
damaged, lie or explode) are explicit; a few runs of the real command measure its memory."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cc_terminal.services.common.errors import ValidationFailed
from tests.hostile.hostile_files import (
    BOMS,
    CRC,
    HOSTILE_VALUES,
    KINDS,
    MEMBER,
    REFUSALS,
    REGISTER_CSV,
    ZEROS,
    Hostile,
    Kind,
    patched,
    register_zip,
    render,
    stored,
    write,
)
from tests.outbound.outbound_floor import set_up_campaigns

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
CORPUS = [
    Hostile(raw=b""),
    Hostile(raw=bytes(range(256)) * 4),
    Hostile("a\x00b", position=None),
    Hostile("Žluťoučký kůň", codec="utf-16"),
    Hostile("Žluťoučký kůň", codec="utf-16-le"),
    Hostile("Žluťoučký kůň", codec="utf-32"),
    Hostile("Žluťoučký kůň", codec="mixed"),
    Hostile('"unterminated', position=1),
    Hostile("1e308", position=None),
    Hostile("NaN", position=None),
    Hostile("9" * 200, position=None),
    Hostile("9" * 200, position=12),  # the register's house number alone
    Hostile("31.02.", position=None),
]
BIG = [Hostile("x" * 10_000_000, position=1), Hostile("a", width=1_000_000)]

spoiled = st.one_of(
    st.builds(
        Hostile,
        value=st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=20)),
        position=st.one_of(st.none(), st.integers(0, 30)),
        codec=st.sampled_from(["utf-8", "cp1250", "utf-16", "utf-16-le", "utf-32", "mixed"]),
        bom=st.sampled_from(BOMS),
        newline=st.sampled_from(["\n", "\r\n", "\r"]),
        flip=st.one_of(st.none(), st.integers(0, 400)),
    ),
    st.builds(Hostile, raw=st.binary(max_size=300)),
)


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws


def imported(kind: Kind, ws, lead, data: bytes) -> int:
    """Import ``data``: refused (or nothing of it stored) leaves every table as it was."""
    before = stored(ws.db.engine)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), kind, data)
        try:
            count = kind.run(ws, lead, path)
        except REFUSALS:
            count = 0
    if count == 0:
        assert stored(ws.db.engine) == before, kind.name
    return count


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), spoil=spoiled)
def test_hostile_files_are_refused_or_reported_never_half_stored(floor, lead, kind, spoil):
    imported(kind, floor, lead, render(kind, spoil))


for _kind in KINDS:  # the corpus, for every importer
    for _spoil in CORPUS:
        test_hostile_files_are_refused_or_reported_never_half_stored = example(
            kind=_kind, spoil=_spoil
        )(test_hostile_files_are_refused_or_reported_never_half_stored)


@SQLITE_ONLY
def test_a_huge_value_or_a_million_columns_is_refused(floor, lead):
    for kind in KINDS:
        for spoil in BIG:
            assert imported(kind, floor, lead, render(kind, spoil)) == 0, kind.name
        unspoiled = render(kind, Hostile(kind.row[0]))  # the file as it is imports
        assert imported(kind, floor, lead, unspoiled) == 1, kind.name


def broken_deflate(folder: Path) -> Path:
    path = register_zip(folder, REGISTER_CSV * 50)
    data = bytearray(path.read_bytes())
    start = 30 + len(MEMBER) + 10  # past the local header and the name: the deflate data
    data[start : start + 20] = bytes(b ^ 0x55 for b in data[start : start + 20])
    path.write_bytes(bytes(data))
    return path


# Zips damaged in one way each, by what the line about them says.
DAMAGED = {
    "Bad CRC-32": lambda folder: patched(register_zip(folder, REGISTER_CSV), CRC, bytes(4)),
    "Error -3 while decompressing": broken_deflate,
    # declares 200 bytes unpacked: the zip module stops there and the CRC does not match
    "lying": lambda folder: patched(
        register_zip(folder, REGISTER_CSV + ZEROS), CRC + 8, struct.pack("<I", 200)
    ),
    "compression method": lambda folder: patched(register_zip(folder, REGISTER_CSV), 8, b"c\0"),
    "encrypted": lambda folder: patched(register_zip(folder, REGISTER_CSV), 6, b"\1\0"),
}


@SQLITE_ONLY
def test_a_damaged_zip_is_one_line_naming_what_is_damaged(ws, lead, tmp_path):
    before = stored(ws.db.engine)
    for damage, make in DAMAGED.items():
        (tmp_path / damage).mkdir()
        report = ws.register.import_files(lead, [make(tmp_path / damage)])
        assert report.points == 0 and len(report.rejected) == 1, damage
        line = report.rejected[0]
        assert line.startswith(f"{MEMBER}: damaged in the zip (") and "\n" not in line
        assert damage in line or damage == "lying"
    cut = tmp_path / "cut.zip"
    cut.write_bytes(zip_bytes({MEMBER: REGISTER_CSV})[:-30])  # the directory's end cut off
    report = ws.register.import_files(lead, [cut])
    assert report.points == 0 and len(report.rejected) == 1
    assert report.rejected[0].startswith("cut.zip: This is a zip")
    assert stored(ws.db.engine) == before


def zip_bytes(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


TOO_BIG = {
    "unpacks to 80 MB, more than 64 MB": {MEMBER: REGISTER_CSV + ZEROS * 5},
    "times its packed size, more than 100 (a zip bomb?)": {MEMBER: REGISTER_CSV + ZEROS},
    "too many entries in the zip (20001; at most 20000)": {f"{n}.csv": b"" for n in range(20_001)},
}


@SQLITE_ONLY
def test_a_zip_too_big_is_refused_before_anything_is_stored(ws, lead, tmp_path):
    good = tmp_path / "20261101_OB_500011_ADR.csv"
    good.write_bytes(REGISTER_CSV)
    path = tmp_path / "bomb.zip"
    before = stored(ws.db.engine)
    for message, members in TOO_BIG.items():
        path.write_bytes(zip_bytes(members, level=1))
        with pytest.raises(ValidationFailed) as refused:
            ws.register.import_files(lead, [good, path])
        assert message in str(refused.value) and "\n" not in str(refused.value)
    assert stored(ws.db.engine) == before


@SQLITE_ONLY
def test_the_total_of_an_import_is_capped_before_anything_is_stored(
    ws, lead, tmp_path, monkeypatch
):
    from cc_terminal.services.common.zip_members import Caps
    from cc_terminal.services.orders import register_reading

    monkeypatch.setattr(register_reading, "CAPS", Caps(member=4000, total=6000, ratio=100))
    one, two, big = (tmp_path / f"20261101_OB_50001{n}_ADR.csv" for n in (1, 2, 3))
    for path, size in ((one, 3500), (two, 3500), (big, 4001)):
        path.write_bytes(REGISTER_CSV.ljust(size, b"\n"))
    before = stored(ws.db.engine)
    with pytest.raises(ValidationFailed, match=r"unpack to 0 MB, more than 0 MB in one import"):
        ws.register.import_files(lead, [one, two])
    with pytest.raises(ValidationFailed, match=r"20261101_OB_500013_ADR\.csv is larger than 0 MB"):
        ws.register.import_files(lead, [one, big])
    assert stored(ws.db.engine) == before
    assert ws.register.import_files(lead, [one]).points == 1
