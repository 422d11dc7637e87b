"""Who may be called, and when: calling windows in the person's own time, public holidays,
and the legal basis for a call (docs/domain/CALLING_RULES.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from cc_terminal.formats import short_day
from cc_terminal.i18n import _
from cc_terminal.models import CampaignKind, Temperature

if TYPE_CHECKING:
    from holidays import HolidayBase

WINDOW = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
DEFAULT_ZONE = "Europe/Prague"
OPENING_HORIZON_DAYS = 15  # past the longest run of Czech rest days (24.-26.12., a Sunday)


class WindowError(ValueError):
    """A calling window that is not HH:MM-HH:MM with the start before the end."""


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    def holds(self, moment: time) -> bool:
        return self.start <= moment < self.end


@lru_cache(maxsize=256)
def parse_window(text: str) -> Window | None:
    """ "09:00-20:00" as a window; empty text means no calls that day."""
    text = text.strip()
    if not text:
        return None
    found = WINDOW.match(text.replace(" ", ""))
    if not found:
        raise WindowError(_("Write the window as 09:00-20:00, or leave it empty for none."))
    h1, m1, h2, m2 = (int(part) for part in found.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise WindowError(_("No such time of day."))
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise WindowError(_("The window must end after it starts."))
    return Window(start, end)


@cache
def _holidays(country: str, year: int) -> HolidayBase:
    import holidays  # the first dial that needs it: every country's calendars are 3.5 MB

    return holidays.country_holidays(country, years=year)


def is_holiday(day: date, country: str = "CZ") -> bool:
    return day in _holidays(country, day.year)


def is_rest_day(day: date, country: str = "CZ") -> bool:
    """A Sunday or a public holiday: no calls, and no callbacks unless the person asked."""
    return day.weekday() == 6 or is_holiday(day, country)


@dataclass(frozen=True)
class CallingHours:
    """A campaign's calling window in one time zone: when a person there may be called."""

    weekday_window: str
    saturday_window: str
    zone: str
    country: str = "CZ"

    def open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.zone))
        window = self._window_on(local.date())
        return window is not None and window.holds(local.time())

    def next_opening(self, moment: datetime) -> datetime | None:
        """``moment`` itself when the window is open then, else the window's next start
        (None when the campaign has no window in the fortnight ahead)."""
        tz = ZoneInfo(self.zone)
        local = moment.astimezone(tz)
        for ahead in range(OPENING_HORIZON_DAYS):
            day = local.date() + timedelta(days=ahead)
            window = self._window_on(day)
            if window is None:
                continue
            start = datetime.combine(day, window.start, tzinfo=tz)
            if start >= local:
                return start.astimezone(moment.tzinfo)
            if local < datetime.combine(day, window.end, tzinfo=tz):
                return moment
        return None

    def _window_on(self, day: date) -> Window | None:
        if is_rest_day(day, self.country):
            return None
        return parse_window(self.saturday_window if day.weekday() == 5 else self.weekday_window)


def zone_of(e164: str) -> str:
    """The time zone of a number's country (Czech and Slovak numbers: Europe/Prague's
    offset); the floor's zone when the number spans several."""
    code = _calling_code(e164)
    if code and (zone := _country_zone(code)):
        return zone  # most countries have one zone: no need to parse the number
    return _number_zone(e164)


def _calling_code(e164: str) -> str:
    """The country calling code at the start of an E.164 number (codes are prefix-free)."""
    digits = e164[1:4]
    for length in (1, 2, 3):
        if digits[:length].isdigit() and int(digits[:length]) in COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return ""


@cache
def _country_zone(code: str) -> str | None:
    """The zone every number of a calling code is in, or None when there are several."""
    from phonenumbers.tzdata import TIMEZONE_DATA  # the first dial: see _number_zone

    zones = {
        zone for prefix, found in TIMEZONE_DATA.items() if prefix.startswith(code) for zone in found
    }
    only = next(iter(zones)) if len(zones) == 1 else ""
    return only if "/" in only else None


@lru_cache(maxsize=4096)
def _number_zone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return DEFAULT_ZONE
    # Imported by the first dial that needs it, as holidays: a terminal that only takes
    # incoming calls never loads the time zones of every number prefix (about 1.4 MB).
    from phonenumbers import timezone as phone_zones

    zones = phone_zones.time_zones_for_number(number)
    return zones[0] if len(zones) == 1 and "/" in zones[0] else DEFAULT_ZONE


def country_of(e164: str) -> str:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or "CZ"
    except phonenumbers.NumberParseException:
        return "CZ"


@dataclass(frozen=True)
class LegalBasis:
    """Whether a call may be made now, and the words that say why (or why not)."""

    allowed: bool
    reason: str


def legal_basis(kind: str, temperature: str, consented: bool, objected: bool) -> LegalBasis:
    if objected:
        return LegalBasis(False, _("Objected to calls: never call this number."))
    if kind != CampaignKind.SALES:
        return LegalBasis(True, _("Survey, information or confirmation: no consent needed."))
    if temperature == Temperature.HOT:
        return LegalBasis(True, _("Existing customer who has not objected."))
    if temperature == Temperature.WARM:
        return LegalBasis(True, _("Asked to be contacted (web order or form)."))
    if consented:
        return LegalBasis(True, _("Marketing consent recorded for this number."))
    return LegalBasis(False, _("Cold lead without consent: no sales call (§ 96, Act 127/2005)."))


def within_hours(basis: LegalBasis, hours: CallingHours, at: datetime) -> LegalBasis:
    """A call allowed by its legal basis is still made only inside the calling window."""
    if not basis.allowed or hours.open_at(at):
        return basis
    opening = hours.next_opening(at)
    if opening is None:
        return LegalBasis(False, _("Outside the calling hours, and none in the next two weeks."))
    local = opening.astimezone(ZoneInfo(hours.zone))
    when = f"{short_day(local.date())} {local.hour}:{local:%M}"
    return LegalBasis(False, _("Outside the calling hours: they open {when}.").format(when=when))
