"""The RÚIAN address register: imports of the state's files and finding an exact address,
on SQLite and PostgreSQL."""

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal.models import AddressPoint, AuditEvent
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.orders import register_reading as register_module
from cc_terminal.services.orders.address_register import AddressRegister
from cc_terminal.services.orders.register_reading import read_points
from cc_terminal.services.orders.register_rows import POINT_COLUMNS
from tests.orders.order_floor import (
    LHOTA_A,
    LHOTA_B,
    LHOTA_C,
    MILOVICE,
    REGISTER_HEADER,
    alike_files,
)

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
FILES = sorted(SAMPLES.glob("*_OB_*_ADR.csv"))
PRAHA, TROJANOVICE = 554782, 599999
HEADER = REGISTER_HEADER


@pytest.fixture
def register(ws, lead):
    report = ws.register.import_files(lead, FILES)
    assert (report.files, report.municipalities, report.points, report.rejected) == (3, 3, 12, [])
    return ws


def points(ws):
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(AddressPoint))


def test_only_a_team_lead_imports_the_register(ws, jana):
    with pytest.raises(PermissionDenied):
        ws.register.import_files(jana, FILES)


def test_a_reimport_replaces_the_municipality_in_one_go(register, lead, tmp_path):
    assert [s.name for s in register.addresses.streets(TROJANOVICE, "")] == [
        "Bystré",
        "Trojanovice",
    ]
    changed = tmp_path / "20261201_OB_599999_ADR.csv"
    changed.write_bytes(
        (
            HEADER + "\r\n"
            "23456789;599999;Trojanovice;;;;;168491;Trojanovice;;;č.p.;2;;;74401;;;\r\n"
            "23456799;599999;Trojanovice;;;;;168491;Trojanovice;;;č.p.;4;;;74401;;;\r\n"
        ).encode("cp1250")
    )
    report = register.register.import_files(lead, [changed])
    assert (report.points, report.rejected) == (2, [])
    assert points(register) == 12 - 3 + 2  # Trojanovice's three points became two
    assert [s.name for s in register.addresses.streets(TROJANOVICE, "")] == ["Trojanovice"]
    assert [(t.name, t.points) for t in register.addresses.towns("troj")] == [("Trojanovice", 2)]
    numbers = register.addresses.check_number(TROJANOVICE, "trojanovice", "3")
    assert numbers.points == () and numbers.nearest == ("2", "4")


def test_a_zip_of_municipalities_and_broken_rows_reported(ws, lead, tmp_path):
    broken = (
        HEADER + "\r\n"
        "45678901;500011;Lhota;;;;;1;Lhota;;;č.p.;1;;;25001;;;\r\n"
        "x;500011;Lhota;;;;;1;Lhota;;;č.p.;2;;;25001;;;\r\n"
        "45678903;500011;Lhota;;;;;1;Lhota;;;chata;3;;;25001;;;\r\n"
        "45678904;500011;Lhota;;;;;1;Lhota;;;č.p.;4;;;2500;;;\r\n"
        "45678901;500011;Lhota;;;;;1;Lhota;;;č.p.;5;;;25001;;;\r\n"
    ).encode("cp1250")
    archive = tmp_path / "20261101_OB_ADR_csv.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("CSV/20261101_OB_500011_ADR.csv", broken)
        out.writestr("CSV/20261101_OB_599999_ADR.csv", (SAMPLES / FILES[2].name).read_bytes())
        out.writestr("CSV/readme.txt", "not a register file")
    report = ws.register.import_files(lead, [archive])
    assert (report.files, report.points) == (2, 4)
    assert [line.split(": ", 1)[1] for line in report.rejected] == [
        "the address point's code “x” is not a whole number",
        "building type “chata” is neither č.p. nor č.ev.",
        "postal code “2500” is not five digits",
        "address point 45678901 again",
    ]
    assert report.rejected[0].startswith("CSV/20261101_OB_500011_ADR.csv line 3")


def test_a_file_that_is_not_the_register_says_so(ws, lead, tmp_path):
    other = tmp_path / "leads.csv"
    other.write_text("jmeno;telefon\nJan;731111111\n", encoding="cp1250")
    report = ws.register.import_files(lead, [other])
    assert report.points == 0
    assert "not an address-point file, missing Kód ADM" in report.rejected[0]
    with pytest.raises(ValidationFailed):
        ws.register.import_files(lead, [tmp_path / "missing.csv"])


def test_towns_by_their_start_and_despite_a_typo(register):
    assert [(t.name, t.points) for t in register.addresses.towns("pra")] == [("Praha", 7)]
    assert [t.name for t in register.addresses.towns("kolin")] == ["Kolín"]
    assert [t.name for t in register.addresses.towns("trojanvice")] == ["Trojanovice"]
    assert register.addresses.towns("zzz") == []


