"""Weekday names in the current language ("Mon" in English, "po" in Czech), for the days the
services write into messages, read-backs and printouts. A stand-in until formats.py has
language-aware day names: every call site goes through here, so it moves in one place."""

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
    except (UnknownLocaleError, ValueError):  # a test's pseudo-locale, say
        return Locale.parse(ENGLISH)


def weekday(day: date) -> str:
    """The day's short weekday name: "Mon", "po"."""
    return format_date(day, "EEE", locale=_locale(current_language()))


def weekday_day(day: date) -> str:
    """ "Mon 07.12." / "po 07.12." """
    return f"{weekday(day)} {day:%d.%m.}"


def weekday_date(day: date) -> str:
    """ "Mon 07.12.2026" / "po 07.12.2026" """
    return f"{weekday(day)} {day:%d.%m.%Y}"
