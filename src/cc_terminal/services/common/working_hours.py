"""A department's working hours and the time that counts towards a due time.

Each department has its hours per weekday in the floor's time zone (by default Monday to
Friday 8:00-16:30) and is closed on the public holidays of the floor's country unless it
says otherwise. A request's service-level minutes are counted only inside that working
time, and a request is overdue only once working time has passed since it fell due.

Times are real elapsed time: a span is an hour shorter on the day the clocks go forward
and an hour longer on the day they go back; a start or end the clocks skip is the moment
they jump.

Stored as one line (the department's ``working_hours``): the seven days' spans from Monday,
separated by ``|``, each day's spans by spaces (``08:00-12:00 13:00-16:30``; empty: closed),
then ``|holidays`` when it works on public holidays too. Empty text: the default hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from cc_terminal.i18n import _

DAY_MINUTES = 24 * 60
DAYS = 7
MAX_SPANS = 3
DAY_TEXT = MAX_SPANS * len("08:00-12:00") + MAX_SPANS - 1  # the longest day, typed tidily
HORIZON_DAYS = 400  # past the longest due time allowed (a year) and a year's holidays
OPEN_ON_HOLIDAYS = "holidays"
SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
DEFAULT_DAY = "08:00-16:30"
DEFAULT_TEXT = "|".join([DEFAULT_DAY] * 5 + ["", ""])

Span = tuple[int, int]  # minutes of the day: start, end (end up to 24:00)


class HoursError(ValueError):
    """Working hours that cannot be read; the message says why, in words."""


@dataclass(frozen=True)
class WeekHours:
    """A department's week as a team lead types it: each day's spans and the holidays."""

    days: tuple[str, ...] = tuple([DEFAULT_DAY] * 5 + ["", ""])
    open_on_holidays: bool = False

    def text(self) -> str:
        """The stored line; the default week is stored as empty text."""
        days = [tidy_day(day) for day in self.days]
        line = "|".join(days) + (f"|{OPEN_ON_HOLIDAYS}" if self.open_on_holidays else "")
        return "" if line == DEFAULT_TEXT else line


def read_week(text: str) -> WeekHours:
    """The stored line as the week it means (empty: the default week)."""
    if not text.strip():
        return WeekHours()
    parts = text.split("|")
    holidays_too = len(parts) == DAYS + 1 and parts[-1].strip() == OPEN_ON_HOLIDAYS
    days = parts[:DAYS] if holidays_too else parts
    if len(days) != DAYS:
        raise HoursError(_("Working hours need all seven days, Monday first."))
    return WeekHours(tuple(day.strip() for day in days), holidays_too)


def tidy_day(text: str) -> str:
    """A day's spans as stored: one space between spans, none inside one."""
    return " ".join(re.sub(r"\s*-\s*", "-", text.replace(",", " ")).split())


