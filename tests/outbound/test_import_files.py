"""Imports that must not give up on a file or lose its data (issue 19, item 5): Excel's
"Unicode text", a damaged row, a quoted line break, VICIdial's international phone codes,
a 10 MB value, what was cut or cleaned, a file with nothing to import, and reasons that
speak of the file's row. Through the services on SQLite and PostgreSQL, and the CLI."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import Lead, LeadList, ListKind
from cc_terminal.screens.outbound.lead_import import LeadImportScreen
from cc_terminal.services.common.csv_rows import ImportRejected
from cc_terminal.services.outbound.lead_files import GOAUTODIAL, FileFormat, read_lead_file
from cc_terminal.widgets.form_field import FormField
from tests.cli_run import cli
from tests.conftest import login
from tests.helpers import rows
from tests.outbound.outbound_floor import SALES, SURVEY, set_up_campaigns
from tests.tui import SIZE, make_app, settle, sign_in, type_text

ADDRESS_HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód obvodu Prahy;Název obvodu Prahy;"
    "Kód části obce;Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;"
    "Číslo orientační;Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
EXCEL_TEXT = (  # what Excel's "Unicode text" holds: tabs, CRLF, a quoted two-line note
    "Jméno\tPříjmení\tTelefon\tPoznámka\r\n"
    'Jiří\tNovák\t731 111 801\t"volat\r\nodpoledne"\r\n'
    "Eva\tMalá\t731111802\t\r\n"
    "Petr\tŠpatný\t12345\tšpatné číslo\r\n"
)


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws


def stored_leads(ws) -> dict[str, Lead]:
    with ws.db.read() as session:
        return {row.phone_e164: row for row in session.scalars(select(Lead))}


def write(tmp_path: Path, data: bytes | str, name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def reasons(report) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in report.rejected]


def refused(import_csv, *args) -> list[tuple[int, str]]:
    """The rows an all-or-nothing import (the catalogue, a list) rejected."""
    with pytest.raises(ImportRejected) as rejected:
        import_csv(*args)
    return [(r.line, r.reason) for r in rejected.value.rejected]


@pytest.mark.parametrize(
    ("bom", "codec", "named"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-8"],
)
def test_excel_unicode_text_is_read_by_its_byte_order_mark(
    floor, lead, tmp_path, bom, codec, named
):
    path = write(tmp_path, bom + EXCEL_TEXT.encode(codec), "leads.txt")
    lead_file = read_lead_file(path)
    assert (lead_file.format, lead_file.encoding, lead_file.delimiter) == (
        FileFormat.CSV,
        named,
        "\t",
    )
    report = floor.leads.import_file(lead, lead_file, SALES)
    assert report.added == 2
    # the note's line break is kept, and the rejected row has its physical line (5, not 4)
    assert [(line, reason.split(":")[0]) for line, reason in reasons(report)] == [
        (5, "phone “12345”")
    ]
    leads = stored_leads(floor)
    assert json.loads(leads["+420731111801"].extra) == {"Poznámka": "volat\nodpoledne"}
    card = floor.customers.lookup_phone("+420731111802").matches[0]
    assert card.full_name == "Eva Malá"


def test_the_catalogue_reads_excel_unicode_text_too(ws, lead, tmp_path):
    text = "code\tname\tkind\tprice\tvalid_from\r\nX-1\tTarif Ž\ttariff\t399\t2026-01-01\r\n"
    path = write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "catalogue.txt")
    assert ws.catalog.import_csv(lead, path) == 1
    assert rows(ws, "SELECT name FROM product WHERE code = 'X-1'") == [("Tarif Ž",)]


def test_a_row_with_a_nul_byte_is_rejected_and_the_rest_imported(floor, lead, tmp_path):
    path = write(tmp_path, b"name;phone\nJan Mach;731111811\nE\x00va;731111812\nOla;731111813\n")
    report = floor.leads.import_file(lead, read_lead_file(path), SURVEY)
    assert report.added == 2
    assert reasons(report) == [(3, "a NUL byte in this row (the file is damaged here)")]
    assert set(stored_leads(floor)) == {"+420731111811", "+420731111813"}


def test_the_address_register_rejects_a_damaged_row_and_keeps_the_others(ws, lead, tmp_path):
    data = (
        ADDRESS_HEADER + "\r\n"
        "45678901;500011;Lhota;;;;;1;Lhota;;Polní;č.p.;1;;;25001;;;\r\n"
        "45678902;500011;Lhota;;;;;1;Lhota;;Po\x00lní;č.p.;2;;;25001;;;\r\n"
        "45678903;500011;Lhota;;;;;1;Lhota;;Polní;č.p.;3;;;25001;;;\r\n"
    ).encode("cp1250")
    report = ws.register.import_files(lead, [write(tmp_path, data, "20261101_OB_500011_ADR.csv")])
    assert report.points == 2
    assert report.rejected == [
        "20261101_OB_500011_ADR.csv line 3: a NUL byte in this row (the file is damaged here)"
    ]


def test_line_numbers_are_the_files_lines_after_a_quoted_line_break(floor, lead, tmp_path):
    text = 'name,phone,note\nJan,731111841,"one\ntwo\nthree"\nEva,,\nOla,731111842,"a\r\nb"\n'
    report = floor.leads.import_file(lead, read_lead_file(write(tmp_path, text)), SURVEY)
    assert reasons(report) == [(5, "no phone number in this row")]
    extra = {phone: json.loads(lead.extra) for phone, lead in stored_leads(floor).items()}
    assert extra == {
        "+420731111841": {"note": "one\ntwo\nthree"},
        "+420731111842": {"note": "a\nb"},
    }


def test_vicidial_phone_codes_with_the_international_prefix(floor, lead, tmp_path):
    def line(code: str, number: str) -> str:  # the command-line format's 27 fields
        return (
            f"3857822|31022|105|{code}|{number}|MRS|B||BURTON|249 MUNDON ROAD|MALDON|ESSEX|||"
            "|CM9 6PW|UK||||||COMMENTS|2|B|2007-08-09 00:00:00|7275551212_1_work\n"
        )

    codes = {"01144": "1625551212", "0044": "1625551213", "+44": "1625551214", "44": "1625551215"}
    text = "".join(line(code, number) for code, number in codes.items())
    lead_file = read_lead_file(write(tmp_path, text, "vicidial.txt"))
    assert lead_file.format == FileFormat.VICIDIAL_CLI
    report = floor.leads.import_file(lead, lead_file, SURVEY)
    assert (report.added, report.rejected) == (4, [])
    assert set(stored_leads(floor)) == {f"+44{number}" for number in codes.values()}


@pytest.mark.parametrize("quoted", [True, False])
def test_a_10_mb_value_is_one_rejected_row_and_the_rest_imported(floor, lead, tmp_path, quoted):
    huge = '"' + "x" * 5_000_000 + "\n" + "y" * 5_000_000 + '"' if quoted else "x" * 10_000_000
    text = f"name,phone,note\nJan,731111851,ok\nEva,731111852,{huge}\nOla,731111853,ok\n"
    report = floor.leads.import_file(lead, read_lead_file(write(tmp_path, text)), SURVEY)
    assert report.added == 2
    assert reasons(report) == [(3, "a value in this row is longer than 131072 characters")]
    assert set(stored_leads(floor)) == {"+420731111851", "+420731111853"}
    after = f"name,phone\nEva,{huge}\nEva,731111854\nx,12\n"
    again = floor.leads.import_file(lead, read_lead_file(write(tmp_path, after)), SURVEY)
    last = 5 if quoted else 4  # the row after the value has the file's line number
    assert [line for line, _reason in reasons(again)] == [2, last]


def test_the_catalogue_reports_rows_after_a_10_mb_value_too(ws, lead, tmp_path):
    head = "code,name,kind,price,valid_from,description\n"
    huge = '"' + "x\n" * 5_000_000 + '"'
    text = (
        head + f"X-1,A,tariff,399,2026-01-01,{huge}\n"
        "X-2,B,tariff,399,2026-01-01,\nX-2,C,tariff,399,2026-01-01,\n"
    )
    assert refused(ws.catalog.import_csv, lead, write(tmp_path, text)) == [
        (2, "a value in this row is longer than 131072 characters"),
        (5_000_004, "code X-2 is already on line 5000003"),
    ]


def test_what_was_cut_or_cleaned_is_reported_as_warnings(floor, lead, tmp_path):
    text = (
        "first name;last name;phone;note;city\n"
        f"{'Dlouhé jméno ' * 800};;731111861;;Brno\n"
        "Eva\x07;Malá;731111862;ok\x1b[31m;\n"
        "Ola;;731111863;;" + "Kolín" * 20 + "\n"
    )
    report = floor.leads.import_file(lead, read_lead_file(write(tmp_path, text)), SURVEY)
    assert report.added == 3
    assert [(r.line, r.reason) for r in report.warnings] == [
        (2, "name cut to 120 characters (it had 10399)"),
        (3, "control characters removed from first name, note"),
        (4, "city cut to 80 characters (it had 100)"),
    ]
    summary, *noted = report.lines()
    assert summary.endswith("rejected: 0. Stored with changes: 3 (warnings below).")
    assert "line 3: control characters removed from first name, note" in noted
    eva = floor.customers.lookup_phone("+420731111862").matches[0]
    assert eva.full_name == "Eva Malá"
    assert json.loads(stored_leads(floor)["+420731111862"].extra) == {"note": "ok[31m"}
    long = floor.customers.lookup_phone("+420731111861").matches[0]
    assert len(long.full_name) <= 120 and long.full_name.startswith("Dlouhé jméno")


def test_an_import_that_rejects_every_row_makes_no_list(floor, lead, tmp_path):
    path = write(tmp_path, "name;phone\nJan;12345\nEva;\n", "nothing.csv")
    report = floor.leads.import_file(lead, read_lead_file(path), SURVEY, "Nothing")
    assert (report.added, len(report.rejected), report.no_list) == (0, 2, True)
    assert "No list was made: no row could be added." in report.lines()[0]
    with floor.db.read() as session:
        assert session.scalars(select(LeadList).where(LeadList.name == "Nothing")).all() == []
    good = write(tmp_path, "name;phone\nJan;731111871\n", "good.csv")
    made = floor.leads.import_file(lead, read_lead_file(good), SURVEY, "Nothing")
    assert (made.added, made.no_list) == (1, False)
    again = floor.leads.import_file(lead, read_lead_file(good), SURVEY, "Nothing")
    assert (again.already_in_campaign, again.no_list) == (1, False)  # the list is there


def test_rejections_speak_of_the_files_row(floor, lead, tmp_path):
    header = ",".join(GOAUTODIAL)
    empty = "," * (len(GOAUTODIAL) - 1)
    text = f"{header}\n{empty[:1]}G1{empty[1:]}\n731111881{empty}\n"
    report = floor.leads.import_file(lead, read_lead_file(write(tmp_path, text)), SURVEY)
    assert report.added == 1
    assert reasons(report) == [(2, "no phone number in this row")]
    mail = "a" * 250 + "@x.cz"
    other = f"name;phone;email\nJan;abc;\nEva;{'9' * 50};\nOla;731111882;{mail}\n"
    report = floor.leads.import_file(lead, read_lead_file(write(tmp_path, other)), SURVEY)
    assert reasons(report) == [
        (2, "phone “abc”: Not a phone number: it must contain digits."),
        (3, f"phone “{'9' * 40}…”: Too long for a phone number."),
        (4, "the e-mail has 255 characters, more than 254"),
    ]


def test_catalogue_and_list_rejections_speak_of_the_files_row(ws, lead, tmp_path):
    catalogue = (
        "code,name,kind,price,valid_from,valid_to\n"
        "X-1,,tariff,399,2026-01-01,\n"
        "X-2,Eva \x1b,tariff,399,2026-01-01,\n"
        f"X-3,{'n' * 130},tariff,399,2026-01-01,\n"
        "X-4,Tarif,tariff,399,2026-02-01,2026-01-01\n"
        "X-5,Tarif,tariff,399,,\n"
    )
    assert refused(ws.catalog.import_csv, lead, write(tmp_path, catalogue)) == [
        (2, "no name in this row"),
        (3, "name holds a control character (U+001B)"),
        (4, "name has 130 characters, at most 120"),
        (5, "valid_to: Ends before it starts."),
        (6, "no valid_from in this row"),
    ]
    lists = write(tmp_path, "code,label\nnew_one,\n", "reasons.csv")
    assert refused(ws.reference.import_csv, lead, ListKind.REFUSAL_REASON, lists) == [
        (2, "no label in this row")
    ]


def test_the_cli_says_one_line_for_an_unusable_file_and_reports_the_rest(tmp_path):
    data = tmp_path
    cli(data, "init", "--password-stdin", stdin="lead-pass-1\n")
    campaign = ("campaign", "add", "pruzkum", "--name", "P", "--kind", "survey")
    cli(data, *campaign, "--password-stdin", stdin="lead-pass-1\n")

    def leads_import(path: Path):
        args = ("leads", "import", str(path), "--campaign", "pruzkum", "--password-stdin")
        return cli(data, *args, stdin="lead-pass-1\n")

    workbook = leads_import(write(tmp_path, b"PK\x03\x04\x14\x00\x06\x00rest", "leads.xlsx"))
    assert (workbook.returncode, workbook.stdout) == (1, "")
    assert workbook.stderr.strip().splitlines() == [
        "cc-terminal: This is a zip or an Excel workbook: save it as CSV or Unicode text."
    ]
    excel = write(tmp_path, codecs.BOM_UTF16_LE + EXCEL_TEXT.encode("utf-16-le"), "leads.txt")
    imported = leads_import(excel)
    assert imported.returncode == 0, imported.stderr
    assert "leads.txt: CSV/TSV with a header, utf-16." in imported.stdout
    assert "leads added: 2" in imported.stdout and "line 5: phone “12345”" in imported.stdout
    nothing = leads_import(write(tmp_path, "name;phone\nJan;12345\n\nEva;\n", "nothing.csv"))
    assert nothing.returncode == 1, nothing.stderr
    assert "No list was made" in nothing.stdout
    assert "line 4: no phone number in this row" in nothing.stdout


async def test_the_import_screen_shows_a_files_brackets_as_text(sqlite_url, tmp_path, clock):
    """Column names and rejected values are the file's text: "[/b]" is shown, not parsed
    as markup (that raised MarkupError and lost the report)."""
    text = "Jméno\tTelefon\tPoznámka [/b]\r\nJan\t[/x]\tok\r\nEva\t731111891\t\r\n"
    path = write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "leads.txt")
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        ws = app.require_services()
        set_up_campaigns(ws, login(ws, "lead"))
        await pilot.press("f10", "7")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, LeadImportScreen)
        await type_text(pilot, str(path))
        await pilot.press("ctrl+r")
        await settle(pilot)
        found = str(app.screen.query_one("#import-found").content)
        assert "utf-16; separated by tab" in found
        assert app.screen.query_one("#map-2-field", FormField).label == "Poznámka [/b]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        report = str(app.screen.query_one("#import-report").content)
        assert "leads added: 1" in report
        assert "line 2: phone “[/x]”: Not a phone number: it must contain digits." in report