def test_streets_without_diacritics_and_parts_of_villages(register):
    found = register.addresses.streets(PRAHA, "namesti miru")
    assert [s.name for s in found] == ["náměstí Míru", "Náměstí Míru ve stínu"]
    assert [s.name for s in register.addresses.streets(PRAHA, "elektr")] == ["U Elektrárny"]
    assert [s.name for s in register.addresses.streets(PRAHA, "u elektarny")] == ["U Elektrárny"]
    village = register.addresses.streets(TROJANOVICE, "")
    assert [(s.name, s.is_part) for s in village] == [("Bystré", True), ("Trojanovice", True)]


def test_a_house_number_as_the_caller_says_it(register):
    book = register.addresses
    by_orientation = book.check_number(PRAHA, "u elektrarny", "10a")
    assert [a.text() for a in by_orientation.points] == [
        "U Elektrárny 9/10a, 170 00 Praha 7 - Holešovice"
    ]
    assert by_orientation.points[0].code == 12345678
    assert [a.number for a in book.check_number(PRAHA, "u elektrarny", "9").points] == ["9/10a"]
    assert [a.number for a in book.check_number(PRAHA, "u elektrarny", "9/10a").points] == ["9/10a"]
    # 12 is one building's orientační and another's popisné: the one said as orientační
    # first, both offered.
    both = book.check_number(PRAHA, "u elektrarny", "12")
    assert [a.number for a in both.points] == ["11/12", "12/14"]
    missing = book.check_number(PRAHA, "u elektrarny", "16")
    assert missing.points == () and missing.nearest == ("14", "12", "20", "11", "10a")
    assert book.check_number(PRAHA, "u elektrarny", "10b").points == ()
    village = book.check_number(TROJANOVICE, "bystre", "ev. 12")
    assert [a.text() for a in village.points] == ["Bystré ev. 12, 744 01 Trojanovice - Bystré"]
    # said without "ev.": offered to confirm, not settled
    assert book.check_number(TROJANOVICE, "bystre", "12").other_series
    with pytest.raises(ValidationFailed):
        book.check_number(PRAHA, "u elektrarny", "devět")


@pytest.fixture
def towns_alike(ws, lead, tmp_path):
    report = ws.register.import_files(lead, alike_files(tmp_path))
    assert (report.points, report.rejected) == (7, [])
    return ws.addresses


def test_a_number_without_a_letter_is_the_exact_point(towns_alike):
    assert [a.number for a in towns_alike.check_number(MILOVICE, "namesti miru", "3").points] == [
        "1254/3"
    ]
    assert [a.number for a in towns_alike.check_number(MILOVICE, "namesti miru", "3a").points] == [
        "1255/3a"
    ]
    # No exact one: the lettered number is still found.
    assert [
        a.number for a in towns_alike.check_number(MILOVICE, "namesti miru", "1255").points
    ] == ["1255/3a"]


def test_a_number_said_without_ev_is_offered_as_the_evidence_number(towns_alike):
    offered = towns_alike.check_number(MILOVICE, "u chat", "12")
    assert [a.number for a in offered.points] == ["ev. 12"] and offered.other_series
    said = towns_alike.check_number(MILOVICE, "u chat", "ev. 12")
    assert [a.number for a in said.points] == ["ev. 12"] and not said.other_series
    missing = towns_alike.check_number(MILOVICE, "u chat", "13")
    assert missing.points == () and missing.nearest == ("ev. 12", "ev. 14")


def test_towns_of_the_same_name_are_told_apart(towns_alike):
    found = {town.code: town.area for town in towns_alike.towns("lhota")}
    assert found == {
        LHOTA_A: f"250 01, code {LHOTA_A}",
        LHOTA_B: "273 01",
        LHOTA_C: f"250 01, code {LHOTA_C}",
    }
    assert [town.area for town in towns_alike.towns("milovice")] == [""]


# What the row-by-row reading says of each row it rejects, and reads of the rows it takes
# (a rejected row in the file sends it there: the columns' reading declines).
COLUMNS = HEADER.split(";")
VALID = ["1", "500011", "Lhota", "", "", "", "", "1", "Lhota", "", "Dlouhá", "č.p.", "3", "5",
         "a", "17000", "741272.24", "1043512.5", "2020-01-01"]  # fmt: skip
REJECTED = "x;500011;Lhota;;;;;1;Lhota;;;č.p.;2;;;25001;;;"


def _row(code: int, **changes: str) -> str:
    """A valid row with some values changed, by the header's names (spaces as _)."""
    values = [str(code), *VALID[1:]]
    for name, value in changes.items():
        values[COLUMNS.index(name.replace("_", " "))] = value
    return ";".join(values)


