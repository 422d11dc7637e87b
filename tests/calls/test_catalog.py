"""The knowledge base: search, lead-only edits, CSV import that reports every bad row."""

import uuid
from datetime import date

import pytest

from cc_terminal.services.calls import catalog
from cc_terminal.services.calls.catalog import ProductItem, parse_price
from cc_terminal.services.common.csv_rows import ImportRejected
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from tests.helpers import count_rows, max_seq, ops_since, rows

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
    assert [row.reason for row in rejected.value.rejected] == [  # each names its field
        "Kind must be one of: product, tariff, service, promotion, material, work, fee.",
        "price 'ten' is not an amount like 399.90.",
        "valid_to: Ends before it starts.",
        "no code in this row",
    ]
    assert count_rows(ws, "product") == before


def test_missing_columns_and_unreadable_files_are_one_message(ws, lead, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("code,name\nA,B\n")
    with pytest.raises(ValidationFailed, match="kind, price, valid_from"):
        ws.catalog.import_csv(lead, path)
    with pytest.raises(ValidationFailed, match="Cannot read"):
        ws.catalog.import_csv(lead, tmp_path / "missing.csv")


def test_an_operator_cannot_edit_the_catalogue(ws, jana, catalogue):
    with pytest.raises(PermissionDenied) as denied:
        ws.catalog.import_csv(jana, catalogue)
    assert str(denied.value) == "Only a team lead edits the catalogue."
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


def item(**changes) -> ProductItem:
    values = dict(
        code="MOB-L",
        name="Mobil L",
        kind="tariff",
        price_minor=79900,
        currency="CZK",
        valid_from=date(2026, 1, 1),
    )
    values.update(changes)
    return ProductItem(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"code": "MOB L"}, {"code": "Code: letters, digits, _ . - only."}),
        ({"code": "", "name": " "}, {"code": "Required.", "name": "Required."}),
        ({"code": "X" * 33}, {"code": "Too long: 33 characters, at most 32."}),
        ({"name": "N" * 121}, {"name": "Too long: 121 characters, at most 120."}),
        (
            {"kind": "gadget"},
            {
                "kind": "Kind must be one of: product, tariff, service, promotion, material, "
                "work, fee."
            },
        ),
        ({"price_minor": -1}, {"price": "A price cannot be negative."}),
        ({"currency": "czk"}, {"currency": "Currency: three capital letters, such as CZK."}),
        ({"currency": "CZKK"}, {"currency": "Currency: three capital letters, such as CZK."}),
        ({"valid_to": date(2025, 12, 31)}, {"valid_to": "Ends before it starts."}),
        (
            {"description": "bell \x07"},
            {"description": "A control character (U+0007) cannot be stored; remove it."},
        ),
    ],
)
def test_a_bad_item_is_refused_field_by_field_and_nothing_is_stored(ws, lead, changes, errors):
    before = count_rows(ws, "product")
    with pytest.raises(ValidationFailed) as failed:
        ws.catalog.save(lead, item(**changes))
    assert failed.value.errors == errors
    assert count_rows(ws, "product") == before


def test_an_item_at_the_edges_is_stored_as_typed_its_code_in_capitals(ws, lead):
    edge = item(
        code=" mob-l.2_x" + "Y" * 22,
        name=" " + "N" * 120 + " ",
        price_minor=0,
        valid_to=date(2026, 1, 1),
        description="  Unlimited calls  ",
    )
    ws.catalog.save(lead, edge)
    [stored] = [i for i in ws.catalog.items() if i.code.startswith("MOB-L")]
    assert stored == ProductItem(
        "MOB-L.2_X" + "Y" * 22,
        "N" * 120,
        "tariff",
        0,
        "CZK",
        date(2026, 1, 1),
        date(2026, 1, 1),
        "Unlimited calls",
    )


def test_the_catalogue_lists_by_kind_then_name(ws, lead):
    ws.catalog.add(
        lead,
        [
            item(code="B", name="Beta", kind="tariff"),
            item(code="A", name="Alpha", kind="tariff"),
            item(code="Z", name="Zeta", kind="product"),
        ],
    )
    listed = [(i.kind, i.name) for i in ws.catalog.items() if i.code in {"A", "B", "Z"}]
    assert listed == [("product", "Zeta"), ("tariff", "Alpha"), ("tariff", "Beta")]


def test_the_re_offers_hear_of_new_and_cheaper_items_only(ws, lead):
    heard: list[tuple[object, list[str]]] = []
    ws.catalog.on_cheaper = lambda actor, codes: heard.append((actor, codes))
    ws.catalog.add(lead, [item(code="NEW-1"), item(code="NEW-2", price_minor=100)])
    ws.catalog.add(
        lead,
        [
            item(code="NEW-1", price_minor=79899),  # cheaper
            item(code="NEW-2", price_minor=100),  # the same price
        ],
    )
    ws.catalog.add(lead, [item(code="NEW-2", price_minor=101)])  # dearer: nobody hears
    assert heard == [(lead, ["NEW-1", "NEW-2"]), (lead, ["NEW-1"])]


