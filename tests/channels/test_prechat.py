"""The visitor's pre-chat form field by field (services/channels/prechat.py), on both
databases: a name's spaces are tidied but a tab or a line break in it is refused by its
code, a name and an e-mail address at their longest are taken and one character more is
refused, a phone number is made E.164, each problem is said under its own field in the
visitor's language, and a language the widget does not speak falls back to Czech."""

from __future__ import annotations

import pytest

from cc_terminal import limits
from cc_terminal.i18n import translated
from cc_terminal.services.channels import prechat
from cc_terminal.services.common.errors import ValidationFailed
from tests.channels.conftest import form

WRONG = "That is neither an e-mail address nor a phone number we can call."


def checked(ws, **changes: object) -> prechat.CheckedForm:
    with ws.db.read() as session:
        return prechat.checked(session, form(**changes), "CZ")


def problems(ws, **changes: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        checked(ws, **changes)
    return refused.value.errors


def control(code: str) -> str:
    return f"A control character ({code}) cannot be sent; remove it."


def test_a_name_is_tidied_and_checked(ws):
    assert checked(ws, name="  Eva   Malá ").name == "Eva Malá"
    assert problems(ws, name="Eva\tMalá") == {"name": control("U+0009")}
    assert problems(ws, name="Eva\nMalá") == {"name": control("U+000A")}
    assert problems(ws, name="Eva\x1b[31mMalá") == {"name": control("U+001B")}
    assert problems(ws, name="   ") == {"name": "Tell us your name."}
    longest = "E" * limits.FULL_NAME
    assert checked(ws, name=longest).name == longest
    assert problems(ws, name=longest + "x") == {
        "name": f"A name of at most {limits.FULL_NAME} characters, please."
    }


def test_a_contact_is_an_address_or_a_number(ws):
    by_mail = checked(ws, contact=" eva.mala@example.cz ")
    assert (by_mail.contact, by_mail.is_phone) == ("eva.mala@example.cz", False)
    by_phone = checked(ws, contact="601 123 456")
    assert (by_phone.contact, by_phone.is_phone) == ("+420601123456", True)
    domain = "@example.cz"
    longest = "e" * (limits.EMAIL - len(domain)) + domain
    assert checked(ws, contact=longest).contact == longest
    assert problems(ws, contact="e" + longest) == {"contact": WRONG}
    assert problems(ws, contact="eva@example") == {"contact": WRONG}
    assert problems(ws, contact="12") == {"contact": WRONG}
    assert problems(ws, contact="eva\t@example.cz") == {"contact": control("U+0009")}
    assert problems(ws, contact="") == {"contact": "Give an e-mail address or a phone number."}


def test_every_problem_at_once_in_the_visitors_language(ws):
    said = problems(ws, name="", contact="x", topic="no-such-topic", consent=False, language="cs")
    assert said == {
        "name": translated("cs", "Tell us your name."),
        "contact": translated("cs", WRONG),
        "topic": translated("cs", "Choose a topic from the list."),
        "consent": translated("cs", "Please accept the privacy notice first."),
    }
    assert said["name"] != "Tell us your name."  # the catalogue has its Czech


@pytest.mark.parametrize(("language", "kept"), [("en", "en"), ("cs", "cs"), ("de", "cs")])
def test_a_language_the_widget_does_not_speak_is_czech(ws, language, kept):
    assert checked(ws, language=language).language == kept
    english = "Tell us your name."
    assert problems(ws, name="", language=language) == {"name": translated(kept, english)}
