"""The stretches of days a tally is shown for: today, this week, this month, a chosen one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from cc_terminal.formats import day_with_year
from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.typed_dates import parse_date

LONGEST_PERIOD_DAYS = 366


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CHOSEN = "chosen"


@dataclass(frozen=True)
class Period:
    """Whole local days from ``start`` to ``end``, both included."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The first moment in and the first moment after, in the floor's time zone."""
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end + timedelta(days=1), time(), zone),
        )

    def previous(self) -> Period:
        """The period just before, of the same kind (a chosen one: as many days)."""
        if self.kind is PeriodKind.MONTH:
            return month_of(self.start - timedelta(days=1))
        return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(1))

    def following(self) -> Period:
        if self.kind is PeriodKind.MONTH:
            return month_of(self.end + timedelta(days=1))
        return Period(self.kind, self.end + timedelta(days=1), self.end + timedelta(self.days))

    def label(self) -> str:
        if self.kind is PeriodKind.DAY:
            return day_with_year(self.start)
        if self.kind is PeriodKind.MONTH:
            return self.start.strftime("%m/%Y")
        return f"{self.start:%d.%m.} – {self.end:%d.%m.%Y}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def day_of(day: date) -> Period:
    return Period(PeriodKind.DAY, day, day)


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6))


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(PeriodKind.MONTH, first, following - timedelta(days=1))


def chosen(start_text: str, end_text: str) -> Period:
    """A period typed as two dates (2026-11-02 or 2.11.2026); every problem at once."""
    errors: dict[str, str] = {}
    start, end = parse_day(start_text), parse_day(end_text)
    if start is None:
        errors["start"] = _("A date such as 2.11.2026.")
    if end is None:
        errors["end"] = _("A date such as 30.11.2026.")
    if start is not None and end is not None:
        if end < start:
            errors["end"] = _("The period ends before it starts.")
        elif (end - start).days >= LONGEST_PERIOD_DAYS:
            errors["end"] = _("At most a year.")
    if errors or start is None or end is None:
        raise ValidationFailed(errors)
    return Period(PeriodKind.CHOSEN, start, end)


def parse_day(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None
