import pytest
from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.services.common.phones import PhoneError, display, normalise


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
