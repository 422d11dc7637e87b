"""A campaign's script for one lead: fields filled, a section in [ ] said only when all its
fields have values, a dash for an empty field outside a section; a script that cannot be
read as one is refused when the campaign is saved, and no text ever breaks the filling."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.scripts import fill_script

SALES = "Dobrý den, {name}. [Minule jsme mluvili o {last_offer} ({last_refusal}). ]Mohu?"


def test_a_section_is_said_only_when_all_its_fields_have_values():
    assert fill_script(SALES, {"name": "Eva"}) == "Dobrý den, Eva. Mohu?"
    half = {"name": "Eva", "last_offer": "Mobil S", "last_refusal": ""}
    assert fill_script(SALES, half) == "Dobrý den, Eva. Mohu?"
    whole = {**half, "last_refusal": "drahé"}
    assert fill_script(SALES, whole) == (
        "Dobrý den, Eva. Minule jsme mluvili o Mobil S (drahé). Mohu?"
    )


def test_a_field_outside_a_section_with_no_value_shows_a_dash():
    assert fill_script("Tarif {product} za {price}.", {"product": "Mobil M"}) == (
        "Tarif Mobil M za —."
    )
    assert fill_script("[Bez polí.] Dál.", {}) == "Bez polí. Dál."


@pytest.mark.parametrize("script", ["Dobrý den [{name}", "Dobrý den {name}]", "[a [{name}] b]"])
def test_a_bracket_without_its_pair_is_refused_on_save(floor, lead, script):
    draft = CampaignDraft("novy", "Nový", "informational", script, "", max_attempts=3)
    with pytest.raises(ValidationFailed) as failed:
        floor.campaigns.create(lead, draft)
    assert failed.value.errors["script"] == (
        "A [ without its ] (or one inside another): sections do not nest."
    )


@given(st.text(max_size=80), st.dictionaries(st.sampled_from(["name", "x", "y"]), st.text()))
def test_no_script_and_no_values_break_the_filling(script, values):
    assert isinstance(fill_script(script, values), str)
