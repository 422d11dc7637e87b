"""The small forms of F6: a day off asked for, a reason (rejecting, revoking), a staffing
need, Erlang C's targets for a proposal, the floor's planning rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Select, Static

from cc_terminal.formats import WEEKDAY_NAMES, long_weekday, short_day
from cc_terminal.i18n import N_, _
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.rostering.services import RosteringServices
from cc_terminal.screens.rostering.views import shift_short
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.rostering.erlang import Target
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.form_select import FormSelect

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

SHIFT_CHOICES = [
    (N_("The whole day"), ""),
    (N_("The early shift"), "early"),
    (N_("The late shift"), "late"),
]
PRIORITIES = [(N_("1 must"), "1"), (N_("2 would like"), "2"), (N_("3 nice to have"), "3")]


def _choices(labelled: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """A select's choices, their labels in the language of the moment."""
    return [(_(label), value) for label, value in labelled]


def _input(value: str, name: str, limit: int = 40) -> FormInput:
    return FormInput(value, id=f"off-{name}", max_length=limit, enter_moves_focus=True)


def _number(
    form: FormScreen[RosteringServices, Any],
    name: str,
    errors: dict[str, str],
    low: float,
    high: float,
) -> float:
    text = form.query_one(f"#off-{name}", FormInput).value.strip().replace(",", ".").rstrip("%")
    try:
        value = float(text)
    except ValueError:
        errors[name] = _("A number.")
        return 0.0
    if not low <= value <= high:
        errors[name] = _("From {low:g} to {high:g}.").format(low=low, high=high)
    return value


class DayOffForm(FormScreen[RosteringServices, object]):
    """A day off, or one shift of it, with how much it matters and why."""

    FORM_ID = "day-off-form"

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def title_text(self) -> str:
        return _("Off on {day}").format(day=f"{long_weekday(self.day)} {self.day:%d.%m.%Y}")

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            _("What"),
            FormSelect(_choices(SHIFT_CHOICES), value="", allow_blank=False, id="off-shift"),
            name="shift",
        )
        yield FormField(
            _("Priority"),
            FormSelect(_choices(PRIORITIES), value="2", allow_blank=False, id="off-priority"),
            name="priority",
        )
        yield FormField(_("Note for the team lead"), _input("", "note", 500), name="note")
        yield Static(_("Kept as a draft: Ctrl+S on F6 submits your drafts."), classes="hint")

    def collect(self) -> tuple[str, int, str]:
        return (
            str(self.query_one("#off-shift", Select).value),
            int(str(self.query_one("#off-priority", Select).value)),
            self.query_one("#off-note", FormInput).value,
        )

    def store(self, services: RosteringServices, actor: Actor, values: Any) -> object:
        shift, priority, note = values
        return services.days_off.file(actor, self.day, shift, priority, note)


class ReasonForm(FormScreen[RosteringServices, str]):
    """Why: a rejection or a revocation always says."""

    FORM_ID = "reason-form"

    def __init__(self, title: str) -> None:
        super().__init__()
        self.heading = title

    def title_text(self) -> str:
        return self.heading

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(_("Reason"), _input("", "reason", 500), name="reason")

    def collect(self) -> str:
        reason = self.query_one("#off-reason", FormInput).value.strip()
        if not reason:
            raise ValidationFailed({"reason": _("Say why; the operator sees it.")})
        return reason

    def store(self, services: RosteringServices, actor: Actor, values: Any) -> str:
        return str(values)


class NeedForm(FormScreen[RosteringServices, int]):
    """The fewest heads a day's shift needs."""

    FORM_ID = "need-form"

    def __init__(self, day: date, shift: str, heads: int) -> None:
        super().__init__()
        self.day, self.shift, self.heads = day, shift, heads

    def title_text(self) -> str:
        return _("Heads needed: {day}, {shift}").format(
            day=short_day(self.day), shift=shift_short(self.shift)
        )

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(_("Heads"), _input(str(self.heads), "heads", 4), name="heads")

    def collect(self) -> int:
        text = self.query_one("#off-heads", FormInput).value.strip()
        if not text.isdigit():
            raise ValidationFailed({"heads": _("A whole number of heads.")})
        return int(text)

    def store(self, services: RosteringServices, actor: Actor, values: Any) -> int:
        services.roster.set_need(actor, self.day, self.shift, values)
        return int(values)


