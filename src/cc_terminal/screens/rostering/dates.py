"""F6's days as they read in the current language: "Mon 07.12." in English, "po 07.12." in
Czech. A stand-in until cc_terminal/formats.py names weekdays in the current language."""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from cc_terminal.i18n import ENGLISH, current_language


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):  # a test's pseudo-language: English names
        return Locale.parse(ENGLISH)


def weekday(day: date) -> str:
    """The weekday's short name: "Mon", "po"."""
    return format_date(day, "EEE", locale=_locale(current_language()))


def weekday_name(day: date) -> str:
    """The weekday's whole name: "Monday", "pondělí"."""
    return format_date(day, "EEEE", locale=_locale(current_language()))


def short_day(day: date) -> str:
    """A day in a table or a list: "Mon 07.12."."""
    return f"{weekday(day)} {day:%d.%m.}"


def column_day(day: date) -> str:
    """A day as a week's column title: "Mon 07"."""
    return f"{weekday(day)} {day:%d}"
