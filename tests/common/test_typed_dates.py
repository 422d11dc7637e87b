"""Dates typed without a year follow one rule (issue 19, item 3): this year's while it has
not passed, next year's only when that is near, else refused; never a year on in silence."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.formats import coming_time
from cc_terminal.services.common.typed_dates import (
    NEXT_YEAR_WITHIN,
    DatePassed,
    parse_coming_date,
    parse_date,
    with_year,
)
from cc_terminal.services.outbound.callback_time import CallbackTimeError, parse_callback

PRAGUE = ZoneInfo("Europe/Prague")
days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


def typed(day: date) -> str:
    return f"{day.day}.{day.month}."


@given(days)
def test_a_whole_date_reads_back_as_itself(day):
    for text in (f"{day.day}.{day.month}.{day.year}", f"{day:%d. %m. %Y}", day.isoformat()):
        assert parse_date(text) == day


@given(today=days, ahead=st.integers(0, NEXT_YEAR_WITHIN.days))
def test_a_near_date_without_its_year_is_that_date(today, ahead):
    day = today + timedelta(days=ahead)
    assert parse_coming_date(typed(day), today) == day


@given(today=days, day=st.integers(1, 31), month=st.integers(1, 12))
def test_a_date_without_its_year_never_jumps_a_year_in_silence(today, day, month):
    try:
        found = with_year(day, month, today)
    except DatePassed as refused:
        this_year = date(today.year, month, day)  # passed: it existed this year
        assert this_year < today
        assert refused.next_year is None or refused.next_year - today > NEXT_YEAR_WITHIN
        return
    except ValueError:
        return  # 31.4., or a 29.2. of no year near
    assert (found.day, found.month) == (day, month)
    assert found >= today
    assert found.year == today.year or found - today <= NEXT_YEAR_WITHIN


@pytest.mark.parametrize(
    ("typed_on", "text", "meant"),
    [
        (date(2026, 12, 28), "5.1.", date(2027, 1, 5)),  # year end: next January
        (date(2026, 12, 31), "31.12.", date(2026, 12, 31)),  # today
        (date(2026, 12, 31), "1.1.", date(2027, 1, 1)),
        (date(2026, 12, 28), "28.2.", date(2027, 2, 28)),  # 62 days: near
        (date(2027, 12, 30), "29.2.", date(2028, 2, 29)),  # next year's leap day, near
        (date(2028, 2, 1), "29.2.", date(2028, 2, 29)),  # this year's leap day
        (date(2026, 1, 1), "20.11.", date(2026, 11, 20)),  # far, but this year
    ],
)
def test_boundaries_that_are_meant(typed_on, text, meant):
    assert parse_coming_date(text, typed_on) == meant


@pytest.mark.parametrize(
    ("typed_on", "text", "next_year"),
    [
        (date(2026, 12, 3), "1.12.", date(2027, 12, 1)),  # passed two days ago
        (date(2026, 12, 28), "1.3.", date(2027, 3, 1)),  # 63 days: too far to mean
        (date(2028, 3, 1), "29.2.", None),  # the leap day passed yesterday
    ],
)
def test_a_passed_date_without_its_year_is_refused(typed_on, text, next_year):
    with pytest.raises(DatePassed) as refused:
        parse_coming_date(text, typed_on)
    assert refused.value.next_year == next_year


@pytest.mark.parametrize("typed_on", [date(2027, 2, 1), date(2027, 10, 1)])
def test_a_leap_day_of_no_near_year_is_not_a_date(typed_on):
    with pytest.raises(ValueError) as refused:
        parse_coming_date("29.2.", typed_on)
    assert not isinstance(refused.value, DatePassed)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PRAGUE)


def test_a_callback_that_passed_this_year_is_refused_not_moved_a_year_on():
    now = local(date(2026, 12, 3), 9)
    with pytest.raises(CallbackTimeError) as refused:
        parse_callback("1.12. 10:00", now, "Europe/Prague")
    assert "That time has passed." in str(refused.value)
    assert "1.12.2027" in str(refused.value)  # how to say next year, if that was meant
    with pytest.raises(CallbackTimeError, match="That time has passed"):
        parse_callback("3.12. 8:00", now, "Europe/Prague")  # today, an hour ago


def test_a_callback_early_next_year_is_next_january_and_reads_back_with_its_year():
    now = local(date(2026, 12, 28), 15)
    moment = parse_callback("5.1. 9:00", now, "Europe/Prague")
    assert moment == datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    assert coming_time(moment, PRAGUE, now) == "05.01.2027 09:00"
    assert coming_time(moment, PRAGUE, local(date(2027, 1, 2), 9)) == "05.01. 09:00"


@given(
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)),
    ahead=st.integers(1, NEXT_YEAR_WITHIN.days),
    hour=st.integers(6, 22),
    minute=st.integers(0, 59),
)
def test_a_read_back_callback_typed_again_is_the_same_moment(today, ahead, hour, minute):
    now = local(today, 5)
    moment = local(today + timedelta(days=ahead), hour, minute)
    read_back = coming_time(moment, PRAGUE, now)
    assert parse_callback(read_back, now, "Europe/Prague") == moment.astimezone(UTC)
