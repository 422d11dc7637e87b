"""What a day-off decision does beyond the request: an approved change takes only the
asked shift off the published week, as a new version of the cell; room freed by a
cancellation goes to that day's waitlist, first filed first, shift by shift."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from cc_terminal.models import RequestState, Shift
from cc_terminal.models.roster import RosterCell
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation

S = RequestState
WEEK_AFTER = date(2026, 12, 7)  # the test day is Friday 27 November
PASSWORD = "eva-pass-1"


def _eva(ws: Workstation, lead: Actor) -> Actor:
    ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", PASSWORD, must_change=False)
    return ws.auth.login("eva", PASSWORD)


def _team_size(ws: Workstation, lead: Actor, day: date) -> int:
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, 0)
    return ws.days_off.coverage(lead, WEEK_AFTER).left(day, "early")


def _published_week(ws: Workstation, lead: Actor) -> None:
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK_AFTER)
    ws.roster.publish(lead, WEEK_AFTER)


def _cell(ws: Workstation, operator: Actor, day: date) -> tuple[str, bool, int]:
    with ws.db.read() as session:
        cell = session.scalars(
            select(RosterCell).where(
                RosterCell.operator_id == operator.operator_id, RosterCell.day == day
            )
        ).one()
        return cell.shift, cell.pinned, cell.version


def _approved_change(ws: Workstation, lead: Actor, who: Actor, day: date, shift: str) -> None:
    request = ws.days_off.file(who, day, shift)
    ws.days_off.submit(who, [request])
    assert ws.days_off.mine(who)[0].change
    ws.days_off.decide(lead, [request], S.APPROVED)


def test_approved_changes_clear_each_ones_worked_day_as_the_cells_next_version(
    ws, lead, jana, petr
):
    _published_week(ws, lead)
    before = ws.roster.view(lead, WEEK_AFTER).cells
    worked = min(
        day
        for day in {d for _op, d in before}
        if before[(jana.operator_id, day)][0] and before[(petr.operator_id, day)][0]
    )
    for who in (jana, petr):
        assert _cell(ws, who, worked)[2] == 1
        _approved_change(ws, lead, who, worked, "")
        assert _cell(ws, who, worked) == ("", True, 2)  # one version on: the one sync compares
    off = {(who.operator_id, worked): ("", True) for who in (jana, petr)}
    assert ws.roster.view(lead, WEEK_AFTER).cells == before | off  # nobody else's day


def test_a_change_for_the_other_shift_leaves_the_worked_shift_in_the_roster(ws, lead, petr):
    _published_week(ws, lead)
    cells = ws.roster.view(lead, WEEK_AFTER).cells
    worked, shift = min(
        (d, shift) for (op, d), (shift, _pin) in cells.items() if op == petr.operator_id and shift
    )
    other = "late" if shift == "early" else "early"
    _approved_change(ws, lead, petr, worked, other)
    assert _cell(ws, petr, worked) == (shift, False, 1)  # the day is worked as published


def test_a_change_of_someone_not_in_the_published_week_is_approved(ws, lead):
    _published_week(ws, lead)
    eva = _eva(ws, lead)  # joined after the week was published: she has no cells in it
    _approved_change(ws, lead, eva, WEEK_AFTER + timedelta(days=2), "")
    assert ws.days_off.mine(eva)[0].state is S.APPROVED
    assert eva.operator_id not in {op for op, _day in ws.roster.view(lead, WEEK_AFTER).cells}


def _waitlisted(ws: Workstation, lead: Actor, who: Actor, day: date, shift: str = "") -> None:
    request = ws.days_off.file(who, day, shift)
    ws.days_off.submit(who, [request])
    ws.days_off.decide(lead, [request], S.WAITLISTED)


def _approved(ws: Workstation, lead: Actor, who: Actor, day: date, shift: str = "") -> uuid.UUID:
    request = ws.days_off.file(who, day, shift)
    ws.days_off.submit(who, [request])
    ws.days_off.decide(lead, [request], S.APPROVED)
    return request


def test_of_the_same_priority_the_first_filed_gets_the_room(ws, lead, jana, petr, clock):
    eva = _eva(ws, lead)
    day = WEEK_AFTER + timedelta(days=2)
    heads = _team_size(ws, lead, day)
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, heads - 1)
    mine = _approved(ws, lead, jana, day)
    clock.advance(3600)
    _waitlisted(ws, lead, eva, day)  # filed at 10:30, stored first
    clock.advance(-1800)
    _waitlisted(ws, lead, petr, day)  # filed at 10:00 on a terminal whose op came later
    ws.days_off.cancel(jana, mine)
    assert ws.days_off.mine(petr)[0].state is S.APPROVED
    assert ws.days_off.mine(eva)[0].state is S.WAITLISTED


def test_a_cancellation_frees_room_only_on_its_own_day(ws, lead, jana, petr):
    day = WEEK_AFTER + timedelta(days=2)
    heads = _team_size(ws, lead, day)
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, heads - 1)
    mine = _approved(ws, lead, jana, day)
    _waitlisted(ws, lead, petr, day + timedelta(days=1))  # another day: not this one's room
    ws.days_off.cancel(jana, mine)
    assert ws.days_off.mine(petr)[0].state is S.WAITLISTED


def test_a_waitlisted_late_shift_is_approved_when_late_has_room_though_early_is_short(
    ws, lead, jana, petr
):
    eva = _eva(ws, lead)
    day = WEEK_AFTER + timedelta(days=2)
    heads = _team_size(ws, lead, day)
    _approved(ws, lead, eva, day, "early")  # approved before the early need went up
    mine = _approved(ws, lead, jana, day)
    ws.roster.set_need(lead, day, "early", heads)  # now early is one short, with or without Jana
    ws.roster.set_need(lead, day, "late", heads - 1)
    _waitlisted(ws, lead, petr, day, "late")
    ws.days_off.cancel(jana, mine)
    assert ws.days_off.mine(petr)[0].state is S.APPROVED
