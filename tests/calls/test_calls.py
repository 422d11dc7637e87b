from datetime import timedelta

import pytest

from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import CallDraft
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows, rows


def a_call(ws, clock, talk=180, **changes):
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    started = clock() - timedelta(seconds=talk)
    values = dict(
        customer_id=customer.id,
        phone_e164=KNOWN_PHONE,
        started_at=started,
        answered_at=started,
        ended_at=clock(),
        reason="billing",
        outcome="resolved",
        notes="Explained the invoice.",
    )
    values.update(changes)
    return CallDraft(**values)


def test_a_call_is_stored_with_talk_and_wrap_time(ws, clock, jana):
    draft = a_call(ws, clock, talk=180)
    clock.advance(25)  # wrap-up before the outcome is saved
    summary = ws.calls.record(jana, draft)
    assert (summary.talk_seconds, summary.wrap_seconds) == (180, 25)
    stored = rows(
        ws,
        "SELECT reason, outcome, talk_seconds, wrap_seconds, notes FROM call "
        "WHERE operator_id = (SELECT id FROM operator WHERE username = 'jana')",
    )
    assert [tuple(r) for r in stored] == [
        ("billing", "resolved", 180, 25, "Explained the invoice.")
    ]


def test_the_card_shows_recent_calls_newest_first(ws, clock, jana):
    ws.calls.record(jana, a_call(ws, clock, reason="billing"))
    clock.advance(600)
    ws.calls.record(jana, a_call(ws, clock, reason="complaint"))
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    assert [c.code for c in card.timeline] == ["complaint", "billing"]
    assert card.timeline[0].operator_name == "Jana Svobodová"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"outcome": "bogus"}, "outcome"),
        ({"notes": "x" * 4001}, "notes"),
    ],
)
def test_bad_calls_are_refused_and_nothing_is_saved(ws, clock, jana, changes, field):
    before = count_rows(ws, "call"), count_rows(ws, "outbox_op")
    with pytest.raises(ValidationFailed) as failed:
        ws.calls.record(jana, a_call(ws, clock, **changes))
    assert field in failed.value.errors
    assert (count_rows(ws, "call"), count_rows(ws, "outbox_op")) == before


def test_times_out_of_order_are_refused(ws, clock, jana):
    draft = a_call(ws, clock)
    bad = CallDraft(**{**draft.__dict__, "ended_at": draft.started_at - timedelta(seconds=1)})
    with pytest.raises(ValidationFailed, match="out of order"):
        ws.calls.record(jana, bad)


def test_naive_times_are_refused(ws, clock, jana):
    draft = a_call(ws, clock)
    naive = CallDraft(**{**draft.__dict__, "started_at": draft.started_at.replace(tzinfo=None)})
    with pytest.raises(ValidationFailed, match="timezone"):
        ws.calls.record(jana, naive)


def test_today_counts_only_this_operators_calls_since_local_midnight(ws, clock, jana, petr):
    yesterday = a_call(ws, clock)
    yesterday = CallDraft(
        **{
            **yesterday.__dict__,
            "started_at": clock() - timedelta(hours=10),
            "answered_at": clock() - timedelta(hours=10),
            "ended_at": clock() - timedelta(hours=9, minutes=58),
        }
    )
    ws.calls.record(jana, yesterday)  # 23:30 Prague the day before
    ws.calls.record(jana, a_call(ws, clock, talk=120))
    ws.calls.record(jana, a_call(ws, clock, talk=60, outcome="advised"))
    ws.calls.record(petr, a_call(ws, clock, talk=300))
    today = ws.calls.today(jana)
    assert (today.calls, today.talk_seconds) == (2, 180)
    assert today.by_outcome == {"resolved": 1, "advised": 1}
    assert today.average_handling_seconds == 90


def test_only_a_lead_sees_another_operators_figures(ws, clock, lead, jana, petr):
    ws.calls.record(petr, a_call(ws, clock))
    with pytest.raises(PermissionDenied):
        ws.calls.today(jana, petr.operator_id)
    assert ws.calls.today(lead, petr.operator_id).calls == 1


def test_no_calls_means_zero_not_an_error(ws, jana):
    today = ws.calls.today(jana)
    assert (today.calls, today.average_handling_seconds) == (0, 0)
