"""Working hours (services/common/working_hours.py): a department's week as typed and
stored, due times counted in working time only, and overdue as working time past due;
examples first, then properties over random weeks, zones, holidays and DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cc_terminal.services.common import working_hours as hours_module
from cc_terminal.services.common.working_hours import (
    HORIZON_DAYS,
    HoursError,
    WeekHours,
    WorkingHours,
    check_week,
    due_at,
    is_overdue,
    overdue_cutoff,
    parse_day,
    read_week,
    working_hours,
    working_time,
)

PRAGUE = ZoneInfo("Europe/Prague")


@pytest.fixture(autouse=True)
def cold_caches() -> None:
    """Each test computes its answers itself: a cutoff or holidays cached by a test that ran
    before (in this process) would otherwise answer for it."""
    hours_module._cutoff.cache_clear()
    hours_module._holidays.cache_clear()


DEFAULT = working_hours("", "Europe/Prague", "CZ")
ALWAYS = working_hours("|".join(["00:00-24:00"] * 7) + "|holidays", "Europe/Prague", "CZ")


def prague(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=PRAGUE)  # type: ignore[misc]


def in_prague(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(PRAGUE)


# -- examples ---------------------------------------------------------------------------


def test_friday_afternoon_plus_four_hours_is_monday_half_past_ten():
    assert in_prague(due_at(prague(2026, 12, 4, 15, 0), 240, DEFAULT)) == prague(
        2026, 12, 7, 10, 30
    )


def test_the_complaint_that_came_out_due_on_sunday_evening():
    """Registered on Thursday at 21:46 with the complaints' 3 days (4,320 minutes): by the
    clock it fell due on Sunday at 21:46; in working hours the minutes start on Friday at
    8:00 and run 8.5 hours a working day, so it falls due on a Wednesday at noon."""
    registered = prague(2026, 12, 3, 21, 46)
    assert registered + timedelta(minutes=4320) == prague(2026, 12, 6, 21, 46)
    due = in_prague(due_at(registered, 4320, DEFAULT))
    assert due == prague(2026, 12, 16, 12, 0)
    assert due.weekday() == 2


def test_a_span_used_up_exactly_ends_the_due_time_at_closing():
    due = in_prague(due_at(prague(2026, 12, 4, 15, 0), 90, DEFAULT))
    assert due == prague(2026, 12, 4, 16, 30)
    assert not is_overdue(due, prague(2026, 12, 4, 17, 0), DEFAULT)  # closed since
    assert not is_overdue(due, prague(2026, 12, 7, 8, 0), DEFAULT)
    assert is_overdue(due, prague(2026, 12, 7, 8, 1), DEFAULT)


def test_public_holidays_are_skipped():
    """24, 25 and 26 December are Czech public holidays (a Thursday, Friday, Saturday)."""
    due = in_prague(due_at(prague(2026, 12, 23, 15, 0), 240, DEFAULT))
    assert due == prague(2026, 12, 28, 10, 30)
    works_on_holidays = working_hours(
        WeekHours(open_on_holidays=True).text(), "Europe/Prague", "CZ"
    )
    assert in_prague(due_at(prague(2026, 12, 23, 15, 0), 240, works_on_holidays)) == prague(
        2026, 12, 24, 10, 30
    )


def test_a_request_registered_at_night_counts_from_the_next_opening():
    assert in_prague(due_at(prague(2026, 12, 5, 3, 0), 60, DEFAULT)) == prague(2026, 12, 7, 9, 0)


def test_the_days_the_clocks_change_are_an_hour_shorter_and_longer():
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)
    for day, hours in ((spring, 23), (autumn, 25)):
        start = datetime(day.year, day.month, day.day, tzinfo=PRAGUE)
        assert working_time(start, start + timedelta(days=2), ALWAYS) == timedelta(hours=hours + 24)
    night = working_hours("|||||| 01:00-04:00|holidays", "Europe/Prague", "CZ")
    saturday = prague(2026, 3, 28, 12, 0)
    assert working_time(saturday, prague(2026, 3, 30), night) == timedelta(hours=2)
    # an hour of work from 1:00 ends when the clocks jump from 2:00 to 3:00
    assert in_prague(due_at(saturday, 60, night)) == prague(2026, 3, 29, 3, 0)
    skipped_start = working_hours("|||||| 02:30-04:00|holidays", "Europe/Prague", "CZ")
    assert working_time(saturday, prague(2026, 3, 30), skipped_start) == timedelta(hours=1)


def test_a_span_from_a_repeated_time_counts_its_later_showing_and_to_one_its_earlier():
    """On 25 October 2026 Prague's clocks go back from 3:00 to 2:00: 2:30 happens twice."""
    saturday, monday = prague(2026, 10, 24, 12, 0), prague(2026, 10, 26)
    from_repeated = working_hours("|||||| 02:30-04:00|holidays", "Europe/Prague", "CZ")
    assert working_time(saturday, monday, from_repeated) == timedelta(hours=1, minutes=30)
    to_repeated = working_hours("|||||| 00:00-02:30|holidays", "Europe/Prague", "CZ")
    assert working_time(saturday, monday, to_repeated) == timedelta(hours=2, minutes=30)


