"""The tally's quality and time: weighted quality forms and a critical question, a failed
check cancelling a success, complaints, and paid time from sign-in to sign-out (on SQLite
and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cc_terminal.models import PauseReason
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.tally.periods import day_of
from cc_terminal.services.tally.reconcile import MatchClass
from tests.tally.tally_records import (
    MORNING,
    TODAY,
    add_call,
    add_sale,
)


def test_quality_scores_weigh_answers_skip_not_applicable_and_fail_on_a_critical_no(ws, lead, jana):
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.save_form(lead, "ZERO", "Zero", "0 Greeting\n0 Closing")
    assert "sum to zero" in refused.value.errors["questions"]
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.save_form(lead, "BAD", "Bad", "Greeting without a weight")
    assert "Line 1" in refused.value.errors["questions"]
    ws.quality.save_form(lead, "CALL", "Call review", "2 Greeting\n5! Verified identity\n3 Offer")
    form = ws.quality.forms()[0]
    first = add_call(ws, jana, MORNING, 120, 10)
    second = add_call(ws, jana, MORNING + timedelta(minutes=5), 120, 10)
    with pytest.raises(PermissionDenied):
        ws.quality.evaluate(jana, form.id, first, {"q1": "yes", "q2": "yes", "q3": "yes"}, "")
    with pytest.raises(ValidationFailed):
        ws.quality.evaluate(lead, form.id, first, {"q1": "yes"}, "")  # unanswered questions
    score = ws.quality.evaluate(lead, form.id, first, {"q1": "yes", "q2": "yes", "q3": "na"}, "")
    assert (score.earned, score.possible) == (7, 7)
    failed = ws.quality.evaluate(lead, form.id, second, {"q1": "yes", "q2": "no", "q3": "yes"}, "")
    assert failed.auto_failed and failed.earned == 0 and failed.possible == 10
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.qa == pytest.approx(7 / 17) and kpis.evaluations == 2
    seen = ws.quality.evaluations(jana, jana.operator_id, day_of(TODAY))
    assert sorted(view.score for view in seen) == [0.0, 1.0]


def test_a_failed_quality_check_cancels_the_success_of_that_call(ws, lead, jana):
    ws.quality.save_form(lead, "CALL", "Call review", "5! Verified identity")
    form = ws.quality.forms()[0]
    call = add_call(ws, jana, MORNING, 120, 10)
    add_sale(ws, jana, MORNING, 59900, call_id=call)
    ws.quality.evaluate(lead, form.id, call, {"q1": "no"}, "identity not checked")
    items = ws.tally.report(jana, day_of(TODAY)).current.items
    assert [item.cls for item in items] == [MatchClass.CANCELLED]


def test_complaints_count_in_the_tally_and_link_the_call(ws, lead, jana):
    call = add_call(ws, jana, MORNING, 120, 10)
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.record_complaint(lead, jana.operator_id, "department", "wrong routing")
    assert "department" in refused.value.errors
    ws.quality.record_complaint(lead, jana.operator_id, "client", "Was rude.", call_id=call)
    assert ws.tally.report(jana, day_of(TODAY)).current.kpis.complaints == 1


def test_sessions_and_pauses_are_recorded_from_sign_in_to_sign_out(ws, jana, clock):
    clock.now = MORNING
    ws.work_clock.begin(jana)
    clock.advance(3600)
    ws.work_clock.pause(jana, PauseReason.LUNCH)
    assert ws.work_clock.paused(jana).reason is PauseReason.LUNCH  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        ws.work_clock.pause(jana, PauseReason.BREAK)
    clock.advance(1800)
    ws.work_clock.resume(jana)
    clock.advance(1800)
    ws.work_clock.end(jana)
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.signed_in_seconds == 7200 and kpis.paid_seconds == 5400
    assert kpis.worked_days == 1


def test_a_session_left_open_by_a_dead_terminal_closes_at_its_last_trace(ws, jana, clock):
    clock.now = MORNING
    ws.work_clock.begin(jana)
    add_call(ws, jana, MORNING + timedelta(minutes=30), talk=120, wrap=0)
    clock.now = MORNING + timedelta(hours=5)
    ws.work_clock.begin(jana)  # the terminal died; she signs in elsewhere
    ws.work_clock.end(jana)
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.signed_in_seconds == 30 * 60 + 120
