"""Days off and the roster: request states and who may move them, the cutoff, coverage and
the waitlist, fairness, Erlang C's test vector, the solver on small weeks with known
answers (and weeks it cannot roster, named), publishing, export and the printout."""

from __future__ import annotations

import csv
import uuid
from datetime import date, timedelta

import pytest

from cc_terminal.models import RequestState, Shift
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.rostering.erlang import Target, staffing
from cc_terminal.services.rostering.roster_solver import greedy, solve
from cc_terminal.services.rostering.roster_terms import Person, Week, Wish

S = RequestState
NEXT_MONDAY = date(2026, 11, 30)  # the test day is Friday 27 November
WEEK_AFTER = date(2026, 12, 7)


def test_erlang_c_test_vector():
    result = staffing(100, 180, 1800, Target(0.8, 20, 0.85, 0.3))
    assert result.traffic == pytest.approx(10)
    assert (result.agents, result.scheduled) == (14, 20)
    assert result.service_level == pytest.approx(0.88835, abs=1e-5)
    assert result.occupancy == pytest.approx(0.7143, abs=1e-4)
    assert result.wait_probability == pytest.approx(0.17413, abs=1e-5)
    assert result.asa_seconds == pytest.approx(7.8, abs=0.05)


def test_a_request_goes_from_draft_to_a_decision_with_every_step_stored(ws, lead, jana):
    day = WEEK_AFTER + timedelta(days=1)
    request = ws.days_off.file(jana, day, "", 1, "my daughter's school play")
    assert [r.state for r in ws.days_off.mine(jana)] == [S.DRAFT]
    assert ws.days_off.submit(jana, [request]) == 1
    (mine,) = ws.days_off.mine(jana)
    assert mine.state is S.SUBMITTED and not mine.late
    with pytest.raises(PermissionDenied):
        ws.days_off.decide(jana, [request], S.APPROVED)
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.decide(lead, [request], S.REJECTED, "  ")
    assert refused.value.errors == {"reason": "A rejection needs its reason."}
    ws.days_off.decide(lead, [request], S.REJECTED, "Two already off that Tuesday")
    (mine,) = ws.days_off.mine(jana)
    assert mine.state is S.REJECTED and mine.reason == "Two already off that Tuesday"
    steps = [(state, who, why) for _at, state, who, why in ws.days_off.history(jana, request)]
    assert steps == [
        ("draft", "Jana Svobodová", ""),
        ("submitted", "Jana Svobodová", ""),
        ("rejected", "Lída Vedoucí", "Two already off that Tuesday"),
    ]


def test_a_request_after_the_cutoff_is_late_for_the_lead(ws, lead, jana):
    # Next week's cutoff was Wednesday 25 November 18:00; the week after's is 2 December.
    late = ws.days_off.file(jana, NEXT_MONDAY + timedelta(days=2))
    ws.days_off.submit(jana, [late])
    assert ws.days_off.mine(jana)[0].late
    assert [r.late for r in ws.days_off.requests(lead, NEXT_MONDAY)] == [True]


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 12, 14)])
def test_a_day_outside_the_planning_window_is_refused(ws, jana, day):
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.file(jana, day)
    assert "next two weeks" in refused.value.errors["day"]
    assert ws.days_off.mine(jana) == []


def test_one_request_a_day(ws, jana):
    ws.days_off.file(jana, WEEK_AFTER)
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.file(jana, WEEK_AFTER, "late")
    assert "already" in refused.value.errors["day"]


def test_only_the_operator_cancels_and_a_cancellation_frees_room_for_the_waitlist(
    ws, lead, jana, petr
):
    day = WEEK_AFTER + timedelta(days=3)
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, 1)  # two operators, one may be off
    mine = ws.days_off.file(jana, day)
    his = ws.days_off.file(petr, day)
    ws.days_off.submit(jana, [mine])
    ws.days_off.submit(petr, [his])
    ws.days_off.decide(lead, [mine], S.APPROVED)
    preview = ws.days_off.coverage(lead, WEEK_AFTER, [his])
    assert preview.left(day, "early") == -1  # approving Petr too leaves no one
    ws.days_off.decide(lead, [his], S.WAITLISTED)
    with pytest.raises(PermissionDenied):
        ws.days_off.cancel(petr, mine)
    ws.days_off.cancel(jana, mine)
    (his_now,) = ws.days_off.mine(petr)
    assert his_now.state is S.APPROVED and his_now.reason == "a cancellation freed room"