def test_a_span_from_a_skipped_time_starts_at_the_very_second_the_clocks_jump():
    saturday, monday = prague(2026, 3, 28, 12, 0), prague(2026, 3, 30)
    hours = working_hours("|||||| 02:01-04:00|holidays", "Europe/Prague", "CZ")
    assert working_time(saturday, monday, hours) == timedelta(hours=1)


def test_a_span_the_clocks_skip_whole_is_no_working_time():
    """On 29 March 2026 2:10-2:50 never happens in Prague: the last working time before
    that Sunday's noon ended a week earlier."""
    hours = working_hours("|||||| 02:10-02:50|holidays", "Europe/Prague", "CZ")
    assert in_prague(overdue_cutoff(prague(2026, 3, 29, 12, 0), hours)) == prague(
        2026, 3, 22, 2, 50
    )


def test_the_day_counts_in_the_department_s_zone_behind_utc():
    """20:00 on a Monday in New York is already Tuesday in UTC: the evening still counts."""
    new_york = ZoneInfo("America/New_York")
    always = working_hours("|".join(["00:00-24:00"] * 7) + "|holidays", "America/New_York", "US")
    start = datetime(2026, 12, 7, 20, 0, tzinfo=new_york)
    assert due_at(start, 60, always) == start + timedelta(hours=1)


def test_the_overdue_cutoff_is_now_in_working_time_and_the_last_closing_outside():
    assert overdue_cutoff(prague(2026, 12, 4, 10, 0), DEFAULT) == prague(2026, 12, 4, 10, 0)
    sunday_evening = prague(2026, 12, 6, 21, 46)
    assert in_prague(overdue_cutoff(sunday_evening, DEFAULT)) == prague(2026, 12, 4, 16, 30)


# -- the week as typed and stored -------------------------------------------------------


def test_a_day_is_read_from_its_spans():
    assert parse_day("08:00-16:30") == ((480, 990),)
    assert parse_day(" 13:00-16:30, 8:00-12:00 ") == ((480, 720), (780, 990))
    assert parse_day("") == () and parse_day("00:00-24:00") == ((0, 1440),)
    assert parse_day("8:00 - 12:00,13:00 -16:30") == ((480, 720), (780, 990))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("8-16", "Write the hours as 08:00-16:30, or leave the day empty."),
        ("08:00-25:00", "No such time of day."),
        ("24:00-24:00", "No such time of day."),
        ("08:60-09:00", "No such time of day."),
        ("08:00-08:60", "No such time of day."),
        ("08:00-24:30", "No such time of day."),
        ("16:00-08:00", "A span must end after it starts."),
        ("08:00-08:00", "A span must end after it starts."),
        ("08:00-12:00 11:00-13:00", "The spans of a day must not overlap."),
        ("01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00", "At most 3 spans a day."),
    ],
)
def test_a_day_that_is_not_spans_of_time_is_refused_with_why(text, reason):
    with pytest.raises(HoursError) as refused:
        parse_day(text)
    assert str(refused.value) == reason


def test_the_edges_of_the_day_and_of_its_spans_are_allowed():
    assert parse_day("23:00-23:59") == ((1380, 1439),)
    assert parse_day("08:59-24:00") == ((539, 1440),)
    assert parse_day("08:30-09:00") == ((510, 540),)
    assert parse_day("08:00-12:00 12:00-16:00") == ((480, 720), (720, 960))  # touching
    assert parse_day("01:00-02:00 03:00-04:00 05:00-06:00") == (
        (60, 120),
        (180, 240),
        (300, 360),
    )


