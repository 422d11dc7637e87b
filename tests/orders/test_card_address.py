"""The caller's address as their card holds it, found in the register for an order's form
(both databases): one point named, or nothing offered."""

from pathlib import Path

import pytest

from cc_terminal.services.orders.card_address import register_address
from tests.orders.order_floor import (
    ELEKTRARNY_9,
    ELEKTRARNY_20,
    MIRU_820,
    REGISTER_HEADER,
    alike_files,
)

CARD = {"street": "U Elektrárny", "house_number": "9", "postal_code": "170 00", "city": "Praha"}


def test_the_card_naming_one_point_offers_it_as_the_register_writes_it(floor):
    found = register_address(floor.addresses, CARD)
    assert found is not None and found.code == ELEKTRARNY_9
    assert found.text == "U Elektrárny 9/10a, 170 00 Praha 7 - Holešovice"
    assert found.override_reason == ""


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"street": "u elektrarny"}, ELEKTRARNY_9),  # as the card may spell it
        ({"house_number": "20"}, ELEKTRARNY_20),
        ({"postal_code": ""}, ELEKTRARNY_9),  # a card without a postal code
        ({"street": "Náměstí Míru", "house_number": "820", "postal_code": "12000"}, MIRU_820),
    ],
)
def test_the_card_s_spelling_and_missing_postal_code_still_find_the_point(floor, changes, code):
    found = register_address(floor.addresses, {**CARD, **changes})
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "changes",
    [
        {"street": ""},  # a part missing
        {"city": ""},
        {"house_number": ""},
        {"house_number": "16"},  # not on the street
        {"house_number": "9 patro"},  # not a house number
        {"postal_code": "11000"},  # another town's postal code
        {"street": "U Elektrárny ve stínu"},  # a street of another name
        {"city": "Prah"},  # only the beginning of a town's name
    ],
)
def test_a_card_naming_no_point_offers_nothing(floor, changes):
    assert register_address(floor.addresses, {**CARD, **changes}) is None


@pytest.fixture
def towns_alike(floor, lead, tmp_path):
    floor.register.import_files(lead, alike_files(tmp_path))
    return floor


def test_a_number_of_the_other_series_is_never_offered_on_its_own(towns_alike):
    card = {"street": "U Chat", "house_number": "12", "postal_code": "", "city": "Milovice"}
    assert register_address(towns_alike.addresses, card) is None  # only ev. 12 is there
    found = register_address(towns_alike.addresses, {**card, "house_number": "ev. 12"})
    assert found is not None and found.text.startswith("U Chat ev. 12,")


def test_a_number_without_a_letter_is_the_exact_point_not_the_lettered_one(towns_alike):
    card = {"street": "Náměstí Míru", "house_number": "3", "postal_code": "", "city": "Milovice"}
    found = register_address(towns_alike.addresses, card)
    assert found is not None and found.text.startswith("Náměstí Míru 1254/3,")


@pytest.mark.parametrize(("postal_code", "found"), [("", False), ("27301", True)])
def test_towns_of_one_name_are_told_apart_by_the_postal_code_or_not_at_all(
    towns_alike, postal_code, found
):
    card = {"street": "Lhota", "house_number": "1", "postal_code": postal_code, "city": "Lhota"}
    assert (register_address(towns_alike.addresses, card) is not None) is found


@pytest.mark.parametrize("missing", ["city", "street", "house_number"])
def test_a_card_without_a_part_at_all_offers_nothing(floor, missing):
    card = {name: value for name, value in CARD.items() if name != missing}
    assert register_address(floor.addresses, card) is None


def test_a_card_without_a_postal_code_at_all_still_finds_the_point(floor):
    card = {name: value for name, value in CARD.items() if name != "postal_code"}
    found = register_address(floor.addresses, card)
    assert found is not None and found.code == ELEKTRARNY_9


def register_files(folder: Path, towns: dict[tuple[int, str], list[tuple[str, int]]]) -> list[Path]:
    """One register file a town: each (code, name) with its (street, number) points."""
    paths = []
    point = 900000
    for (code, name), streets in towns.items():
        rows = []
        for street, number in streets:
            point += 1
            rows.append(
                f"{point};{code};{name};;;;;{code};{name};{point};{street};č.p.;{number};;;29001;;;"
            )
        path = folder / f"20261101_OB_{code}_ADR.csv"
        path.write_bytes("\r\n".join([REGISTER_HEADER, *rows, ""]).encode("cp1250"))
        paths.append(path)
    return paths


# The exact town after `bigger` larger towns whose names begin as its does: the first 20
# towns of the name are searched, and a town beyond them is not offered.
@pytest.mark.parametrize(("bigger", "found"), [(19, True), (20, False)])
def test_the_card_s_town_is_found_among_the_twenty_largest_of_names_alike(
    floor, lead, tmp_path, bigger, found
):
    towns = {
        (600000 + n, f"Nová Ves {n:02d}"): [("Hlavní", 1), ("Hlavní", 2)] for n in range(bigger)
    }
    towns[(600100, "Nová Ves")] = [("Hlavní", 1)]
    floor.register.import_files(lead, register_files(tmp_path, towns))
    card = {"street": "Hlavní", "house_number": "1", "postal_code": "", "city": "Nová Ves"}
    point = register_address(floor.addresses, card)
    assert (point is not None and point.text.endswith("Nová Ves")) is found


# The same for the town's streets: the first 20 whose words begin as the card's do.
@pytest.mark.parametrize(("before", "found"), [(19, True), (20, False)])
def test_the_card_s_street_is_found_among_the_first_twenty_of_names_alike(
    floor, lead, tmp_path, before, found
):
    streets = [(f"U Zahradní {n:02d}", 1) for n in range(before)] + [("Zahradní", 7)]
    floor.register.import_files(lead, register_files(tmp_path, {(600200, "Zahrádky"): streets}))
    card = {"street": "Zahradní", "house_number": "7", "postal_code": "", "city": "Zahrádky"}
    point = register_address(floor.addresses, card)
    assert (point is not None and point.text.startswith("Zahradní 7,")) is found