def test_a_file_s_rows_say_their_field_and_keep_what_they_lack(ws, lead, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "code,name,kind,price,valid_from,valid_to\n"
        "A-1,One,TARIFF,10,2026-01-01,\n"
        "A-2,Two,tariff,ten,2026-01-01,\n"
        "A-3,Three,tariff,10,someday,\n"
        "A-4,Four,tariff,10,,\n"
        "A-5,Five,tariff,10,2026-01-01,never\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    assert [(row.line, row.reason) for row in rejected.value.rejected] == [
        (3, "price 'ten' is not an amount like 399.90."),
        (4, "valid_from 'someday' is not a date."),
        (5, "no valid_from in this row"),
        (6, "valid_to 'never' is not a date."),
    ]
    path.write_text("code,name,kind,price,valid_from,currency\nA-1,One,TARIFF,10,1.1.2026,eur\n")
    ws.catalog.import_csv(lead, path)
    [one] = [i for i in ws.catalog.items() if i.code == "A-1"]
    assert (one.kind, one.currency, one.description, one.valid_to) == ("tariff", "EUR", "", None)
    path.write_text("code,name,kind,price,valid_from\nA-2,Two,tariff,10,1.1.2026\n")
    ws.catalog.import_csv(lead, path)
    assert [i.currency for i in ws.catalog.items() if i.code == "A-2"] == ["CZK"]


@pytest.mark.parametrize(
    ("text", "minor"),
    [("1\u00a0299", 129900), ("399.90", 39990), ("21474836.47", 2**31 - 1), ("-5", -500)],
)
def test_prices_up_to_the_largest_stored(text, minor):
    assert parse_price(text) == minor


@pytest.mark.parametrize("text", ["21474836.48", "-21474836.48", "Infinity", "1,2,3"])
def test_prices_beyond_the_store_or_not_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_price(text)


def test_search_ranks_the_closest_first_and_forgives_typos_by_word_length(ws, lead):
    ws.catalog.add(
        lead,
        [
            item(code="T-1", name="Tarif Mobil", description="volání"),
            item(code="T-2", name="Mobil Extra", description="roaming"),
            item(code="T-3", name="Datový balíček", description="internet"),
        ],
    )

    def found(text: str) -> list[str]:
        return [i.code for i in ws.catalog.search(text) if i.code.startswith("T-")]

    assert found("mobil") == ["T-2", "T-1"]  # as close: by name
    assert found("mobli") == ["T-2", "T-1"]  # a typo in a word of five letters
    assert found("mobl") == ["T-2", "T-1"]  # one in a word of four
    assert found("raomnig") == ["T-2"]  # two in a word of seven
    assert found("mbli") == []  # two typos in four letters are too many
    assert found("mbl") == []  # three letters must begin a word
    assert found("interent") == ["T-3"]  # two typos in eight letters
    assert found("ixtxrnxt") == []  # three are too many
    assert found("roamnig mobil") == ["T-2"]
    assert found("mobil roamnig") == ["T-2"]
    assert found("volani mobli") == ["T-1"]


def test_a_word_begun_ranks_before_a_word_mistyped_and_names_alike_keep_their_order(ws, lead):
    ws.catalog.add(
        lead,
        [
            item(code="T-1", name="Tarif Mobil"),
            item(code="T-2", name="Mobil Extra"),
            item(code="T-4", name="Nobil"),
            item(code="T-5", name="Duo", kind="product"),
            item(code="T-6", name="Duo", kind="tariff"),
        ],
    )

    def found(text: str) -> list[str]:
        return [i.code for i in ws.catalog.search(text) if i.code.startswith("T-")]

    assert found("mobil") == ["T-2", "T-1", "T-4"]
    assert found("duo") == ["T-5", "T-6"]  # as the catalogue lists them: by kind


def test_an_item_is_on_offer_from_its_first_day_to_its_last(ws, lead, clock):
    today = clock.now.date()
    ws.catalog.add(
        lead,
        [
            item(code="FROM-TODAY", valid_from=today),
            item(code="TO-TODAY", valid_from=date(2026, 1, 1), valid_to=today),
        ],
    )
    assert {i.code for i in ws.catalog.search("")} >= {"FROM-TODAY", "TO-TODAY"}


def test_an_import_is_the_lead_s_audited_write_and_a_code_twice_is_a_bad_row(ws, lead, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        "code,name,kind,price,valid_from\nD-1,One,tariff,10,2026-01-01\n"
        "D-1,Again,tariff,20,2026-01-01\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    assert [row.line for row in rejected.value.rejected] == [3]
    path.write_text("code,name,kind,price,valid_from\nD-1,One,tariff,10,2026-01-01\n")
    before = max_seq(ws)
    ws.catalog.import_csv(lead, path)
    [op] = [op for op in ops_since(ws, before) if op["entity"] == "product"]
    assert uuid.UUID(str(op["actor_id"])) == lead.operator_id
    events = rows(
        ws,
        "SELECT actor_id, kind, subject, detail FROM audit_event WHERE subject = 'catalogue'",
    )
    assert [(uuid.UUID(str(a)), k, d) for a, k, _s, d in events][-1] == (
        lead.operator_id,
        "import",
        "twice.csv: 1 rows",
    )


def test_items_written_in_several_batches_are_all_told_and_no_listener_is_needed(
    ws, lead, clock, monkeypatch
):
    monkeypatch.setattr(catalog, "WRITE_BATCH", 1)
    heard: list[list[str]] = []
    ws.catalog.on_cheaper = lambda _actor, codes: heard.append(codes)
    ws.catalog.add(lead, [item(code="B-1"), item(code="B-2")])
    assert heard == [["B-1", "B-2"]]
    alone = catalog.CatalogService(ws.db, clock)  # nobody listening for cheaper items
    assert alone.add(lead, [item(code="B-3")]) == 1