def _rows_read(*rows: str, header: list[str] = COLUMNS) -> tuple[list[dict], list[str]]:
    data = "\r\n".join([";".join(header), *rows, ""]).encode("cp1250")
    points, rejected = read_points("f.csv", data)
    return [dict(zip(POINT_COLUMNS, point, strict=True)) for point in points], rejected


def test_each_rejected_row_says_its_line_and_its_first_problem():
    points, rejected = _rows_read(
        _row(1, Název_obce="Lh\tota"),
        _row(2, Název_ulice="Dlouh\x1b"),
        _row(3, Název_části_obce="Lhota\x7f"),
        _row(4, Název_MOMC="Praha\x01"),
        _row(5, Název_obvodu_Prahy="Praha\t7"),
        _row(6, Název_obce=""),
        _row(7, Název_ulice="", Název_části_obce=""),
        _row(8, Kód_obce="0"),
        _row(9, Číslo_domovní="2147483648"),
        _row(10, Číslo_orientační="x"),
        _row(11, Znak_čísla_orientačního="ab"),
        _row(12, Číslo_domovní="000"),
        _row(20),
        _row(20, Číslo_domovní="4"),
        _row(21),
        "22;500011;Lhota;;;;;1;Lhota;;Dlouhá;č.p.;3",
        _row(23, Platí_Od="x\x00"),
    )
    assert [point["code"] for point in points] == [20, 21]
    assert rejected == [
        "f.csv line 2: municipality holds a control character (U+0009)",
        "f.csv line 3: street holds a control character (U+001B)",
        "f.csv line 4: part holds a control character (U+007F)",
        "f.csv line 5: momc holds a control character (U+0001)",
        "f.csv line 6: prague_district holds a control character (U+0009)",
        "f.csv line 7: no municipality name",
        "f.csv line 8: neither a street nor a part of the municipality",
        "f.csv line 9: the municipality's code “0” is not a whole number",
        "f.csv line 10: the house number “2147483648” is larger than 2147483647",
        "f.csv line 11: the orientation number “x” is not a whole number",
        "f.csv line 12: orientation letter “ab” is not one letter",
        "f.csv line 13: the house number “000” is not a whole number",
        "f.csv line 15: address point 20 again",
        "f.csv line 17: postal code “” is not five digits",
        "f.csv line 18: a NUL byte in this row (the file is damaged here)",
    ]


def test_numbers_up_to_the_columns_largest_integer_are_taken():
    points, rejected = _rows_read(
        _row(1, Číslo_domovní="2147483647"),  # the largest itself
        _row(2, Číslo_domovní="1000000000"),  # as many digits, smaller
        _row(3, Číslo_domovní="0002147483647"),  # leading zeros count for nothing
    )
    assert rejected == []
    assert [point["house_number"] for point in points] == [2147483647, 1000000000, 2147483647]


def test_rows_read_one_by_one_keep_the_districts_and_cut_long_names():
    points, rejected = _rows_read(
        REJECTED,
        _row(1, Název_MOMC="Praha 7"),
        _row(2, Název_obvodu_Prahy="Praha 8"),
        _row(
            3,
            Název_obce="M" * 61,
            Název_MOMC="D" * 61,
            Název_části_obce="P" * 61,
            Název_ulice="S" * 81,
        ),
    )
    assert len(rejected) == 1
    assert [point["district"] for point in points] == ["Praha 7", "Praha 8", "D" * 60]
    long = points[2]
    assert (long["municipality"], long["town_key"], long["part"]) == ("M" * 60, "m" * 60, "P" * 60)
    assert (long["street"], long["street_key"]) == ("S" * 80, "s" * 80)


def test_rows_read_one_by_one_without_the_optional_columns():
    required = list(register_module.REQUIRED)
    values = dict(zip(COLUMNS, _row(1).split(";"), strict=True))
    row = ";".join(values[name] for name in required)
    (point,), rejected = _rows_read(row, "x" + row[1:], header=required)
    assert len(rejected) == 1
    optional = ("district", "orientation_number", "orientation_letter", "y", "x")
    assert [point[key] for key in optional] == ["", None, "", None, None]


def test_a_file_without_the_registers_columns_names_those_missing():
    assert read_points("leads.csv", b"jmeno;telefon\nJan;731111111\n") == (
        [],
        [
            "leads.csv: not an address-point file, missing Kód ADM, Kód obce, Název obce, "
            "Název části obce, Název ulice, Typ SO, Číslo domovní, PSČ"
        ],
    )


def _import_events(ws) -> list[tuple[object, str, str]]:
    with ws.db.read() as session:
        query = select(AuditEvent).where(AuditEvent.kind == "import").order_by(AuditEvent.at)
        return [(e.actor_id, e.subject, e.detail) for e in session.scalars(query)]