class ProposalForm(FormScreen[RosteringServices, object]):
    """Erlang C's inputs: the handling time and the targets; the volume comes from the same
    weekdays of the last four weeks."""

    FORM_ID = "proposal-form"

    def __init__(self, week_start: date) -> None:
        super().__init__()
        self.week_start = week_start

    def title_text(self) -> str:
        return _("Propose the week's needs with Erlang C")

    def compose_fields(self) -> Iterable[Widget]:
        yield Grid(
            *(
                FormField(label, _input(value, name, 8), name=name)
                for name, label, value in (
                    ("aht", _("Average handling time (s)"), "300"),
                    ("level", _("Answered within the time, %"), "80"),
                    ("answer", _("Answer time (s)"), "20"),
                    ("cap", _("Occupancy cap, %"), "85"),
                    ("shrinkage", _("Shrinkage, %"), "30"),
                )
            ),
            # in the grid: on a short terminal it takes the cell beside the last field
            Static(
                _(
                    "Expected calls per half hour: the same weekday over the last 4 weeks. "
                    "Never below the floor."
                ),
                classes="hint",
            ),
            classes="field-grid",
        )

    def collect(self) -> tuple[float, Target]:
        errors: dict[str, str] = {}
        aht = _number(self, "aht", errors, 1, 7200)
        level = _number(self, "level", errors, 1, 99.9)
        answer = _number(self, "answer", errors, 1, 600)
        cap = _number(self, "cap", errors, 1, 100)
        shrinkage = _number(self, "shrinkage", errors, 0, 90)
        if errors:
            raise ValidationFailed(errors)
        return aht, Target(level / 100, answer, cap / 100, shrinkage / 100)

    def store(self, services: RosteringServices, actor: Actor, values: Any) -> object:
        aht, target = values
        return services.roster.propose(actor, self.week_start, aht, target)


class RulesForm(FormScreen[RosteringServices, object]):
    """The floor's planning rules."""

    FORM_ID = "rules-form"

    def __init__(self, rules: dict[str, Any]) -> None:
        super().__init__()
        self.rules = rules

    def title_text(self) -> str:
        return _("Planning rules")

    def compose_fields(self) -> Iterable[Widget]:
        yield Grid(*self._rule_fields(self.rules), classes="field-grid")

    def _rule_fields(self, rules: dict[str, Any]) -> Iterable[Widget]:
        yield FormField(
            _("Requests due on (the week before)"),
            FormSelect(
                _choices((day, str(n)) for n, day in enumerate(WEEKDAY_NAMES)),
                value=str(rules["cutoff_weekday"]),
                allow_blank=False,
                id="off-cutoff-day",
            ),
            name="cutoff_weekday",
        )
        yield FormField(_("at"), _input(rules["cutoff_time"], "cutoff-time", 5), name="cutoff_time")
        yield FormField(
            _("No shift below (heads)"),
            _input(str(rules["floor_heads"]), "floor", 4),
            name="floor_heads",
        )
        yield FormField(
            _("Contract days a week"),
            _input(str(rules["contract_days"]), "contract", 1),
            name="contract_days",
        )
        yield FormField(
            _("At most days in a row"),
            _input(str(rules["max_consecutive_days"]), "run", 2),
            name="max_consecutive_days",
        )

    def collect(self) -> tuple[int, str, int, int, int]:
        errors: dict[str, str] = {}

        def whole(name: str, key: str) -> int:
            text = self.query_one(f"#off-{name}", FormInput).value.strip()
            if not text.isdigit():
                errors[key] = _("A whole number.")
                return 0
            return int(text)

        values = (
            int(str(self.query_one("#off-cutoff-day", Select).value)),
            self.query_one("#off-cutoff-time", FormInput).value.strip(),
            whole("floor", "floor_heads"),
            whole("contract", "contract_days"),
            whole("run", "max_consecutive_days"),
        )
        if errors:
            raise ValidationFailed(errors)
        return values

    def store(self, services: RosteringServices, actor: Actor, values: Any) -> object:
        services.days_off.set_rules(actor, *values)
        return True
