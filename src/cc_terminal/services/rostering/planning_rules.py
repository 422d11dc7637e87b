"""The planning rules a team lead sets: when days-off requests for a week are due, the
floor's fewest heads a shift, each operator's contract days and the most days in a row;
checked, stored and read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models.roster import RosterRules
from cc_terminal.services.common.validation import FormErrors


@dataclass(frozen=True)
class PlanningRules:
    cutoff_weekday: int
    cutoff_time: str
    floor_heads: int
    contract_days: int
    max_consecutive_days: int

    @classmethod
    def of(cls, rules: RosterRules) -> PlanningRules:
        return cls(
            rules.cutoff_weekday,
            rules.cutoff_time,
            rules.floor_heads,
            rules.contract_days,
            rules.max_consecutive_days,
        )

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)

    def check(self) -> None:
        """Raises ValidationFailed naming every rule out of its range."""
        form = FormErrors()
        if not 0 <= self.cutoff_weekday <= 6:
            form.add("cutoff_weekday", _("A weekday, Monday 0 to Sunday 6."))
        try:
            hours, minutes = (int(part) for part in self.cutoff_time.split(":"))
            if not (0 <= hours < 24 and 0 <= minutes < 60):
                raise ValueError
        except ValueError:
            form.add("cutoff_time", _("A time such as 18:00."))
        if not 0 <= self.floor_heads <= 500:
            form.add("floor_heads", _("0 to 500 heads."))
        if not 1 <= self.contract_days <= 7:
            form.add("contract_days", _("1 to 7 days."))
        if not 1 <= self.max_consecutive_days <= 14:
            form.add("max_consecutive_days", _("1 to 14 days."))
        form.raise_if_any()

    def store(self, session: Session, clock: Callable[[], datetime]) -> None:
        """The one rules row, made or changed (a new version)."""
        rules = session.get(RosterRules, 1)
        if rules is None:
            rules = RosterRules(updated_at=clock())
            session.add(rules)
        else:
            rules.version += 1
        rules.cutoff_weekday, rules.cutoff_time = self.cutoff_weekday, self.cutoff_time
        rules.floor_heads, rules.contract_days = self.floor_heads, self.contract_days
        rules.max_consecutive_days, rules.updated_at = self.max_consecutive_days, clock()