def test_a_waitlisted_request_expires_when_its_day_comes(ws, lead, jana, clock):
    request = ws.days_off.file(jana, NEXT_MONDAY)
    ws.days_off.submit(jana, [request])
    ws.days_off.decide(lead, [request], S.WAITLISTED)
    clock.advance(4 * 24 * 3600)
    assert ws.days_off.requests(lead, NEXT_MONDAY)[0].state is S.EXPIRED


def test_the_lead_revokes_with_a_reason(ws, lead, jana):
    request = ws.days_off.file(jana, WEEK_AFTER)
    ws.days_off.submit(jana, [request])
    ws.days_off.decide(lead, [request], S.APPROVED)
    with pytest.raises(ValidationFailed):
        ws.days_off.revoke(lead, request, "")
    ws.days_off.revoke(lead, request, "Audit week: all hands")
    assert ws.days_off.mine(jana)[0].state is S.REVOKED


def _people(n: int) -> tuple[Person, ...]:
    return tuple(Person(uuid.UUID(int=i + 1), f"Op {i + 1}", 5) for i in range(n))


def _week(people, need: int, wishes=(), **changes) -> Week:
    days = tuple(NEXT_MONDAY + timedelta(days=n) for n in range(7))
    needs = {(day, shift.value): need for day in days for shift in Shift}
    return Week(days, people, needs | changes.pop("needs", {}), tuple(wishes), **changes)


def test_the_solver_keeps_every_hard_rule_and_grants_what_it_can():
    people = _people(6)
    saturday = NEXT_MONDAY + timedelta(days=5)
    wishes = [Wish(uuid.UUID(int=100 + i), p.id, saturday, "", 1) for i, p in enumerate(people[:2])]
    solution = solve(_week(people, 2, wishes))
    assert solution.feasible and solution.granted == {w.request_id for w in wishes}
    cells = solution.cells
    for person in people:
        assert sum(1 for day in _week(people, 2).days if cells[(person.id, day)]) == 5
        for day in _week(people, 2).days[:-1]:
            assert not (
                cells[(person.id, day)] == "late"
                and cells[(person.id, day + timedelta(1))] == "early"
            )
    for day in _week(people, 2).days:
        for shift in ("early", "late"):
            assert sum(1 for p in people if cells[(p.id, day)] == shift) >= 2


def test_a_request_the_cover_cannot_spare_is_explained_by_the_rule():
    people = _people(4)
    saturday = NEXT_MONDAY + timedelta(days=5)
    needs = {(saturday, "late"): 2, (saturday, "early"): 1}  # three of four work Saturday
    wishes = [Wish(uuid.UUID(int=100 + i), p.id, saturday, "", 2) for i, p in enumerate(people[:2])]
    solution = solve(_week(people, 1, wishes, needs=needs))
    assert solution.feasible and len(solution.granted) == 1
    (why,) = solution.denied.values()
    assert why == "Sat 05.12. late cover would be 1 < 2"
    assert len(greedy(_week(people, 1, wishes, needs=needs))) == 1


def test_a_minimum_above_the_headcount_is_infeasible_and_names_the_day():
    people = _people(3)
    sunday = NEXT_MONDAY + timedelta(days=6)
    solution = solve(_week(people, 1, needs={(sunday, "early"): 4}))
    assert not solution.feasible
    assert solution.problems == ("Sun 06.12. early needs 4 heads; only 3 can work it.",)


