"""A day-off request's rules as an operator and a team lead meet them: every refusal in
its exact words with nothing changed, the planning window and its cutoffs, the reminder
before a cutoff, the lead's week and fairness, and who sees a request's history."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from cc_terminal.models import RequestState
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.rostering.planning_reads import Fairness
from cc_terminal.services.workstation import Workstation

S = RequestState
NEXT_MONDAY = date(2026, 11, 30)  # the test day is Friday 27 November, 09:30 in Prague
WEEK_AFTER = date(2026, 12, 7)


def submitted(ws: Workstation, who: Actor, day: date, shift: str = "", priority: int = 2):
    request = ws.days_off.file(who, day, shift, priority)
    ws.days_off.submit(who, [request])
    return request


def test_the_planning_window_is_next_week_and_the_week_after_with_their_cutoffs(ws):
    assert ws.days_off.today() == date(2026, 11, 27)
    assert ws.days_off.window() == (NEXT_MONDAY, date(2026, 12, 13))
    prague = ws.days_off.cutoff(WEEK_AFTER)
    assert prague.isoformat() == "2026-12-02T18:00:00+01:00"  # Wednesday before, 18:00
    assert ws.days_off.cutoff(NEXT_MONDAY).astimezone(UTC) == datetime(2026, 11, 25, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "shift", "priority", "errors"),
    [
        (
            date(2026, 11, 29),
            "",
            2,
            {"day": "Only days of the next two weeks: 30.11. to 13.12.2026."},
        ),
        (date(2026, 12, 14), "night", 0, None),
        (NEXT_MONDAY, "", 4, {"priority": "Priority 1 (must), 2 or 3."}),
    ],
)
def test_a_request_outside_the_rules_says_each_thing_wrong(ws, jana, day, shift, priority, errors):
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.file(jana, day, shift, priority, "n" * 501 if errors is None else "")
    assert refused.value.errors == (
        errors
        or {
            "day": "Only days of the next two weeks: 30.11. to 13.12.2026.",
            "shift": "The whole day, early or late.",
            "priority": "Priority 1 (must), 2 or 3.",
            "note": "Too long: 501 characters, at most 500.",
        }
    )
    assert ws.days_off.mine(jana) == []


def test_the_window_takes_its_first_and_last_day_and_each_shift(ws, jana):
    for day, shift, priority in ((NEXT_MONDAY, "early", 1), (date(2026, 12, 13), "late", 3)):
        ws.days_off.file(jana, day, shift, priority, " a note ")
    mine = ws.days_off.mine(jana)
    assert [(r.day, r.shift, r.priority, r.note, r.operator_name) for r in mine] == [
        (NEXT_MONDAY, "early", 1, "a note", "Jana Svobodová"),
        (date(2026, 12, 13), "late", 3, "a note", "Jana Svobodová"),
    ]


def test_a_second_request_for_a_day_names_the_first_ones_state(ws, lead, jana):
    first = submitted(ws, jana, WEEK_AFTER)
    ws.days_off.decide(lead, [first], S.WAITLISTED)
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.file(jana, WEEK_AFTER, "early")
    assert refused.value.errors == {"day": "You asked for this day already (waitlisted)."}
    ws.days_off.decide(lead, [first], S.REJECTED, "full")
    ws.days_off.file(jana, WEEK_AFTER, "early")  # a rejected request is out of play


def test_only_her_own_requests_to_come_are_cancelled_and_submitted(ws, jana, petr, clock):
    mine = submitted(ws, jana, NEXT_MONDAY)
    with pytest.raises(PermissionDenied) as refused:
        ws.days_off.submit(petr, [mine])
    assert str(refused.value) == "Only the operator files and cancels their own requests."
    with pytest.raises(NotFound) as missing:
        ws.days_off.cancel(jana, uuid.uuid4())
    assert str(missing.value) == "No such request."
    assert ws.days_off.submit(jana, [mine]) == 0  # submitted already: nothing to submit
    clock.advance(3 * 24 * 3600)  # Monday 30 November: the day has come
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.cancel(jana, mine)
    assert refused.value.errors == {"state": "Only a request still to come can be cancelled."}
    assert ws.days_off.mine(jana)[0].state is S.SUBMITTED


def test_a_rejected_request_is_not_cancelled(ws, lead, jana):
    request = submitted(ws, jana, WEEK_AFTER)
    ws.days_off.decide(lead, [request], S.REJECTED, "full")
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.cancel(jana, request)
    assert refused.value.errors == {"state": "Only a request still to come can be cancelled."}


def test_each_wrong_decision_is_refused_in_words_and_changes_nothing(ws, lead, jana):
    request = submitted(ws, jana, WEEK_AFTER)
    wrong = [
        ((S.CANCELLED, ""), ValidationFailed, {"state": "Approve, reject or waitlist."}),
        ((S.WAITLISTED, "r" * 501), ValidationFailed, {"reason": "At most 500 characters."}),
    ]
    for (to, reason), error, errors in wrong:
        with pytest.raises(error) as refused:
            ws.days_off.decide(lead, [request], to, reason)
        assert refused.value.errors == errors
    with pytest.raises(NotFound) as missing:
        ws.days_off.decide(lead, [request, uuid.uuid4()], S.APPROVED)
    assert str(missing.value) == "No such request."
    assert ws.days_off.mine(jana)[0].state is S.SUBMITTED
    assert ws.days_off.decide(lead, [request], S.WAITLISTED, "r" * 500) == 1
    ws.days_off.decide(lead, [request], S.APPROVED, "  room after all  ")
    assert ws.days_off.mine(jana)[0].reason == "room after all"
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.decide(lead, [request], S.REJECTED, "late")
    assert refused.value.errors == {"state": "Jana Svobodová's request is approved already."}


def test_a_request_of_someone_outside_the_team_is_not_the_leads_to_decide(ws, lead):
    own = submitted(ws, lead, WEEK_AFTER)  # a lead is in no operator team
    with pytest.raises(PermissionDenied) as refused:
        ws.days_off.decide(lead, [own], S.APPROVED)
    assert str(refused.value) == "That operator is in another team lead's team."


def test_a_revocation_needs_its_reason_and_an_approved_request(ws, lead, jana):
    request = submitted(ws, jana, WEEK_AFTER)
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.revoke(lead, request, "   ")
    assert refused.value.errors == {"reason": "A revocation needs its reason."}
    with pytest.raises(ValidationFailed) as refused:
        ws.days_off.revoke(lead, request, "audit week")
    assert refused.value.errors == {"state": "Only an approved request can be revoked."}
    ws.days_off.decide(lead, [request], S.APPROVED)
    with pytest.raises(PermissionDenied) as refused:
        ws.days_off.revoke(jana, request, "changed my mind")
    assert str(refused.value) == "Only a team lead decides days off and rosters."
    ws.days_off.revoke(lead, request, "  audit week  ")
    (mine,) = ws.days_off.mine(jana)
    assert (mine.state, mine.reason) == (S.REVOKED, "audit week")


def test_the_history_is_hers_and_the_leads_in_order_with_who_and_why(ws, lead, jana, petr, clock):
    request = ws.days_off.file(jana, WEEK_AFTER)
    clock.advance(60)
    ws.days_off.submit(jana, [request])
    clock.advance(60)
    ws.days_off.decide(lead, [request], S.REJECTED, "full")
    history = ws.days_off.history(lead, request)
    assert [(at - history[0][0], state, who, why) for at, state, who, why in history] == [
        (timedelta(0), "draft", "Jana Svobodová", ""),
        (timedelta(minutes=1), "submitted", "Jana Svobodová", ""),
        (timedelta(minutes=2), "rejected", "Lída Vedoucí", "full"),
    ]
    assert ws.days_off.history(jana, request) == history
    with pytest.raises(PermissionDenied) as refused:
        ws.days_off.history(petr, request)
    assert str(refused.value) == "An operator sees only their own requests."
    with pytest.raises(NotFound):
        ws.days_off.history(lead, uuid.uuid4())


def test_the_lead_sees_a_weeks_submitted_requests_by_day_and_nobody_elses_drafts(
    ws, lead, jana, petr
):
    later = submitted(ws, petr, WEEK_AFTER + timedelta(days=2))
    first = submitted(ws, jana, WEEK_AFTER)
    ws.days_off.file(jana, WEEK_AFTER + timedelta(days=1))  # a draft: hers alone
    submitted(ws, jana, NEXT_MONDAY + timedelta(days=2))  # the week before: not this week
    submitted(ws, petr, WEEK_AFTER - timedelta(days=1))  # the Sunday before
    seen = ws.days_off.requests(lead, WEEK_AFTER)
    assert [(r.id, r.operator_name, r.state) for r in seen] == [
        (first, "Jana Svobodová", S.SUBMITTED),
        (later, "Petr Dvořák", S.SUBMITTED),
    ]
    with pytest.raises(PermissionDenied):
        ws.days_off.requests(jana, WEEK_AFTER)


def test_the_reminder_names_the_nearest_cutoff_without_a_request(ws, lead, jana, clock):
    clock.advance(4 * 24 * 3600 + 9 * 3600)  # Tuesday 1 December, 18:30 Prague time
    due = ws.days_off.cutoff(WEEK_AFTER)
    assert ws.days_off.reminder(jana) == due  # within 48 hours
    assert ws.days_off.reminder(jana, hours=23) is None  # 23.5 hours away
    assert ws.days_off.reminder(lead) is None  # a lead files no weekly form
    ws.days_off.file(jana, WEEK_AFTER + timedelta(days=3))
    assert ws.days_off.reminder(jana) == due  # a draft is not filed yet
    assert not ws.days_off.submitted_for(jana, WEEK_AFTER)
    submitted(ws, jana, WEEK_AFTER + timedelta(days=4))
    assert ws.days_off.submitted_for(jana, WEEK_AFTER)
    assert ws.days_off.reminder(jana) is None
    assert not ws.days_off.submitted_for(jana, WEEK_AFTER + timedelta(days=7))


def test_fairness_counts_whole_weekends_off_and_denials_of_the_last_eight_weeks(
    ws, lead, jana, petr, clock
):
    saturday, sunday = WEEK_AFTER + timedelta(days=5), WEEK_AFTER + timedelta(days=6)
    for day in (saturday, sunday):
        ws.days_off.decide(lead, [submitted(ws, jana, day)], S.APPROVED)
    ws.days_off.decide(lead, [submitted(ws, petr, saturday)], S.APPROVED)
    ws.days_off.decide(lead, [submitted(ws, petr, sunday, "late")], S.APPROVED)  # one shift
    ws.days_off.decide(lead, [submitted(ws, petr, WEEK_AFTER)], S.REJECTED, "full")
    assert ws.days_off.fairness(lead) == {}  # those weeks are still to come
    clock.advance(17 * 24 * 3600)  # Monday 14 December
    assert ws.days_off.fairness(lead) == {
        jana.operator_id: Fairness(1, 0),
        petr.operator_id: Fairness(0, 1),
    }
    clock.advance(8 * 7 * 24 * 3600)  # eight weeks on: out of the window
    assert ws.days_off.fairness(lead) == {}
    with pytest.raises(PermissionDenied):
        ws.days_off.fairness(jana)


def test_the_day_turns_at_midnight_in_prague_not_at_the_machines(ws, clock):
    clock.advance(15 * 3600)  # Friday 23:30 UTC is Saturday 00:30 in Prague
    assert ws.days_off.today() == date(2026, 11, 28)


def test_a_waitlisted_request_expires_on_its_own_day_by_the_floors_clock(ws, lead, jana, clock):
    request = submitted(ws, jana, NEXT_MONDAY)
    ws.days_off.decide(lead, [request], S.WAITLISTED)
    clock.advance(2 * 24 * 3600 + 15 * 3600)  # Sunday 23:30 UTC: Monday 00:30 in Prague
    (mine,) = ws.days_off.mine(jana)  # her own form expires it too
    assert (mine.state, mine.reason) == (S.EXPIRED, "the day came with no room")
    assert ws.days_off.history(lead, request)[-1][1:] == (
        "expired",
        "Jana Svobodová",
        "the day came with no room",
    )


def test_a_request_filed_without_choices_is_the_whole_day_at_priority_2(ws, lead, jana):
    request = ws.days_off.file(jana, WEEK_AFTER)
    ws.days_off.submit(jana, [request])
    ws.days_off.decide(lead, [request], S.APPROVED)
    (mine,) = ws.days_off.mine(jana)
    assert (mine.shift, mine.priority, mine.note, mine.reason) == ("", 2, "", "")
    assert mine.operator_id == jana.operator_id
    ws.days_off.cancel(jana, request)
    assert ws.days_off.mine(jana)[0].reason == ""
    assert [why for _at, _state, _who, why in ws.days_off.history(jana, request)] == [""] * 4


def test_her_form_lists_last_week_and_the_window_by_day(ws, jana, clock):
    for day in (date(2026, 12, 13), date(2026, 12, 7), date(2026, 12, 6)):
        ws.days_off.file(jana, day)
    assert [r.day for r in ws.days_off.mine(jana)] == [
        date(2026, 12, 6),
        date(2026, 12, 7),
        date(2026, 12, 13),
    ]
    clock.advance(14 * 24 * 3600)  # Friday 11 December: the window is 14 to 27 December
    assert [r.day for r in ws.days_off.mine(jana)] == [date(2026, 12, 7), date(2026, 12, 13)]


def test_a_cutoff_keeps_its_minutes_and_a_request_at_the_cutoff_is_late(ws, lead, jana, clock):
    ws.days_off.set_rules(lead, 2, "12:30", 1, 5, 6)
    due = ws.days_off.cutoff(WEEK_AFTER)
    assert due.isoformat() == "2026-12-02T12:30:00+01:00"
    clock.now = due.astimezone(UTC)
    ws.days_off.submit(jana, [ws.days_off.file(jana, WEEK_AFTER)])
    assert ws.days_off.mine(jana)[-1].late


def test_submitting_counts_each_draft_and_skips_the_rest(ws, jana):
    done = submitted(ws, jana, WEEK_AFTER)
    drafts = [ws.days_off.file(jana, WEEK_AFTER + timedelta(days=n)) for n in (1, 2)]
    assert ws.days_off.submit(jana, [done, *drafts]) == 2
    assert {r.state for r in ws.days_off.mine(jana)} == {S.SUBMITTED}


def test_a_refused_change_request_leaves_the_published_week(ws, lead, petr):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK_AFTER)
    ws.roster.publish(lead, WEEK_AFTER)
    before = ws.roster.view(lead, WEEK_AFTER).cells
    worked = min(d for (op, d), (shift, _pin) in before.items() if op == petr.operator_id and shift)
    change = submitted(ws, petr, worked)
    ws.days_off.decide(lead, [change], S.WAITLISTED)
    ws.days_off.decide(lead, [change], S.REJECTED, "the week is short")
    assert ws.roster.view(lead, WEEK_AFTER).cells == before


def test_a_draft_roster_is_not_changed_by_approving_a_request(ws, lead, petr):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK_AFTER)  # a draft: requests are wishes the next solve weighs
    before = ws.roster.view(lead, WEEK_AFTER).cells
    worked = min(d for (op, d), (shift, _pin) in before.items() if op == petr.operator_id and shift)
    ws.days_off.decide(lead, [submitted(ws, petr, worked)], S.APPROVED)
    assert ws.roster.view(lead, WEEK_AFTER).cells == before


def test_the_history_is_in_the_order_things_happened_whatever_order_they_arrived(ws, jana, clock):
    request = ws.days_off.file(jana, WEEK_AFTER)
    clock.advance(-60)  # submitted on a terminal whose clock, and op, came a minute behind
    ws.days_off.submit(jana, [request])
    assert [state for _at, state, _who, _why in ws.days_off.history(jana, request)] == [
        "submitted",
        "draft",
    ]
    with pytest.raises(NotFound) as missing:
        ws.days_off.history(jana, uuid.uuid4())
    assert str(missing.value) == "No such request."


def test_the_leads_week_ends_on_sunday_and_holds_only_her_team(ws, lead, jana, petr):
    sunday = submitted(ws, petr, WEEK_AFTER - timedelta(days=1))
    submitted(ws, jana, WEEK_AFTER)  # the Monday after
    submitted(ws, lead, NEXT_MONDAY)  # a lead is in no team of hers
    assert [r.id for r in ws.days_off.requests(lead, NEXT_MONDAY)] == [sunday]


def test_submitted_for_a_week_is_hers_from_its_monday_to_its_sunday(ws, jana, petr):
    submitted(ws, petr, NEXT_MONDAY + timedelta(days=1))
    submitted(ws, jana, WEEK_AFTER)  # the Monday after
    assert not ws.days_off.submitted_for(jana, NEXT_MONDAY)
    submitted(ws, jana, NEXT_MONDAY)
    assert ws.days_off.submitted_for(jana, NEXT_MONDAY)


def test_the_reminder_comes_48_hours_before_a_cutoff_and_not_after_it(ws, jana, clock):
    due = ws.days_off.cutoff(WEEK_AFTER)  # Wednesday 2 December, 18:00 Prague time
    clock.now = (due - timedelta(hours=48, minutes=30)).astimezone(UTC)
    assert ws.days_off.reminder(jana) is None
    clock.now = (due - timedelta(hours=48)).astimezone(UTC)
    assert ws.days_off.reminder(jana) == due
    clock.now = due.astimezone(UTC)
    assert ws.days_off.reminder(jana) is None  # the cutoff has come


def test_a_reminder_a_week_ahead_names_the_week_after_nexts_cutoff(ws, jana, clock):
    clock.advance(6 * 24 * 3600)  # Thursday 3 December: next week's cutoff has passed
    assert ws.days_off.reminder(jana, hours=7 * 24).isoformat() == "2026-12-09T18:00:00+01:00"


def newest_writer(ws: Workstation) -> uuid.UUID | None:
    from sqlalchemy import select

    from cc_terminal.models import OutboxOp

    with ws.db.read() as session:
        query = select(OutboxOp.actor_id).where(OutboxOp.entity == "day_off_request")
        return session.scalars(query.order_by(OutboxOp.seq.desc())).first()  # type: ignore[attr-defined]


def test_each_step_of_a_request_is_its_persons_own_write(ws, lead, jana, petr, clock):
    steps = [
        (jana, lambda: ws.days_off.file(jana, WEEK_AFTER)),
        (jana, lambda: ws.days_off.submit(jana, [mine])),
        (lead, lambda: ws.days_off.decide(lead, [mine], S.APPROVED)),
        (lead, lambda: ws.days_off.revoke(lead, mine, "audit week")),
        (petr, lambda: ws.days_off.file(petr, NEXT_MONDAY)),
        (petr, lambda: ws.days_off.cancel(petr, his)),
    ]
    mine = his = None
    for who, step in steps:
        made = step()
        if isinstance(made, uuid.UUID):
            mine, his = (made, his) if who is jana else (mine, made)
        assert newest_writer(ws) == who.operator_id
    waiting = submitted(ws, petr, NEXT_MONDAY + timedelta(days=1))
    ws.days_off.decide(lead, [waiting], S.WAITLISTED)
    clock.advance(5 * 24 * 3600)
    ws.days_off.requests(lead, NEXT_MONDAY)  # the lead's read expires it, as her write
    assert newest_writer(ws) == lead.operator_id
