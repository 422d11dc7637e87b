"""Finding a caller by a fragment of name, address or e-mail, on SQLite and PostgreSQL."""

import pytest

from cc_terminal.folding import fold
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.store.search_index import customer_terms


def names(hits):
    return [hit.full_name for hit in hits]


def test_folding_drops_diacritics_case_and_punctuation():
    assert fold("Dvořáková-Šťastná, Ústí n/L") == "dvorakova stastna usti n l"


def test_terms_cover_name_address_postal_code_and_email_parts():
    terms = customer_terms(
        {
            "full_name": "Jan Novák",
            "street": "Dlouhá",
            "house_number": "12",
            "city": "Praha",
            "postal_code": "110 00",
            "email": "jan.novak@example.cz",
        }
    )
    assert {"jan", "novak", "dlouha", "12", "praha", "11000", "example", "cz"} <= terms


def test_missing_diacritics_find_the_customer(ws, jana):
    ws.customers.create(
        jana,
        CustomerDraft(
            full_name="Alena Dvořáková",
            phones="777 000 111",
            street="Jiráskova",
            house_number="5",
            city="Plzeň",
        ),
    )
    hits = ws.search.search("Dvorakova")
    assert names(hits) == ["Alena Dvořáková"]
    assert hits[0].city == "Plzeň" and hits[0].street_line == "Jiráskova 5"
    assert hits[0].phone == "+420 777 000 111"


def test_a_typo_still_finds_the_customer_but_ranks_below_exact_matches(ws, jana):
    ws.customers.create(
        jana, CustomerDraft(full_name="Alena Dvořáková", phones="777 000 111", city="Plzeň")
    )
    assert names(ws.search.search("Dvorakva")) == ["Alena Dvořáková"]
    assert names(ws.search.search("alena dvorakova plzne")) == ["Alena Dvořáková"]
    ws.customers.create(
        jana, CustomerDraft(full_name="Jan Nosák", phones="777 000 222", city="Praha")
    )
    hits = ws.search.search("novak")
    assert names(hits)[-1] == "Jan Nosák" and not hits[-1].exact
    assert {"Jan Novák", "Josef Novák", "Marie Nováková"} == set(names(hits)[:-1])


def test_two_jan_novaks_are_told_apart_by_city_and_last_contact(ws, jana):
    ws.customers.create(
        jana,
        CustomerDraft(
            full_name="Jan Novák",
            phones="777 000 222",
            street="Polní",
            house_number="1",
            city="Ostrava",
        ),
    )
    hits = ws.search.search("jan novak")
    assert sorted((hit.full_name, hit.city) for hit in hits) == [
        ("Jan Novák", "Ostrava"),
        ("Jan Novák", "Praha"),
    ]


def test_every_word_must_match_and_a_prefix_is_enough(ws):
    assert names(ws.search.search("josef brno")) == ["Josef Novák"]
    assert names(ws.search.search("novak praha")) == ["Jan Novák"]
    assert sorted(names(ws.search.search("nov krat"))) == ["Josef Novák", "Marie Nováková"]


def test_email_fragment_and_postal_code_find_the_customer(ws):
    assert names(ws.search.search("jan.novak@")) == ["Jan Novák"]
    assert names(ws.search.search("110 00")) == ["Jan Novák"]


def test_an_edited_customer_is_found_by_the_new_name_only(ws, jana):
    card = ws.customers.create(
        jana, CustomerDraft(full_name="Eva Malá", phones="777 000 333", city="Kolín")
    )
    renamed = CustomerDraft(full_name="Eva Velká")  # the town is not named: it stays
    ws.customers.update(jana, card.id, renamed, card.version)
    assert names(ws.search.search("velka kolin")) == ["Eva Velká"]
    assert ws.search.search("mala kolin") == ()


def test_a_customer_added_on_another_terminal_is_found(ws, jana, settings, clock):
    from cc_terminal.services.workstation import open_workstation

    ws.search.search("praha")  # this terminal has read the vocabulary
    other = open_workstation(settings, clock=clock)
    try:
        other.customers.create(
            jana, CustomerDraft(full_name="Zdeňka Šťastná", phones="777 000 444", city="Tábor")
        )
    finally:
        other.close()
    assert names(ws.search.search("stastna tabor")) == ["Zdeňka Šťastná"]


@pytest.mark.parametrize("typed", ["", "  ", "-"])
def test_nothing_searchable_is_a_field_error(ws, typed):
    with pytest.raises(ValidationFailed) as failed:
        ws.search.search(typed)
    assert "search" in failed.value.errors


def test_no_match_is_an_empty_result(ws):
    assert ws.search.search("Xylofonová Quedlinburg") == ()


@pytest.mark.parametrize("cap", [0, 1, 2])
def test_words_too_common_to_read_whole_still_narrow_the_search(ws, cap):
    from cc_terminal.services.calls.search import CustomerSearch

    search = CustomerSearch(ws.db, read_whole=cap)  # every word counts as very common
    assert names(search.search("josef brno")) == ["Josef Novák"]
    assert sorted(names(search.search("novak kratka"))) == ["Josef Novák", "Marie Nováková"]
    assert names(search.search("jan novak praha 12")) == ["Jan Novák"]


def test_every_term_counts_its_customers_through_edits(ws, jana):
    from sqlalchemy import text

    card = ws.customers.create(
        jana, CustomerDraft(full_name="Eva Malá", phones="777 000 333", city="Kolín")
    )
    ws.customers.update(
        jana,
        card.id,
        CustomerDraft(full_name="Eva Velká", phones="777 000 333", city="Kolín"),
        card.version,
    )
    with ws.db.engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT term, customers FROM search_term")).all())
        actual = dict(
            connection.execute(
                text(
                    "SELECT t.term, count(ct.customer_id) FROM search_term t "
                    "LEFT JOIN customer_term ct ON ct.term_id = t.id GROUP BY t.term"
                )
            ).all()
        )
    assert stored == actual
    assert stored["mala"] == 0 and stored["velka"] == 1 and stored["novak"] == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a", "at least two letters"),
        ("%_'\\", "at least two letters"),
        (" ".join(f"slovo{n}" for n in range(30)), "at most 8 words"),
    ],
)
def test_bad_searches_say_what_to_type(ws, typed, message):
    with pytest.raises(ValidationFailed) as failed:
        ws.search.search(typed)
    assert message in failed.value.errors["search"]


def test_ten_thousand_characters_are_cut_to_the_field(ws):
    assert ws.search.search("x" * 10_000) == ()
    with pytest.raises(ValidationFailed, match="at most 8 words"):
        ws.search.search("novak " + "brno " * 2000)


def test_a_search_stops_when_a_newer_one_replaces_it(ws):
    from cc_terminal.services.calls.search import SearchStopped

    calls = []

    def stop():
        calls.append(1)
        if len(calls) > 1:
            raise SearchStopped

    with pytest.raises(SearchStopped):
        ws.search.search("josef brno", stop=stop)
