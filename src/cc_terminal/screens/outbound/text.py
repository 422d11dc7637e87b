"""What F3 says, drawn from the service's plain values: the list's columns and rows, the
count above it, and the line about a callback on the lead's card."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models import LeadStatus, Temperature
from cc_terminal.services.outbound.views import LeadCard, LeadRow
from cc_terminal.widgets.words import label, shipped, titled

LIST_COLUMNS = (  # 76 cells: the list pane's width on a 120-column terminal
    (N_("Next"), 12),
    (N_("Campaign"), 10),
    (N_("Customer"), 16),
    (N_("Town"), 8),
    (N_("Temp"), 4),
    (N_("Status"), 8),
    (N_("Try"), 3),
    (N_("Last"), 8),
)
STATUS_LABELS = {
    LeadStatus.OPEN: N_("open"),
    LeadStatus.CALLBACK: N_("callback"),
    LeadStatus.CALLING: N_("calling"),
    LeadStatus.DONE: N_("done"),
    LeadStatus.UNWORKABLE: N_("bad number"),
    LeadStatus.EXHAUSTED: N_("exhausted"),
}
TEMPERATURE_LABELS = {
    Temperature.HOT: N_("hot"),
    Temperature.WARM: N_("warm"),
    Temperature.COLD: N_("cold"),
}
WHEN = "%d.%m. %H:%M"


def list_columns() -> tuple[tuple[str, int], ...]:
    return titled(LIST_COLUMNS)


def count_line(rows: tuple[LeadRow, ...]) -> str:
    """How many leads, and how many N could take now (the pick's own rule)."""
    due = sum(1 for row in rows if row.callable_now)
    leads = ngettext("{n} lead", "{n} leads", len(rows)).format(n=len(rows))
    line = _("{leads}, {due} to call now. N takes the next; Enter opens the highlighted one.")
    return line.format(leads=leads, due=due)


def list_row(row: LeadRow, zone: tzinfo) -> tuple[Text | str, ...]:
    return (
        next_call(row, zone),
        row.campaign_name,
        row.customer_name,
        row.city or "—",
        label(TEMPERATURE_LABELS, row.temperature),
        label(STATUS_LABELS, row.status),
        str(row.attempts),
        shipped(row.last_label) or "—",  # a disposition: the shipped ones are translated
    )


def next_call(row: LeadRow, zone: tzinfo) -> Text:
    """ "now" only when N could take it now; else when it may be called (its window's
    next opening), "blocked" when no call is allowed, a dash while held or closed."""
    if row.callable_now:
        style = "bold red" if row.status == LeadStatus.CALLBACK else ""
        return Text(_("now"), style=style)
    if row.blocked:
        return Text(_("blocked"), style="red")
    return Text(local_time(row.next_call_at, zone, WHEN))


def callback_line(card: LeadCard, zone: tzinfo) -> str:
    """When the callback was agreed, by whom, and for when; empty without a callback."""
    if card.callback_at is None:
        return ""
    when = local_time(card.callback_at, zone, WHEN)
    who = card.callback_agreed_by or _("someone")
    if card.callback_agreed_at is None:
        return _("Callback for {when}, set for {who}.").format(when=when, who=who)
    agreed = local_time(card.callback_agreed_at, zone, WHEN)
    return _("Callback for {when}, agreed {agreed} by {who}.").format(
        when=when, agreed=agreed, who=who
    )
