"""The common Czech form of a phone number is read without the parser (issue 29: a
lead file's row check): for every text, ``normalise`` answers exactly what the parser's
path answers, the number or the same refusal."""

from __future__ import annotations

from collections.abc import Callable
from unittest.mock import patch

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cc_terminal.services.common import phones

DIGITS = st.text(st.sampled_from("0123456789"), min_size=0, max_size=11)
PREFIXES = st.sampled_from(("", "", "+420", "+420 ", "00420", "+421", "420", "+", " "))
SPACES = st.sampled_from(("", " ", "  ", "-", "\t", "\u00a0"))


@st.composite
def typed(draw: st.DrawFn) -> str:
    """Mostly a number in a common form, or something near it."""
    if draw(st.booleans()):
        return _common(draw)
    return draw(near_forms())


def _common(draw: st.DrawFn) -> str:
    digits = str(draw(st.integers(100_000_000, 999_999_999)))
    space = draw(st.sampled_from(("", " ")))
    prefix = draw(st.sampled_from(("", "+420", "+420 ")))
    return f"{prefix}{digits[:3]}{space}{digits[3:6]}{space}{digits[6:]}"


@st.composite
def near_forms(draw: st.DrawFn) -> str:
    digits = draw(st.one_of(DIGITS, st.integers(100_000_000, 999_999_999).map(str)))
    cut = [draw(SPACES) if index in (3, 6) else "" for index in range(len(digits))]
    body = "".join(space + digit for space, digit in zip(cut, digits, strict=True))
    return draw(SPACES) + draw(PREFIXES) + body + draw(st.sampled_from(("", " ", "١")))


def _parsed_path(raw: str) -> str:
    """``normalise`` as it was: every number through the parser."""
    with patch.object(phones, "_czech", lambda _raw: None):
        return phones.normalise(raw, "CZ")


def _outcome(normalise: Callable[[str], str], raw: str) -> str:
    try:
        return normalise(raw)
    except phones.PhoneError as error:
        return f"refused: {error}"


@settings(max_examples=1500)
@given(typed())
def test_the_czech_form_is_what_the_parser_reads(raw: str) -> None:
    fast = phones._czech(raw)
    if fast is not None:
        assert fast == phonenumbers.parse(raw.strip(), "CZ")
    answer = _outcome(lambda text: phones.normalise(text, "CZ"), raw)
    assert answer == _outcome(_parsed_path, raw)


@pytest.mark.parametrize(
    "raw", ["731123456", "731 123 456", "+420731123456", "+420 731 123 456", " 601123456 "]
)
def test_the_common_forms_take_the_short_way(raw: str) -> None:
    assert phones._czech(raw) is not None
    assert phones.normalise(raw, "CZ") == "+420" + raw.replace(" ", "").removeprefix("+420")
