"""Lead files as other systems write them: every format, encoding and fault, and the
samples in data/samples, imported through the service on SQLite and PostgreSQL."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import Consent, Lead
from cc_terminal.services.outbound.lead_files import FileFormat, LeadFileError, read_lead_file
from tests.outbound.outbound_floor import SALES, SURVEY, set_up_campaigns

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws


def leads_of(ws):
    with ws.db.read() as session:
        return {row.phone_e164: row for row in session.scalars(select(Lead))}


def test_a_spreadsheet_csv_with_bom_semicolons_and_quoted_line_breaks(floor, lead):
    lead_file = read_lead_file(SAMPLES / "leads-winter.csv")
    assert (lead_file.format, lead_file.encoding, lead_file.delimiter) == (
        FileFormat.CSV,
        "utf-8-sig",
        ";",
    )
    assert lead_file.mapping == {
        "Jméno": "first_name",
        "Příjmení": "last_name",
        "Telefon": "phone",
        "Město": "city",
        "E-mail": "email",
        "Souhlas": "consent",
    }
    report = floor.leads.import_file(lead, lead_file, SALES, temperature="cold")
    assert (report.rows, report.added, report.consents) == (5, 3, 1)
    assert [(r.line, r.reason.split(":")[0]) for r in report.rejected] == [
        (6, "+420731111201 again (first on line 2)"),
        (7, "phone “12345”"),
    ]
    stored = leads_of(floor)
    assert json.loads(stored["+420731111202"].extra) == {
        "Poznámka": "Zákazník od 2019,\nmá dva tarify"  # the quoted line break is kept
    }
    assert json.loads(stored["+420731111201"].extra)["Poznámka"] == "Chce volat odpoledne; ne ráno"
    again = floor.leads.import_file(lead, read_lead_file(SAMPLES / "leads-winter.csv"), SALES)
    assert (again.added, again.already_in_campaign) == (0, 3)


def test_cp1250_is_recognised(floor, lead):
    lead_file = read_lead_file(SAMPLES / "leads-cp1250.csv")
    assert (lead_file.encoding, lead_file.delimiter) == ("cp1250", ",")
    report = floor.leads.import_file(lead, lead_file, SALES, temperature="warm")
    assert report.added == 2 and report.consents == 1
    names = {
        card.full_name
        for card in (
            floor.customers.lookup_phone(p).matches[0] for p in ("+420731111301", "+420731111302")
        )
    }
    assert names == {"Jiří Řehoř", "Žaneta Ťoupalová"}


def test_the_vicidial_web_standard_format(floor, lead):
    lead_file = read_lead_file(SAMPLES / "leads-vicidial-web.txt")
    assert (lead_file.format, lead_file.delimiter, lead_file.has_header) == (
        FileFormat.VICIDIAL_WEB,
        "\t",
        False,
    )
    report = floor.leads.import_file(lead, lead_file, SURVEY)
    assert report.added == 2 and [r.line for r in report.rejected] == [3]
    marek = floor.customers.lookup_phone("+420731111401").matches[0]
    assert (marek.full_name, marek.street, marek.city, marek.email) == (
        "Marek Holub",
        "Lipová 12",
        "Kolín",
        "marek@example.cz",
    )
    extra = json.loads(leads_of(floor)["+420731111401"].extra)
    assert extra["vendor_lead_code"] == "V001" and extra["comments"] == "volat po 17h"


def test_the_vicidial_command_line_format(floor, lead):
    lead_file = read_lead_file(SAMPLES / "leads-vicidial-cli.txt")
    assert (lead_file.format, lead_file.delimiter) == (FileFormat.VICIDIAL_CLI, "|")
    report = floor.leads.import_file(lead, lead_file, SURVEY)
    assert report.added == 2
    extra = json.loads(leads_of(floor)["+420731111501"].extra)
    assert (extra["status"], extra["called_count"]) == ("B", "2")
    assert extra["multi_alt_entries"] == "731111599_420_work"


def test_the_goautodial_upload_keeps_custom_columns(floor, lead):
    lead_file = read_lead_file(SAMPLES / "leads-goautodial.csv")
    assert lead_file.format == FileFormat.GOAUTODIAL
    report = floor.leads.import_file(lead, lead_file, SURVEY, temperature="warm")
    assert report.added == 2
    extra = json.loads(leads_of(floor)["+420731111601"].extra)
    assert extra["Tarif"] == "MOB-M" and extra["Comments"] == "web order, confirm"


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("iso8859_2", "meno;telefon\nŤažký Ľubomír Žilinský;731111701\n", "Ťažký Ľubomír Žilinský"),
        ("cp1251", "имя;телефон\nИван Петров;731111702\n", "Иван Петров"),
        ("utf-8", "name|phone\nÅsa Öberg|731111703\n", "Åsa Öberg"),
    ],
)
def test_encodings_are_told_apart(floor, lead, tmp_path, encoding, text, expected):
    path = tmp_path / "leads.csv"
    path.write_bytes(text.encode(encoding))
    lead_file = read_lead_file(path)
    assert lead_file.encoding == encoding
    lead_file.remap({lead_file.columns[0]: "name", lead_file.columns[1]: "phone"})
    floor.leads.import_file(lead, lead_file, SURVEY)
    phone = "+420" + text.strip().split("\n")[1][-9:]
    assert floor.customers.lookup_phone(phone).matches[0].full_name == expected


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_delimiter_with_quoted_delimiters_inside(tmp_path, delimiter):
    path = tmp_path / "leads.csv"
    d = delimiter
    path.write_text(f'name{d}phone{d}note\n"Novák{d} Jan"{d}731111801{d}"a{d}b\nc"\n')
    lead_file = read_lead_file(path)
    assert lead_file.delimiter == delimiter
    (row,) = list(lead_file.rows())
    assert row.values == {"name": f"Novák{d} Jan", "phone": "731111801", "note": f"a{d}b\nc"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name;city\nJan;Brno\n", "No column holds the phone"),
        (b"\x00\x01\x02binary", "not a text file"),
        ("名前;電話\n山田太郎;731111999\n".encode("shift_jis"), "Unknown encoding"),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(LeadFileError, match=message):
        read_lead_file(path).check_mapping()


def test_a_mapping_can_be_overridden_and_unknown_targets_are_refused(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("kdo;kam;cislo\nJan;Brno;731111901\n")
    lead_file = read_lead_file(path)
    assert lead_file.mapping == {"cislo": "phone"}
    lead_file.remap({"kdo": "name", "kam": "city", "cislo": "phone"})
    assert lead_file.mapping == {"kdo": "name", "kam": "city", "cislo": "phone"}
    with pytest.raises(LeadFileError, match="Nowhere"):
        lead_file.remap({"kdo": "shoe_size", "cislo": "phone"})
    with pytest.raises(LeadFileError, match="phone"):
        lead_file.remap({"kdo": "name"})


def test_imported_consent_is_recorded_with_its_source(floor, lead):
    floor.leads.import_file(lead, read_lead_file(SAMPLES / "leads-winter.csv"), SALES)
    with floor.db.read() as session:
        (consent,) = session.scalars(select(Consent)).all()
    assert (consent.phone_e164, consent.source) == ("+420731111201", "import")
    assert "leads-winter.csv" in consent.note
