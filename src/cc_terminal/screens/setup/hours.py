"""A department's working hours on Setup (F10, Departments, H): each weekday's spans and
whether it works on public holidays. Requests fall due, and become overdue, only in these
hours (services/common/working_hours.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Checkbox, Static

from cc_terminal.formats import WEEKDAY_NAMES
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.views import Actor, Choice
from cc_terminal.services.common.working_hours import (
    DAY_TEXT,
    DAYS,
    HoursError,
    WeekHours,
    read_week,
)
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain

SHORT_DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def hours_summary(text: str | None) -> str:
    """A department's week in a table cell: "Mon-Fri 08:00-16:30", days alike together."""
    try:
        week = read_week(text or "")
    except HoursError:
        return _("unreadable: the default hours")
    groups: list[tuple[int, int, str]] = []
    for index, day in enumerate(" ".join(day.split()) for day in week.days):
        if groups and groups[-1][2] == day and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index, day)
        else:
            groups.append((index, index, day))
    short = [_(name) for name in SHORT_DAYS]
    parts = [
        f"{short[first]}{'-' + short[last] if last > first else ''} {day}"
        for first, last, day in groups
        if day
    ]
    if week.open_on_holidays:
        parts.append(_("holidays too"))
    return ", ".join(parts)


class WorkingHoursForm(FormScreen[SetupServices, Choice]):
    """One department's week: a span per day such as 08:00-16:30 (two or three with
    spaces between; empty: closed), and whether it works on public holidays."""

    FORM_ID = "hours-form"

    def __init__(self, department: Choice) -> None:
        super().__init__()
        self.department = department

    def title_text(self) -> str:
        return _("Working hours: {department}").format(department=_(self.department.label))

    def compose_fields(self) -> Iterable[Widget]:
        try:
            week = read_week(self.department.working_hours or "")
        except HoursError:
            week = WeekHours()
        yield Static(
            plain(
                _(
                    "Each day's hours, such as 08:00-16:30 or 08:00-12:00 13:00-16:30; "
                    "empty: closed. Due times count only these hours."
                ),
                multi_line=True,
            ),
            classes="form-hint",
        )
        days = (
            FormField(
                _(WEEKDAY_NAMES[index]),
                FormInput(
                    week.days[index],
                    id=f"hours-day{index}",
                    max_length=DAY_TEXT + 4,  # room for a space typed around a dash
                    enter_moves_focus=True,
                    compact=True,
                ),
                name=f"day{index}",
            )
            for index in range(DAYS)
        )
        holidays = Checkbox(
            _("Works on public holidays"), week.open_on_holidays, id="hours-holidays"
        )
        yield Grid(*days, holidays, id="hours-grid")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#hours-day0"))

    def collect(self) -> Choice:
        days = tuple(self.query_one(f"#hours-day{i}", FormInput).value for i in range(DAYS))
        week = WeekHours(days, self.query_one("#hours-holidays", Checkbox).value)
        return replace(self.department, working_hours=week.text())

    def store(self, services: SetupServices, actor: Actor, values: Choice) -> Choice:
        return services.reference.save(actor, ListKind.DEPARTMENT, values)
