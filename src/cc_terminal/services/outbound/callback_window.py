"""A callback time as typed, placed in the campaign's calling window: a time outside it (a
Saturday evening, a Sunday, a holiday, 21:47 on a weekday) moves to the window's next
opening, and the operator is told so while typing. Plain Python: the chord calls it on
every key, the service again when the lead is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cc_terminal.formats import weekday
from cc_terminal.i18n import _
from cc_terminal.services.outbound.callback_time import CallbackTimeError, parse_callback
from cc_terminal.services.outbound.calling_rules import CallingHours

WEEK = timedelta(days=6)


@dataclass(frozen=True)
class PlacedCallback:
    at: datetime  # when the person is called back (UTC), inside the window
    typed: datetime  # what the typed text meant (UTC)

    @property
    def moved(self) -> bool:
        return self.at != self.typed


def place_callback(
    typed: str, now: datetime, zone: str, hours: CallingHours
) -> PlacedCallback | None:
    """The callback for the typed text (None when nothing was typed); raises
    ``CallbackTimeError`` for text that is no time, or no window ahead to move it to."""
    moment = parse_callback(typed, now, zone)
    if moment is None:
        return None
    opening = hours.next_opening(moment)
    if opening is None:
        raise CallbackTimeError(_("The campaign has no calling hours in the next two weeks."))
    return PlacedCallback(opening.astimezone(UTC), moment)


def moved_note(placed: PlacedCallback | None, now: datetime, zone: str) -> str:
    """ "Outside calling hours: moved to Mon 9:00" (the day's date too when a week or more
    ahead), in the operator's zone; empty when the typed time stays."""
    if placed is None or not placed.moved:
        return ""
    local = placed.at.astimezone(ZoneInfo(zone))
    name = weekday(local.date())
    day = name if placed.at - now < WEEK else f"{name} {local.day}.{local.month}."
    return _("Outside calling hours: moved to {when}").format(when=f"{day} {local.hour}:{local:%M}")
