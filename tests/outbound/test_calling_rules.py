"""The calling rules one by one (services/outbound/calling_rules.py): the window's text, rest days
and public holidays per country, when a window is open and when it next opens, a number's
time zone and country, and the legal basis for a call with the words that say why."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cc_terminal.services.outbound import calling_rules
from cc_terminal.services.outbound.calling_rules import (
    CallingHours,
    LegalBasis,
    Window,
    WindowError,
    country_of,
    is_holiday,
    is_rest_day,
    legal_basis,
    parse_window,
    within_hours,
    zone_of,
)

PRAGUE = "Europe/Prague"
FLOOR_HOURS = CallingHours("09:00-20:00", "10:00-18:00", PRAGUE)


def prague(*parts: int) -> datetime:
    """A moment given in Prague's winter time (UTC+1), as the services receive it (UTC)."""
    year, month, day, hour, minute, *second = parts
    return datetime(year, month, day, hour - 1, minute, *second, tzinfo=UTC)


def test_a_window_is_read_from_its_text():
    assert parse_window("09:00-20:00") == Window(time(9), time(20))
    assert parse_window(" 9:30 - 17:05 ") == Window(time(9, 30), time(17, 5))
    assert parse_window("23:00-24:00") == Window(time(23), time(23, 59, 59))
    assert parse_window("00:59-10:59") == Window(time(0, 59), time(10, 59))
    assert parse_window("") is None and parse_window("  ") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9-20", "Write the window as 09:00-20:00, or leave it empty for none."),
        ("24:00-24:00", "No such time of day."),
        ("09:00-25:00", "No such time of day."),
        ("09:60-10:00", "No such time of day."),
        ("09:00-10:60", "No such time of day."),
        ("09:00-24:01", "No such time of day."),
        ("20:00-09:00", "The window must end after it starts."),
        ("09:00-09:00", "The window must end after it starts."),
    ],
)
def test_a_window_that_is_not_a_time_span_is_refused_with_why(text, reason):
    with pytest.raises(WindowError) as refused:
        parse_window(text)
    assert str(refused.value) == reason


def test_a_window_holds_from_its_start_up_to_its_end():
    window = Window(time(9), time(20))
    assert window.holds(time(9)) and window.holds(time(19, 59, 59))
    assert not window.holds(time(8, 59, 59)) and not window.holds(time(20))


def test_sundays_and_each_countrys_public_holidays_are_rest_days():
    assert is_rest_day(date(2026, 11, 29))  # a Sunday
    assert not is_rest_day(date(2026, 11, 28)) and not is_rest_day(date(2026, 11, 30))
    assert is_holiday(date(2026, 10, 28)) and is_rest_day(date(2026, 10, 28))  # a Wednesday
    assert not is_holiday(date(2026, 10, 28), "SK") and not is_rest_day(date(2026, 10, 28), "SK")
    assert is_holiday(date(2027, 10, 28)) and not is_holiday(date(2026, 10, 27))


def test_the_window_is_open_on_working_days_and_the_saturday_window_on_saturdays():
    assert not FLOOR_HOURS.open_at(prague(2026, 11, 27, 8, 59, 59))  # a Friday
    assert FLOOR_HOURS.open_at(prague(2026, 11, 27, 9, 0))
    assert FLOOR_HOURS.open_at(prague(2026, 11, 27, 19, 59))
    assert not FLOOR_HOURS.open_at(prague(2026, 11, 27, 20, 0))
    assert not FLOOR_HOURS.open_at(prague(2026, 11, 28, 9, 30))  # Saturday: from 10:00
    assert FLOOR_HOURS.open_at(prague(2026, 11, 28, 10, 0))
    assert not FLOOR_HOURS.open_at(prague(2026, 11, 28, 18, 0))
    assert not FLOOR_HOURS.open_at(prague(2026, 11, 29, 12, 0))  # Sunday
    assert not FLOOR_HOURS.open_at(prague(2026, 10, 28, 12, 0))  # a Czech holiday
    slovak = CallingHours("09:00-20:00", "10:00-18:00", PRAGUE, country="SK")
    assert slovak.open_at(prague(2026, 10, 28, 12, 0))


