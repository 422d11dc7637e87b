"""Control characters, C1 controls and bidirectional overrides are refused at every input
with a message naming the field (or the script's line); before, a bidi override passed
every field, and a campaign script, a survey's choices, a QA form's questions and an order
field's choices took an ESC as it came."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_terminal.models import OrderKind
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.validation import control_character
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.orders.values import ExtraField
from cc_terminal.services.outbound.campaigns import CampaignDraft, read_script
from cc_terminal.services.outbound.surveys import QuestionView

ESCAPE = "Dobrý den \x1b]2;PWNED\x07"
REFUSED = "A control character (U+{code}) cannot be stored; remove it."


@pytest.mark.parametrize(
    ("value", "code"),
    [("\u202eexe.txt", "202E"), ("a\u2066b", "2066"), ("\x9b2J", "009B"), ("\x1b[2J", "001B")],
)
def test_bidi_overrides_and_c1_controls_are_control_characters(value: str, code: str) -> None:
    assert control_character(value) == f"U+{code}"


def test_a_bidi_override_in_a_name_is_refused_next_to_the_field(ws, jana) -> None:  # type: ignore[no-untyped-def]
    draft = CustomerDraft(
        full_name="Karel \u202eNovák",
        phones="+420777123456",
        street="Nová",
        house_number="1",
        city="Praha",
        postal_code="110 00",
    )
    with pytest.raises(ValidationFailed) as refused:
        ws.customers.create(jana, draft)
    assert refused.value.errors["full_name"] == REFUSED.format(code="202E")


def test_a_script_with_an_escape_is_refused_from_the_form_and_from_a_file(
    ws, lead, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        ws.campaigns.create(lead, CampaignDraft("pruzkum", "Průzkum", "survey", ESCAPE))
    assert refused.value.errors["script"] == REFUSED.format(code="001B")
    script = tmp_path / "script.txt"
    script.write_text(f"Dobrý den,\n{ESCAPE}\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as refused:
        read_script(script)
    assert refused.value.errors["script"] == (
        "Line 2 of the script holds a control character (U+001B); remove it."
    )
    assert ws.campaigns.create(
        lead, CampaignDraft("pruzkum", "Průzkum", "survey", "Dobrý den,\n\tjak se máte?")
    )


def test_survey_choices_qa_questions_and_order_choices_refuse_them(ws, lead) -> None:  # type: ignore[no-untyped-def]
    ws.campaigns.create(lead, CampaignDraft("pruzkum", "Průzkum", "survey"))
    question = QuestionView("q1", "Spokojen?", "choice", choices=("ano", "ne\x1b[2J"))
    with pytest.raises(ValidationFailed) as refused:
        ws.surveys.save_question(lead, "pruzkum", question)
    assert refused.value.errors["choices"] == REFUSED.format(code="001B")
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.save_form(lead, "QA1", "Kvalita", "5 Pozdravil\n3 Ověřil \u202eidentitu")
    assert refused.value.errors["questions"] == (
        "Line 2: a control character (U+202E) cannot be stored; remove it."
    )
    field = ExtraField("patro", "Patro", choices=("přízemí", "1.\x07"))
    with pytest.raises(ValidationFailed) as refused:
        ws.order_setup.save_field(lead, OrderKind.SERVICE, field, True)
    assert refused.value.errors["choices"] == REFUSED.format(code="0007")


def test_an_address_register_row_with_a_control_character_is_rejected_by_its_line() -> None:
    from cc_terminal.services.orders.register_reading import read_points
    from tests.hostile.hostile_files import REGISTER_ROW
    from tests.orders.order_floor import REGISTER_HEADER

    hostile = REGISTER_ROW.replace("Lhota", "Lhota\x1b[2J", 1)
    data = "\r\n".join([REGISTER_HEADER, REGISTER_ROW, hostile, ""]).encode("cp1250")
    points, rejected = read_points("ob.csv", data)
    assert len(points) == 1
    assert rejected == ["ob.csv line 3: municipality holds a control character (U+001B)"]
