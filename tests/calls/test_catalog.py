"""The knowledge base: search, lead-only edits, CSV import that reports every bad row."""

from datetime import date

import pytest

from cc_terminal.services.calls.catalog import ProductItem, parse_price
from cc_terminal.services.common.csv_rows import ImportRejected
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from tests.helpers import count_rows

GOOD_CSV = """code;name;kind;price;currency;valid_from;valid_to;description
MOB-S;Mobil S;tariff;399,00;CZK;1.1.2026;;3 GB dat, neomezené volání
NET-1000;Internet 1 Gb/s;tariff;699.00;CZK;2026-01-01;;Optika do domu
PROMO-X;Vánoční sleva;promotion;0;CZK;2026-12-01;2026-12-31;Poloviční cena na 3 měsíce
"""


@pytest.fixture
def catalogue(ws, lead, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    assert ws.catalog.import_csv(lead, path) == 3
    return path


def test_import_reads_czech_and_iso_dates_and_decimal_commas(ws, catalogue):
    items = {item.code: item for item in ws.catalog.items()}
    assert items["MOB-S"].price_minor == 39900
    assert items["MOB-S"].valid_from == date(2026, 1, 1)
    assert items["PROMO-X"].valid_to == date(2026, 12, 31)


def test_search_tolerates_typos_and_diacritics_and_hides_what_is_not_valid_today(ws, catalogue):
    assert [i.code for i in ws.catalog.search("optika do domu")] == ["NET-1000"]
    assert [i.code for i in ws.catalog.search("3 GB neomezene voláni")] == ["MOB-S"]
    assert [i.code for i in ws.catalog.search("intrenet 1 gb")] == ["NET-1000"]
    assert "PROMO-X" not in [i.code for i in ws.catalog.search("")]  # starts in December
    assert [i.code for i in ws.catalog.search("vanocni", current_only=False)] == ["PROMO-X"]


def test_a_second_import_changes_items_by_code(ws, lead, catalogue, tmp_path):
    path = tmp_path / "update.csv"
    path.write_text("code,name,kind,price,valid_from\nMOB-S,Mobil S+,tariff,349,2026-01-01\n")
    ws.catalog.import_csv(lead, path)
    items = {item.code: item for item in ws.catalog.items()}
    assert (items["MOB-S"].name, items["MOB-S"].price_minor) == ("Mobil S+", 34900)
    assert items["NET-1000"].name == "Internet 1 Gb/s"  # untouched


def test_every_bad_row_is_reported_and_nothing_is_imported(ws, lead, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,kind,price,valid_from,valid_to\n"
        "OK-1,Fine,tariff,10,2026-01-01,\n"
        "BAD-KIND,Thing,gadget,10,2026-01-01,\n"
        "BAD-PRICE,Thing,tariff,ten,2026-01-01,\n"
        "BAD-DATES,Thing,tariff,10,2026-02-01,2026-01-01\n"
        ",No code,tariff,10,2026-01-01,\n"
    )
    before = count_rows(ws, "product")
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    assert [row.line for row in rejected.value.rejected] == [3, 4, 5, 6]
    assert "Kind must be one of" in rejected.value.rejected[0].reason
    assert count_rows(ws, "product") == before


def test_missing_columns_and_unreadable_files_are_one_message(ws, lead, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("code,name\nA,B\n")
    with pytest.raises(ValidationFailed, match="kind, price, valid_from"):
        ws.catalog.import_csv(lead, path)
    with pytest.raises(ValidationFailed, match="Cannot read"):
        ws.catalog.import_csv(lead, tmp_path / "missing.csv")


def test_an_operator_cannot_edit_the_catalogue(ws, jana, catalogue):
    with pytest.raises(PermissionDenied):
        ws.catalog.import_csv(jana, catalogue)
    with pytest.raises(PermissionDenied):
        ws.catalog.save(jana, ProductItem("X", "X", "tariff", 1, "CZK", date(2026, 1, 1)))


@pytest.mark.parametrize(
    ("text", "minor"), [("399", 39900), ("399,9", 39990), ("1 299.50", 129950)]
)
def test_prices_read_as_people_write_them(text, minor):
    assert parse_price(text) == minor


@pytest.mark.parametrize("text", ["", "ten", "1.999", "NaN"])
def test_prices_that_are_not_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_price(text)