def test_the_next_opening_is_now_the_next_start_or_after_the_rest_days():
    now = prague(2026, 11, 27, 12, 0)
    assert FLOOR_HOURS.next_opening(now) is now
    assert FLOOR_HOURS.next_opening(prague(2026, 11, 27, 7, 0)) == prague(2026, 11, 27, 9, 0)
    assert FLOOR_HOURS.next_opening(prague(2026, 11, 27, 9, 0)) == prague(2026, 11, 27, 9, 0)
    assert FLOOR_HOURS.next_opening(prague(2026, 11, 27, 20, 0)) == prague(2026, 11, 28, 10, 0)
    assert FLOOR_HOURS.next_opening(prague(2026, 11, 28, 18, 30)) == prague(2026, 11, 30, 9, 0)
    assert FLOOR_HOURS.next_opening(now).tzinfo is UTC
    in_prague = datetime(2026, 11, 27, 7, 0, tzinfo=ZoneInfo(PRAGUE))
    opening = FLOOR_HOURS.next_opening(in_prague)  # told in the zone it was asked in
    assert opening is not None and (opening.hour, opening.tzinfo) == (9, ZoneInfo(PRAGUE))
    assert CallingHours("", "", PRAGUE).next_opening(now) is None


def test_an_opening_is_looked_for_fifteen_days_ahead_and_no_further():
    saturdays = CallingHours("", "10:00-18:00", PRAGUE)
    # Both next Saturdays are holidays (25.12.2027, 1.1.2028): 8.1.2028 is 15 days away.
    assert saturdays.next_opening(prague(2027, 12, 24, 12, 0)) is None
    assert saturdays.next_opening(prague(2027, 12, 25, 12, 0)) == prague(2028, 1, 8, 10, 0)
    # The fortnight is counted in the campaign's zone: 24.12. 22:00 in New York is already
    # Christmas Day in UTC, from which 8.1. would be 14 days away.
    new_york = CallingHours("", "10:00-18:00", "America/New_York")
    assert new_york.next_opening(datetime(2027, 12, 25, 3, 0, tzinfo=UTC)) is None


def test_a_numbers_zone_and_country_come_from_its_calling_code():
    assert zone_of("+420601123456") == PRAGUE
    assert zone_of("+421901123456") == "Europe/Bratislava"
    assert zone_of("+12125551234") == "America/New_York"
    assert zone_of("+13105551234") == "America/Los_Angeles"
    assert zone_of("+9991234") == PRAGUE  # no such country: the floor's zone
    assert zone_of("+421") == "Europe/Bratislava"  # too short to place: still its country's
    assert country_of("+420601123456") == "CZ" and country_of("+421901123456") == "SK"
    assert country_of("+9991234") == "CZ" and country_of("not a number") == "CZ"
    assert country_of("+10005551234") == "CZ"  # +1, but no region's number


def test_a_calling_code_with_one_zone_is_answered_without_parsing_the_number():
    assert calling_rules._calling_code("+420601123456") == "420"
    assert calling_rules._calling_code("+12125551234") == "1"
    assert calling_rules._calling_code("+447911123456") == "44"
    assert calling_rules._calling_code("+9991234") == ""
    assert calling_rules._country_zone("420") == PRAGUE
    assert calling_rules._country_zone("1") is None  # several zones: the number decides


@pytest.mark.parametrize(
    ("kind", "temperature", "consented", "objected", "expected"),
    [
        ("sales", "hot", True, True, (False, "Objected to calls: never call this number.")),
        ("survey", "cold", False, True, (False, "Objected to calls: never call this number.")),
        (
            "survey",
            "cold",
            False,
            False,
            (True, "Survey, information or confirmation: no consent needed."),
        ),
        ("sales", "hot", False, False, (True, "Existing customer who has not objected.")),
        ("sales", "warm", False, False, (True, "Asked to be contacted (web order or form).")),
        ("sales", "cold", True, False, (True, "Marketing consent recorded for this number.")),
        (
            "sales",
            "cold",
            False,
            False,
            (False, "Cold lead without consent: no sales call (§ 96, Act 127/2005)."),
        ),
    ],
)
def test_the_legal_basis_of_a_call_and_why(kind, temperature, consented, objected, expected):
    basis = legal_basis(kind, temperature, consented, objected)
    assert (basis.allowed, basis.reason) == expected


def test_a_lawful_call_still_waits_for_the_window_and_says_when_it_opens():
    allowed = LegalBasis(True, "Existing customer who has not objected.")
    refused = LegalBasis(False, "Objected to calls: never call this number.")
    assert within_hours(allowed, FLOOR_HOURS, prague(2026, 11, 27, 12, 0)) is allowed
    assert within_hours(refused, FLOOR_HOURS, prague(2026, 11, 28, 21, 0)) is refused
    late = within_hours(allowed, FLOOR_HOURS, prague(2026, 11, 28, 21, 0))
    assert late == LegalBasis(False, "Outside the calling hours: they open Mon 30.11. 9:00.")
    never = within_hours(allowed, CallingHours("", "", PRAGUE), prague(2026, 11, 28, 21, 0))
    assert never == LegalBasis(False, "Outside the calling hours, and none in the next two weeks.")
