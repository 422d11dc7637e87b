"""The RÚIAN address register: imports of the state's files and finding an exact address,
on SQLite and PostgreSQL."""

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal.models import AddressPoint
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
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
