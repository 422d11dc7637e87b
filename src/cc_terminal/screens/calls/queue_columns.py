"""What F7's request and escalation tabs show: their columns, the department filter and
the requests' summary line (the screen is screens/calls/queues.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import NARROW
from cc_terminal.widgets.column_widths import fill_one_line
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTable

if TYPE_CHECKING:
    from cc_terminal.services.common.reference import ReferenceLists
    from cc_terminal.services.common.views import Actor

ALL = "*"


REQUEST_COLUMNS = (
    N_("Due"),
    N_("Status"),
    N_("Category"),
    N_("Department"),
    N_("Customer"),
    N_("About"),
    N_("Raised by"),
)
NARROW_REQUEST_COLUMNS = (0, 1, 2, 4, 5)  # below 100 columns: no department, no author
ABOUT_AT_LEAST, ABOUT_AT_LEAST_NARROW = 24, 16  # cells, while the text is as long


def department_filter(actor: Actor, lists: ReferenceLists) -> PlainSelect[str]:
    """A team lead picks any department, or all; anyone else sees their own."""
    departments = [(_(c.label), c.code) for c in lists.active(ListKind.DEPARTMENT)]
    if actor.is_lead:
        departments.insert(0, (_("All departments"), ALL))
    return PlainSelect(
        departments,
        value=ALL if actor.is_lead else actor.department,
        allow_blank=False,
        disabled=not actor.is_lead,
        id="queue-department",
    )


def request_summary(n: int, late: int, everything: bool) -> str:
    if everything:
        line = ngettext("{n} request, {late} overdue", "{n} all requests, {late} overdue", n)
    else:
        line = ngettext("{n} open request, {late} overdue", "{n} open requests, {late} overdue", n)
    return line.format(n=n, late=late) + " · " + _("A switches open/all")


def request_table() -> DataTable[Text | str]:
    return PlainTable(id="request-queue", cursor_type="row")


ESCALATION_COLUMNS = (
    N_("Raised"),
    N_("Status"),
    N_("Operator"),
    N_("Customer"),
    N_("Reason"),
    N_("Call time"),
    N_("Notes so far"),
)
MINE_COLUMNS = (N_("Raised"), N_("Status"), N_("Customer"), N_("Reason"), N_("The lead's answer"))


def fill_requests(
    table: DataTable[Text | str], rows: list[tuple[str, list[Text | str]]], width: int
) -> None:
    """One line a request, its due time and status whole, what it is about given the room
    first; below 100 columns without the department and who raised it (both in the request
    Enter opens)."""
    shown = range(len(REQUEST_COLUMNS)) if width >= NARROW else NARROW_REQUEST_COLUMNS
    about = list(shown).index(5)
    fill_one_line(
        table,
        [_(REQUEST_COLUMNS[index]) for index in shown],
        [(key, [cells[index] for index in shown]) for key, cells in rows],
        width,
        whole=(0, 1),
        at_least={about: ABOUT_AT_LEAST if width >= NARROW else ABOUT_AT_LEAST_NARROW},
    )