def test_the_week_is_stored_as_one_line_and_the_default_as_nothing():
    assert WeekHours().text() == "" and read_week("") == WeekHours()
    week = WeekHours(("07:00-15:30",) * 5 + ("08:00-12:00", ""), open_on_holidays=True)
    assert week.text() == "|".join(week.days) + "|holidays"
    assert read_week(week.text()) == week
    untidy = WeekHours((" 7:00 - 15:30 ",) * 5 + ("8:00-12:00,13:00-14:00", ""))
    assert untidy.text() == "|".join(["7:00-15:30"] * 5 + ["8:00-12:00 13:00-14:00", ""])
    for days in (2, 8):  # eight days, the last of them not "holidays", are not a week
        with pytest.raises(HoursError) as refused:
            read_week("|".join(["08:00-16:30"] * days))
        assert str(refused.value) == "Working hours need all seven days, Monday first."


def test_a_week_names_the_wrong_day_and_needs_some_working_time():
    wrong = WeekHours(("08:00-16:30", "8-16", "", "", "", "", ""))
    assert check_week(wrong) == {"day1": "Write the hours as 08:00-16:30, or leave the day empty."}
    assert check_week(WeekHours(("",) * 7)) == {"week": "At least one day needs working hours."}


def test_an_unreadable_stored_line_means_the_default_week():
    assert working_hours("nonsense", "Europe/Prague", "CZ") == DEFAULT
    assert working_hours("||||||", "Europe/Prague", "CZ") == DEFAULT


# -- properties -------------------------------------------------------------------------

ZONES = {"Europe/Prague": "CZ", "America/New_York": "US", "Australia/Sydney": "AU"}
# the days around the clock changes of 2026 in those zones
DST_DAYS = [
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 3, 8),
    date(2026, 11, 1),
    date(2026, 4, 5),
    date(2026, 10, 4),
]


@st.composite
def days(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    points = sorted(draw(st.sets(st.integers(0, 96), max_size=4)))
    spans = [(points[i] * 15, points[i + 1] * 15) for i in range(0, len(points) - 1, 2)]
    return tuple(span for span in spans if span[0] < span[1])


@st.composite
def hours(draw: st.DrawFn) -> WorkingHours:
    week = tuple(draw(days()) for _ in range(7))
    if not any(week):
        week = (((480, 990),),) * 5 + ((), ())
    zone = draw(st.sampled_from(sorted(ZONES)))
    return WorkingHours(week, zone, ZONES[zone], draw(st.booleans()))


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
dst_moments = st.builds(
    lambda day, minutes: (
        datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)
    ),
    st.sampled_from(DST_DAYS),
    st.integers(-3 * 24 * 60, 2 * 24 * 60),
)
sla = st.integers(1, 20_000)


def working_at(moment: datetime, hours: WorkingHours) -> bool:
    """By the wall clock alone: a working day's span holds the moment's local time."""
    local = moment.astimezone(ZoneInfo(hours.zone))
    holiday = local.date() in holidays.country_holidays(hours.country, years=local.year)
    if holiday and not hours.open_on_holidays:
        return False
    minute = local.hour * 60 + local.minute + local.second / 60
    return any(start <= minute < end for start, end in hours.week[local.weekday()])


@settings(max_examples=150, deadline=None)
@given(hours(), st.one_of(moments, dst_moments), sla)
def test_a_due_time_lands_in_working_time_after_exactly_the_target(hours, start, minutes):
    due = due_at(start, minutes, hours)
    if due is None:  # a week of little working time: the target is beyond the horizon
        horizon = start + timedelta(days=HORIZON_DAYS - 1)
        assert working_time(start, horizon, hours) < timedelta(minutes=minutes)
        return
    assert due >= start + timedelta(minutes=minutes)
    assert working_at(due - timedelta(seconds=1), hours)
    assert working_time(start, due, hours) == timedelta(minutes=minutes)


@settings(max_examples=100, deadline=None)
@given(hours(), st.one_of(moments, dst_moments), sla, st.integers(0, 5000), st.integers(0, 5000))
def test_due_times_are_monotone(hours, start, minutes, later_minutes, more):
    never = datetime.max.replace(tzinfo=UTC)  # beyond the horizon
    first = due_at(start, minutes, hours) or never
    later_start = due_at(start + timedelta(minutes=later_minutes), minutes, hours) or never
    longer = due_at(start, minutes + more, hours) or never
    assert first <= later_start and first <= longer


@settings(max_examples=150, deadline=None)
@given(hours(), st.one_of(moments, dst_moments), st.integers(-30 * 24 * 60, 30 * 24 * 60))
def test_overdue_means_working_time_has_passed_since_the_due_time(hours, now, minutes):
    due = now + timedelta(minutes=minutes)
    assert is_overdue(due, now, hours) == (working_time(due, now, hours) > timedelta())
