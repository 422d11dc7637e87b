"""How times and money read on screen and in scripts (plain Python: the services use it too)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.units import format_unit

from cc_terminal.i18n import ENGLISH, LANGUAGES, N_, current_language


def local_time(moment: datetime | None, zone: tzinfo, pattern: str = "%d.%m.%Y %H:%M") -> str:
    return moment.astimezone(zone).strftime(pattern) if moment else "—"


# The days of the week, Monday first, for forms that name a weekday rather than a date
# (translated where shown).
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def weekday(day: date) -> str:
    """The day's short name in the language shown: "po" in Czech, "Mon" in English."""
    return _day_name(day.weekday(), "EEE", _babel_language())


def long_weekday(day: date) -> str:
    """The day's whole name: "pondělí", "Monday"."""
    return _day_name(day.weekday(), "EEEE", _babel_language())


def _babel_language() -> str:
    language = current_language()
    return language if language in LANGUAGES else ENGLISH  # a test's pseudo-language


@cache
def _day_name(number: int, pattern: str, language: str) -> str:
    return format_date(date(2024, 1, 1 + number), pattern, locale=language)  # 1.1.2024: Mon


def short_day(day: date) -> str:
    """A day of this week or the next, as a roster and a callback read it: "po 07.12."."""
    return f"{weekday(day)} {day:%d.%m.}"


def day_with_year(day: date) -> str:
    """A day further away: "po 07.12.2026"."""
    return f"{weekday(day)} {day:%d.%m.%Y}"


def month_name(day: date) -> str:
    """The month as a title names it: "prosinec 2026", "December 2026"."""
    return format_date(day, "LLLL y", locale=_babel_language())


def coming_time(moment: datetime, zone: tzinfo, now: datetime) -> str:
    """A day and time as read back to a person: the year shown when it is not this one."""
    local = moment.astimezone(zone)
    same_year = local.year == now.astimezone(zone).year
    return local.strftime("%d.%m. %H:%M" if same_year else "%d.%m.%Y %H:%M")


def duration(span: timedelta) -> str:
    """Hours and minutes, with the unit in the shape: 36:40 (36:40:15 when it has seconds)."""
    minutes, second = divmod(round(span.total_seconds()), 60)
    text = f"{minutes // 60}:{minutes % 60:02d}"
    return f"{text}:{second:02d}" if second else text


def spoken_duration(seconds: int) -> str:
    """A span with its unit in words, never read as another: "4 min 33 s" under an hour,
    "8 h 05 min" from one (a payslip's "04:33" was read as hours on one line and minutes
    on the next)."""
    minutes, second = divmod(max(0, int(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {second:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@cache
def _locale(region: str) -> Locale:
    # "und_CZ" lets CLDR pick the region's likely language: cs_CZ, sk_SK, de_AT...
    return Locale.parse(f"und_{region}")


@lru_cache(maxsize=4096)  # a catalogue has few prices; the ledger repeats them
def money(minor: int, currency: str, region: str = "CZ") -> str:
    return format_currency(Decimal(minor) / 100, currency, locale=_locale(region))


def amount(value: Decimal | float | int, region: str = "CZ") -> str:
    """A sum without its currency, as the region writes it: "2 325,60" in Czechia."""
    return format_decimal(Decimal(str(value)), format="#,##0.00", locale=_locale(region))


def number(value: Decimal | float | int, region: str = "CZ") -> str:
    """A number as the region writes it, its decimals as given: "8,9" in Czechia."""
    return format_decimal(Decimal(str(value)), locale=_locale(region))


def money_of(value: Decimal | float | int, currency: str, region: str = "CZ") -> str:
    """``money`` of a sum in whole units (pay figures are Decimals): "2 325,60 Kč"."""
    minor = (Decimal(str(value)) * 100).to_integral_value(rounding=ROUND_HALF_UP)
    return money(int(minor), currency, region)


@cache
def currency_symbol(currency: str, region: str = "CZ") -> str:
    """How the region writes the currency: Kč for CZK in Czechia, € for EUR."""
    return get_currency_symbol(currency, locale=_locale(region))


def file_size(size: int) -> str:
    """A file's size as the operator's language writes it: "820 B", "12 kB", "1,5 MB"."""
    language = _babel_language()
    if size < 1000:
        return f"{size} B"
    unit, value = ("digital-kilobyte", size / 1000)
    if size >= 1_000_000:
        unit, value = ("digital-megabyte", size / 1_000_000)
    rounded = round(value) if value >= 10 else round(value, 1)
    return format_unit(rounded, unit, length="short", locale=language)
