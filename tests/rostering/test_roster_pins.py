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


def test_the_solver_is_given_the_week_as_stored(ws, lead, petr, clock):
    """week_of: the seven days, the team, this week's wishes only (approved, submitted and
    waitlisted; not the week before or after), the cells pinned by hand and the rules."""
    from cc_terminal.services.rostering.roster_input import week_of
    from tests.conftest import login
    from tests.rostering.days_off_floor import PASSWORD, set_up_days_off

    set_up_days_off(ws)
    tomas, lucie = ws.auth.login("tomas", PASSWORD), ws.auth.login("lucie", PASSWORD)
    first = ws.days_off.file(tomas, WEEK, "early", 3, "")
    last = ws.days_off.file(lucie, WEEK + timedelta(days=6), "late", 1, "")
    before = ws.days_off.file(lucie, WEEK - timedelta(days=1), "", 2, "")  # the week before
    ws.days_off.submit(tomas, [first])
    ws.days_off.submit(lucie, [last, before])
    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK + timedelta(days=2), "late")
    ws.days_off.set_rules(lead, 2, "18:00", 1, 5, 5)
    clock.advance(7 * 24 * 3600)  # a week on, the week after this one is open for requests
    after = ws.days_off.file(lucie, WEEK + timedelta(days=7), "", 2, "")
    ws.days_off.submit(lucie, [after])
    names = {login(ws, "jana").operator_id: "jana", petr.operator_id: "petr"}
    for username in ("eva", "tomas", "lucie", "karel"):
        names[ws.auth.login(username, PASSWORD).operator_id] = username

    with ws.db.read() as session:
        week = week_of(session, WEEK, budget=1.5)

    assert week.days == tuple(WEEK + timedelta(days=n) for n in range(7))
    assert {person.id for person in week.people} >= set(names)
    assert all(p.contract_days == 5 and p.weekends_off == 0 for p in week.people)
    assert "Jana Svobodová" in {person.name for person in week.people}
    wished = {
        (names[w.operator_id], (w.day - WEEK).days, w.shift, w.priority, w.approved, w.waitlisted)
        for w in week.wishes
    }
    assert wished == {
        ("jana", 5, "", 1, True, False),
        ("petr", 5, "", 2, False, True),
        ("eva", 4, "", 2, False, False),
        ("karel", 3, "", 2, False, False),
        ("tomas", 0, "early", 3, False, False),
        ("lucie", 6, "late", 1, False, False),
    }
    assert week.pinned == {(petr.operator_id, WEEK + timedelta(days=2)): "late"}
    assert (week.max_consecutive, week.seed, week.budget) == (5, 7, 1.5)
    assert week.needs[(WEEK + timedelta(days=3), "early")] == 3


def test_the_solver_is_given_each_ones_weekends_off_of_the_eight_weeks_before(ws, lead, jana):
    """A weekend off approved on 12-13 December counts for the weeks up to eight after it."""
    from cc_terminal.models import RequestState
    from cc_terminal.services.rostering.roster_input import week_of

    for day in (WEEK + timedelta(days=5), WEEK + timedelta(days=6)):
        request = ws.days_off.file(jana, day)
        ws.days_off.submit(jana, [request])
        ws.days_off.decide(lead, [request], RequestState.APPROVED)

    def weekends_off(week_start: date) -> dict[str, int]:
        with ws.db.read() as session:
            week = week_of(session, week_start, budget=1.5)
        return {person.name: person.weekends_off for person in week.people}

    assert weekends_off(WEEK + timedelta(weeks=1))["Jana Svobodová"] == 1
    assert weekends_off(WEEK + timedelta(weeks=1))["Petr Dvořák"] == 0
    assert weekends_off(WEEK + timedelta(weeks=8))["Jana Svobodová"] == 1
    assert weekends_off(WEEK + timedelta(weeks=9))["Jana Svobodová"] == 0
