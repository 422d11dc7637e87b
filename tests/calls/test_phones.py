import pytest
from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.services.common.phones import PhoneError, display, looks_like_phone, normalise


@pytest.mark.parametrize(
    "typed",
    [
        "+420 601 123 456",
        "601123456",
        "00420601123456",
        "(601) 12-34-56",
        "601 123 456",
        "+420-601-123-456",
        " 601.123.456 ",
    ],
)
def test_common_formats_normalise_to_e164(typed):
    assert normalise(typed, "CZ") == "+420601123456"


def test_default_region_decides_national_numbers():
    assert normalise("030 1234567", "DE") == "+49301234567"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Type a phone number"),
        ("hello", "Not a phone number"),
        ("12", "Impossible number"),
        ("6011234567890123", "Impossible number"),
        ("+420 123 456 789", "No such number"),
        ("1" * 41, "Too long"),
    ],
)
def test_bad_numbers_say_why(typed, reason):
    with pytest.raises(PhoneError, match=reason):
        normalise(typed, "CZ")


def test_display():
    assert display("+420601123456") == "+420 601 123 456"


@given(st.integers(min_value=0, max_value=999_999), st.sampled_from(["601", "720", "777"]))
def test_separators_never_change_the_number(suffix, prefix):
    digits = f"{prefix}{suffix:06d}"
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    dashed = f"({digits[:3]}) {digits[3:5]}-{digits[5:7]}-{digits[7:]}"
    assert normalise(spaced, "CZ") == normalise(dashed, "CZ") == normalise(f"00420{digits}", "CZ")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "Type a phone number."),
        ("+420" + " " * 28 + "601123456", "Too long for a phone number."),  # 41 characters
        ("+999 123456", "Not a phone number: unknown country code."),
        ("abc", "Not a phone number: it must contain digits."),
        ("+420 1", "Not a phone number: too short."),
        ("00 1", "Not a phone number: too short."),  # nothing after the international prefix
        ("+420 123456789012345678901", "Not a phone number: too long."),
        ("+420 60112345", "Impossible number: wrong length for its country."),
        ("+420 999 123 456", "No such number exists in its country's numbering plan."),
    ],
)
def test_each_refusal_says_why_in_its_words(typed, said):
    with pytest.raises(PhoneError) as refused:
        normalise(typed, "CZ")
    assert str(refused.value) == said


def test_forty_characters_are_still_read_and_a_czech_form_elsewhere_is_local():
    assert normalise("+420" + " " * 27 + "601123456", "CZ") == "+420601123456"
    assert normalise("601 123 456", "SK") == "+421601123456"  # not the Czech shortcut


def test_what_looks_like_a_phone_number():
    assert looks_like_phone("+420 (601) 123-456")
    assert not looks_like_phone("Novák") and not looks_like_phone("jan@example.cz")