def parse_day(text: str) -> tuple[Span, ...]:
    """One day's spans, such as "08:00-12:00 13:00-16:30"; empty text: closed that day."""
    spans = []
    for part in tidy_day(text).split():
        found = SPAN.match(part)
        if not found:
            raise HoursError(_("Write the hours as 08:00-16:30, or leave the day empty."))
        h1, m1, h2, m2 = (int(number) for number in found.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise HoursError(_("No such time of day."))
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise HoursError(_("A span must end after it starts."))
        spans.append((start, end))
    spans.sort()
    if len(spans) > MAX_SPANS:
        raise HoursError(_("At most {n} spans a day.").format(n=MAX_SPANS))
    if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        raise HoursError(_("The spans of a day must not overlap."))
    return tuple(spans)


def check_week(week: WeekHours) -> dict[str, str]:
    """What is wrong with a week, by the day's field (``day0`` is Monday) or ``week``."""
    errors: dict[str, str] = {}
    spans = []
    for index, day in enumerate(week.days):
        try:
            spans.append(parse_day(day))
        except HoursError as error:
            errors[f"day{index}"] = str(error)
    if not errors and not any(spans):
        errors["week"] = _("At least one day needs working hours.")
    return errors


@dataclass(frozen=True)
class WorkingHours:
    """When a department works: its week's spans, in a time zone, closed on the public
    holidays of a country (unless it works on them)."""

    week: tuple[tuple[Span, ...], ...]
    zone: str = "Europe/Prague"
    country: str = "CZ"
    open_on_holidays: bool = False

    def spans_on(self, day: date) -> tuple[Span, ...]:
        if not self.open_on_holidays and _is_holiday(day, self.country):
            return ()
        return self.week[day.weekday()]


@lru_cache(maxsize=64)
def working_hours(text: str, zone: str, country: str) -> WorkingHours:
    """A department's stored line as its working hours (the default week if unreadable,
    so a bad line never stops a request from being registered)."""
    try:
        week = read_week(text)
        days = tuple(parse_day(day) for day in week.days)
    except HoursError:
        week, days = WeekHours(), tuple(parse_day(day) for day in WeekHours().days)
    if not any(days):
        days = tuple(parse_day(day) for day in WeekHours().days)
    return WorkingHours(days, zone, country, week.open_on_holidays)


def due_at(start: datetime, sla_minutes: int, hours: WorkingHours) -> datetime | None:
    """When ``sla_minutes`` of working time have passed since ``start`` (None: not within
    the horizon). It lands inside working time, at the end of a span at the latest."""
    left = timedelta(minutes=sla_minutes)
    for begin, end in _periods_from(start, hours):
        if left <= end - begin:
            return begin + left
        left -= end - begin
    return None


def overdue_cutoff(now: datetime, hours: WorkingHours) -> datetime:
    """A request due before this moment is overdue at ``now``: ``now`` itself in working
    time, else the end of the last working period (no working time has passed since)."""
    return _cutoff(now, hours)


def is_overdue(due: datetime, now: datetime, hours: WorkingHours) -> bool:
    """Whether working time has passed since ``due``."""
    return due < _cutoff(now, hours)


def working_time(since: datetime, until: datetime, hours: WorkingHours) -> timedelta:
    """The working time between two moments (zero when ``until`` is not later)."""
    total = timedelta()
    for begin, end in _periods_from(since, hours):
        if begin >= until:
            break
        total += min(end, until) - begin
    return total


@lru_cache(maxsize=128)
def _cutoff(now: datetime, hours: WorkingHours) -> datetime:
    tz = ZoneInfo(hours.zone)
    first = now.astimezone(tz).date()
    for back in range(HORIZON_DAYS):
        day = first - timedelta(days=back)
        for begin, end in reversed(_periods_on(day, hours, tz)):
            if begin < now:
                return min(now, end)
    return now - timedelta(days=HORIZON_DAYS)


def _periods_from(start: datetime, hours: WorkingHours) -> Iterator[tuple[datetime, datetime]]:
    """The working periods (UTC) from ``start`` on, the first one cut at ``start``."""
    tz = ZoneInfo(hours.zone)
    first = start.astimezone(tz).date()
    for ahead in range(HORIZON_DAYS):
        for begin, end in _periods_on(first + timedelta(days=ahead), hours, tz):
            if end > start:
                yield max(begin, start), end


def _periods_on(day: date, hours: WorkingHours, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    periods = []
    for start, end in hours.spans_on(day):
        begin, finish = _moment(day, start, tz, starts=True), _moment(day, end, tz, starts=False)
        if begin < finish:
            periods.append((begin, finish))
    return periods


def _moment(day: date, minute: int, tz: ZoneInfo, *, starts: bool) -> datetime:
    """The UTC moment a wall-clock time of the day stands for: a time the clocks skip is
    the moment they jump; a repeated time is its later showing for a span's start and
    its earlier for its end, so no moment outside the span's wall times is counted."""
    wall = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    early, late = sorted(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    if early == late:
        return early
    if early.astimezone(tz).replace(tzinfo=None) == wall:
        return late if starts else early
    return _jump(early, late, tz)


def _jump(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The first second of the new offset, which begins between two moments."""
    offset = before.astimezone(tz).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    import holidays  # the first day that needs it: every country's calendars are 3.5 MB

    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the package does not know: no holidays
        return frozenset()


def _is_holiday(day: date, country: str) -> bool:
    return day in _holidays(country, day.year)
