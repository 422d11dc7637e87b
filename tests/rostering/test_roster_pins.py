"""A pinned cell belongs to its roster's week (both stores): a day of another week is
refused and nothing is stored."""

from datetime import date, timedelta

import pytest

from cc_terminal.services.common.errors import ValidationFailed
from tests.helpers import count_rows

WEEK = date(2026, 12, 7)


def test_a_pin_on_a_day_of_another_week_is_refused(ws, lead, petr):
    for day in (WEEK - timedelta(days=1), WEEK + timedelta(days=7)):
        with pytest.raises(ValidationFailed) as refused:
            ws.roster.pin(lead, WEEK, petr.operator_id, day, "late")
        assert "is not in the week of 07.12.2026" in refused.value.errors["day"]
    assert count_rows(ws, "roster_cell") == 0
    ws.roster.pin(lead, WEEK + timedelta(days=3), petr.operator_id, WEEK + timedelta(days=6), "")
    assert ws.roster.view(lead, WEEK).cells[(petr.operator_id, WEEK + timedelta(days=6))] == (
        "",
        True,
    )