def test_rules_that_cannot_all_hold_are_named_from_the_core():
    people = _people(2)  # two people, five days each, two heads every shift: impossible
    solution = solve(_week(people, 1))
    assert not solution.feasible and solution.problems
    assert any("cover" in problem or "works 5 days" in problem for problem in solution.problems)


def test_a_roster_is_solved_pinned_published_exported_and_printed(ws, lead, jana, petr, tmp_path):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    request = ws.days_off.file(jana, WEEK_AFTER + timedelta(days=5))
    ws.days_off.submit(jana, [request])
    with pytest.raises(PermissionDenied):
        ws.roster.solve(jana, WEEK_AFTER)
    solution = ws.roster.solve(lead, WEEK_AFTER)
    assert solution.feasible and request in solution.granted
    ws.roster.pin(lead, WEEK_AFTER, petr.operator_id, WEEK_AFTER, "late")
    ws.roster.solve(lead, WEEK_AFTER)
    draft = ws.roster.view(lead, WEEK_AFTER)
    assert draft.state == "draft" and draft.cells[(petr.operator_id, WEEK_AFTER)] == ("late", True)
    assert ws.roster.view(jana, WEEK_AFTER).cells == {}  # not published yet
    with pytest.raises(PermissionDenied):
        ws.roster.publish(jana, WEEK_AFTER)
    ws.roster.publish(lead, WEEK_AFTER)
    seen = ws.roster.view(jana, WEEK_AFTER)
    assert seen.state == "published" and all(op == jana.operator_id for op, _day in seen.cells)
    assert ws.roster.export(lead, WEEK_AFTER, tmp_path / "week.csv") == 2
    with (tmp_path / "week.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0][0] == "operator" and len(rows) == 3
    text = ws.roster.week_text(lead, WEEK_AFTER)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Jana Svobodová" in text
    worked = next(
        day
        for (op, day), (shift, _pin) in ws.roster.view(lead, WEEK_AFTER).cells.items()
        if op == petr.operator_id and shift and day != WEEK_AFTER
    )
    change = ws.days_off.file(petr, worked)
    ws.days_off.submit(petr, [change])
    assert ws.days_off.mine(petr)[0].change  # after publishing: a change request
    ws.days_off.decide(lead, [change], S.APPROVED)
    assert ws.roster.view(petr, WEEK_AFTER).cells[(petr.operator_id, worked)] == ("", True)


def test_needs_proposed_by_erlang_c_are_clamped_to_the_floor(ws, lead):
    ws.days_off.set_rules(lead, 2, "18:00", 3, 5, 6)
    busy = {slot: 100.0 for slot in range(16, 20)}  # 08:00-10:00, 100 calls a half hour
    proposals = ws.roster.propose(lead, WEEK_AFTER, 180, volume=lambda day: busy)
    early = [p for p in proposals if p.shift == "early"]
    late = [p for p in proposals if p.shift == "late"]
    assert {p.heads for p in early} == {20} and {p.heads for p in late} == {3}
    assert ws.roster.needs(WEEK_AFTER)[(WEEK_AFTER, "early")] == 20


def test_the_volume_comes_from_the_same_weekday_over_the_last_weeks(ws, jana):
    from datetime import UTC, datetime

    from tests.tally.tally_records import add_call

    for weeks_back in range(1, 5):  # the four Mondays before, at 09:10 Prague time
        monday = datetime(2026, 11, 30, 8, 10, tzinfo=UTC) - timedelta(weeks=weeks_back)
        add_call(ws, jana, monday, 60, 10)
    add_call(ws, jana, datetime(2026, 11, 24, 8, 10, tzinfo=UTC), 60, 10)  # a Tuesday
    assert ws.roster.expected_volume(NEXT_MONDAY) == {18: 1.0}  # 09:00-09:30


RULES_AT_THE_EDGES = [
    (0, "00:00", 0, 1, 1),
    (6, "23:59", 500, 7, 14),
]
OUT_OF_RANGE = {
    "cutoff_weekday": "A weekday, Monday 0 to Sunday 6.",
    "cutoff_time": "A time such as 18:00.",
    "floor_heads": "0 to 500 heads.",
    "contract_days": "1 to 7 days.",
    "max_consecutive_days": "1 to 14 days.",
}
NAMES = ("cutoff_weekday", "cutoff_time", "floor_heads", "contract_days", "max_consecutive_days")


@pytest.mark.parametrize("values", RULES_AT_THE_EDGES)
def test_planning_rules_at_their_edges_are_kept_as_typed(ws, lead, values):
    ws.days_off.set_rules(lead, *values)
    assert ws.days_off.rules() == dict(zip(NAMES, values, strict=True))


@pytest.mark.parametrize(
    ("values", "wrong"),
    [
        ((7, "24:00", 501, 0, 15), set(NAMES)),
        ((-1, "12:60", -1, 8, 0), set(NAMES)),
        ((3, "1800", 2, 5, 6), {"cutoff_time"}),
        ((3, "18:00", 2, 5, 15), {"max_consecutive_days"}),
    ],
)
def test_each_planning_rule_out_of_range_is_named_and_nothing_is_stored(ws, lead, values, wrong):
    kept = (2, "18:00", 3, 5, 6)
    ws.days_off.set_rules(lead, *kept)
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.set_rules(lead, *values)
    assert refused.value.errors == {name: OUT_OF_RANGE[name] for name in NAMES if name in wrong}
    assert ws.days_off.rules() == dict(zip(NAMES, kept, strict=True))


def test_changed_rules_are_a_new_version_of_the_one_row(ws, lead):
    from sqlalchemy import text

    ws.days_off.set_rules(lead, 2, "18:00", 3, 5, 6)
    ws.days_off.set_rules(lead, 4, "12:30", 2, 4, 5)
    with ws.db.connect() as connection:
        rows = connection.execute(text("SELECT version FROM roster_rules")).all()
    assert len(rows) == 1 and rows[0].version == 2


def test_each_step_of_a_request_is_a_new_version_and_says_where_it_came_from(ws, lead, jana):
    from sqlalchemy import select

    from cc_terminal.models.roster import DayOffEvent, DayOffRequest

    request = ws.days_off.file(jana, WEEK_AFTER + timedelta(days=1))
    ws.days_off.submit(jana, [request])
    ws.days_off.decide(lead, [request], S.APPROVED)
    with ws.db.read() as session:
        version = session.get(DayOffRequest, request).version
        events = session.scalars(select(DayOffEvent).where(DayOffEvent.request_id == request))
        steps = {(event.from_state, event.to_state) for event in events}
    assert version == 3  # filed, submitted, approved: the version sync compares
    assert steps == {("", "draft"), ("draft", "submitted"), ("submitted", "approved")}


def test_room_freed_by_a_cancellation_goes_to_the_waitlist_by_priority(ws, lead, jana, petr):
    ws.auth.create_operator(lead, "eva", "Eva Černá", "operator", "eva-pass-1")
    eva = ws.auth.login("eva", "eva-pass-1")
    day = WEEK_AFTER + timedelta(days=2)
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, 0)
    heads = ws.days_off.coverage(lead, WEEK_AFTER).left(day, "early")  # the whole team
    for shift in Shift:
        ws.roster.set_need(lead, day, shift.value, heads - 1)  # one of the team may be off
    mine = ws.days_off.file(jana, day)
    his = ws.days_off.file(petr, day, "", 2, "first to ask, but a lower priority")
    hers = ws.days_off.file(eva, day, "", 1, "asked later, a higher priority")
    for who, request in ((jana, mine), (petr, his), (eva, hers)):
        ws.days_off.submit(who, [request])
    ws.days_off.decide(lead, [mine], S.APPROVED)
    ws.days_off.decide(lead, [his, hers], S.WAITLISTED)
    ws.days_off.cancel(jana, mine)
    assert ws.days_off.mine(eva)[0].state is S.APPROVED
    assert ws.days_off.mine(petr)[0].state is S.WAITLISTED  # the room was one head
