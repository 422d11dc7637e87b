"""Dates as people type them, on one rule for every field.

A whole date is ``2026-12-01``, ``1.12.2026`` or ``1. 12. 2026``. A date without a year
(``1.12.``) is this year's while it has not passed, and next year's only when that is
near (within ``NEXT_YEAR_WITHIN``: ``5.1.`` typed on 28.12. is next January). One that has
passed this year, with next year's still far off, is refused: a date never moves a year on
without a word (``1.12.`` typed on 3.12. is not next December)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from cc_terminal.i18n import _

NEXT_YEAR_WITHIN = timedelta(days=62)  # about two months
WHOLE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
NO_YEAR = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.$")


class DatePassed(ValueError):
    """A date without a year that has passed this year; ``next_year`` is when it comes
    again (None for a 29.2. of a leap year), too far off to be meant without the year."""

    def __init__(self, next_year: date | None) -> None:
        super().__init__(f"passed; next {next_year}")
        self.next_year = next_year


def parse_date(text: str) -> date:
    """A whole date, with its year; ValueError for anything else."""
    text = text.strip()
    if found := WHOLE.match(text):
        day, month, year = (int(part) for part in found.groups())
        return date(year, month, day)
    if found := ISO.match(text):
        year, month, day = (int(part) for part in found.groups())
        return date(year, month, day)
    raise ValueError(text)


def parse_coming_date(text: str, today: date) -> date:
    """A date from today on, the year optional (see the module's rule); ValueError for
    what is not a date, DatePassed for a date without a year that has passed."""
    if found := NO_YEAR.match(text.strip()):
        return with_year(int(found.group(1)), int(found.group(2)), today)
    return parse_date(text)


def with_year(day: int, month: int, today: date) -> date:
    """The day and month given without a year: this year's, or next year's when near."""
    this_year = _day_in(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    next_year = _day_in(today.year + 1, month, day)
    if next_year is not None and next_year - today <= NEXT_YEAR_WITHIN:
        return next_year
    if this_year is None:
        raise ValueError(f"{day}.{month}.")  # 31.4., or 29.2. with no leap day near
    raise DatePassed(next_year)


def _day_in(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def passed_message(error: DatePassed, what: str) -> str:
    """``what`` ("That time has passed.") and, when it comes again, how to type that."""
    if error.next_year is None:
        return what
    example = f"{error.next_year.day}.{error.next_year.month}.{error.next_year.year}"
    return what + " " + _("For next year, type {example}.").format(example=example)