def test_an_import_tells_its_progress_and_goes_on_past_a_damaged_member(ws, lead, tmp_path):
    """A zip member damaged (its CRC), then a town, then the same town again in a plain
    file: the first group is stored to make room for it, and the progress says so."""
    bytes_a = (SAMPLES / FILES[2].name).read_bytes()
    archive = tmp_path / "20261101_OB_ADR_csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        out.writestr("CSV/1_damaged.csv", HEADER + "\r\nDAMAGED-HERE\r\n")
        out.writestr("CSV/2_town.csv", bytes_a)
    archive.write_bytes(archive.read_bytes().replace(b"DAMAGED-HERE", b"damaged-here", 1))
    again = tmp_path / "again.csv"
    again.write_bytes(bytes_a.replace(b"\r\n", b"\n"))
    told: list[tuple[int, str]] = []
    report = AddressRegister(ws.db).import_files(  # no address book to tell
        lead, [archive, again], lambda stored, name: told.append((stored, name))
    )
    assert (report.files, report.municipalities, report.points) == (3, 2, 6)
    assert report.rejected == [
        "CSV/1_damaged.csv: damaged in the zip (Bad CRC-32 for file 'CSV/1_damaged.csv')."
    ]
    assert told == [(3, "again.csv"), (6, "again.csv")]
    assert points(ws) == 3  # the town once: the plain file replaced the zip's
    assert _import_events(ws) == [(lead.operator_id, "address register", f"{archive.name}: 6 rows")]


def test_an_import_of_nothing_is_audited_as_such(ws, lead):
    report = ws.register.import_files(lead, [])
    assert (report.files, report.points) == (0, 0)
    assert _import_events(ws) == [(lead.operator_id, "address register", "-: 0 rows")]


def test_a_refused_import_says_who_may_and_a_missing_file_why(ws, jana, lead, tmp_path):
    with pytest.raises(
        PermissionDenied, match=r"^Only a team lead imports the address register\.$"
    ):
        ws.register.import_files(jana, FILES)
    missing = tmp_path / "missing.csv"
    with pytest.raises(ValidationFailed) as refused:
        ws.register.import_files(lead, [missing])
    assert refused.value.errors == {"file": f"Cannot read {missing}: No such file or directory"}


def test_the_files_together_and_each_file_within_their_caps(ws, lead, tmp_path, monkeypatch):
    """At exactly the caps the import goes on; a byte more is refused before anything is
    stored. A zip counts what its members unpack to, not its own size."""
    plain = FILES[1]  # the largest file: its cap is each file's
    archive = tmp_path / "towns.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("CSV/town.csv", FILES[2].read_bytes())
    total = plain.stat().st_size + FILES[2].stat().st_size
    assert archive.stat().st_size != FILES[2].stat().st_size
    caps = register_module.CAPS

    def import_with(member: int, all_files: int):
        monkeypatch.setattr(register_module, "CAPS", replace(caps, member=member, total=all_files))
        return ws.register.import_files(lead, [plain, archive])

    assert import_with(plain.stat().st_size, total).points == 10
    with pytest.raises(ValidationFailed) as refused:
        import_with(plain.stat().st_size, total - 1)
    assert refused.value.errors == {
        "file": "The files unpack to 0 MB, more than 0 MB in one import."
    }
    with pytest.raises(ValidationFailed) as refused:
        import_with(plain.stat().st_size - 1, total)
    assert refused.value.errors == {"file": f"{plain.name} is larger than 0 MB."}


def test_the_registers_files_are_cp1250_whatever_another_code_page_makes_of_them():
    """Guessed among code pages, this street would be read as ISO 8859-2."""
    points, rejected = _rows_read(_row(1, Název_ulice="Šťáva ©®"))
    assert rejected == [] and points[0]["street"] == "Šťáva ©®"


def test_a_file_that_cannot_be_read_or_a_zip_changed_since_its_check_is_one_line(
    ws, lead, tmp_path
):
    """A directory passes the size check but is no file; a zip overwritten while the
    files before it are stored (the progress of the second sample, the same town again,
    comes before it is opened) is no zip any more."""
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    town = FILES[2].read_bytes()
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    first.write_bytes(town)
    second.write_bytes(town)
    archive = tmp_path / "3.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("CSV/town.csv", town)

    def overwrite(stored: int, name: str) -> None:
        archive.write_bytes(b"no zip any more")

    report = ws.register.import_files(lead, [folder, first, second, archive], overwrite)
    assert report.points == 6 and points(ws) == 3
    assert report.rejected == [
        f"folder.csv: Cannot read {folder}: Is a directory",
        "3.zip: not a readable zip (File is not a zip file).",
    ]
