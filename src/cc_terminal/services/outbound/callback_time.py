"""A callback time as an operator types it during a call: ``+2h``, ``+30m``, ``+3d``,
``zítra 10:00`` or ``tomorrow 10``, ``po 9`` or ``mon 9``, ``dnes 15:30``, ``10:00``,
``12.12. 10:00``, ``2026-12-12 10:00``. Czech and English words, with or without
diacritics; times in the operator's own zone. A date without a year follows the one rule
of ``typed_dates``: never a year on without a word."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cc_terminal.i18n import _
from cc_terminal.services.common.typed_dates import DatePassed, parse_coming_date, passed_message

RELATIVE = re.compile(r"^\+\s*(\d{1,3})\s*(m|min|h|hod|d|den|dny|dni)$")
CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")
WEEKDAYS = {
    **dict.fromkeys(("po", "pondeli", "mon", "monday"), 0),
    **dict.fromkeys(("ut", "utery", "tue", "tuesday"), 1),
    **dict.fromkeys(("st", "streda", "wed", "wednesday"), 2),
    **dict.fromkeys(("ct", "ctvrtek", "thu", "thursday"), 3),
    **dict.fromkeys(("pa", "patek", "fri", "friday"), 4),
    **dict.fromkeys(("so", "sobota", "sat", "saturday"), 5),
    **dict.fromkeys(("ne", "nedele", "sun", "sunday"), 6),
}
TODAY = {"dnes", "today"}
TOMORROW = {"zitra", "tomorrow"}
MAX_AHEAD = timedelta(days=366)


class CallbackTimeError(ValueError):
    """The text is not a callback time, or one in the past; the message says which."""


def parse_callback(typed: str, now: datetime, zone: str) -> datetime | None:
    """The callback moment in UTC, or None when nothing was typed (no callback)."""
    text = _plain(typed)
    if not text:
        return None
    local_now = now.astimezone(ZoneInfo(zone))
    try:
        moment = _relative(text, local_now) or _absolute(text, local_now)
    except DatePassed as error:
        raise CallbackTimeError(passed_message(error, _("That time has passed."))) from None
    if moment is None:
        raise CallbackTimeError(
            _("Not a time: try +2h, +3d, tomorrow 10:00, mon 9 or 12.12. 10:00.")
        )
    if moment <= local_now:
        raise CallbackTimeError(_("That time has passed."))
    if moment - local_now > MAX_AHEAD:
        raise CallbackTimeError(_("More than a year ahead."))
    return moment.astimezone(UTC)


def _plain(typed: str) -> str:
    """Lower case, no diacritics ("zítra" is "zitra"), single spaces, none inside "+ 2 h"."""
    decomposed = unicodedata.normalize("NFKD", typed.casefold())
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^\+\s*", "+", text)


def _relative(text: str, now: datetime) -> datetime | None:
    found = RELATIVE.match(text)
    if not found:
        return None
    amount, unit = int(found.group(1)), found.group(2)
    if unit.startswith("m"):
        return now + timedelta(minutes=amount)
    if unit.startswith("h"):
        return now + timedelta(hours=amount)
    return now + timedelta(days=amount)


def _absolute(text: str, now: datetime) -> datetime | None:
    words = text.split()
    if len(words) > 2:
        return None
    day_word, clock_word = (words[0], words[1]) if len(words) == 2 else (None, words[0])
    clock = _clock(clock_word)
    if clock is None:
        if day_word is None:  # one word that is a day, not a time: that day, now's time
            return _on_day(clock_word, now, now.time().replace(second=0, microsecond=0))
        return None
    if day_word is None:
        moment = _at(now.date(), clock, now)
        return moment if moment > now else _at(now.date() + timedelta(days=1), clock, now)
    return _on_day(day_word, now, clock)


def _on_day(word: str, now: datetime, clock: time) -> datetime | None:
    if word in TODAY:
        return _at(now.date(), clock, now)
    if word in TOMORROW:
        return _at(now.date() + timedelta(days=1), clock, now)
    if word in WEEKDAYS:
        ahead = (WEEKDAYS[word] - now.weekday()) % 7
        moment = _at(now.date() + timedelta(days=ahead), clock, now)
        return moment if moment > now else moment + timedelta(days=7)
    day = _date(word, now.date())
    return _at(day, clock, now) if day else None


def _clock(word: str) -> time | None:
    found = CLOCK.match(word)
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _date(word: str, today: date) -> date | None:
    try:
        return parse_coming_date(word, today)
    except DatePassed:
        raise
    except ValueError:
        return None


def _at(day: date, clock: time, now: datetime) -> datetime:
    return datetime.combine(day, clock, tzinfo=now.tzinfo)
