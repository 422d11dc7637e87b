"""Retention on both stores: the team lead's days per kind of personal data, and the daily
run that erases what is older the way a data protection erasure does (the text goes, the
figures stay), once a day for the floor, audited, as ops that sync carries."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import (
    AuditEvent,
    Call,
    CustomerOrder,
    OrderEvent,
    OrderStatus,
    OutboxOp,
    RetentionRule,
    SyncConflict,
)
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import CallDraft
from cc_terminal.services.privacy import retention
from tests.conftest import KNOWN_PHONE
from tests.orders.order_floor import equipment, set_up_orders

OLD_NOTE = "Lives at Dlouhá 12, wife Eva"
NEW_NOTE = "Wants a call after 5 pm"


def record_call(ws, actor, clock, notes: str):
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    started = clock.now - timedelta(minutes=5)
    draft = CallDraft(
        customer, KNOWN_PHONE, started, started, clock.now, "billing", "request_registered", notes
    )
    ws.calls.record(actor, draft)
    return customer


def calls_of(ws) -> dict[str, Call]:
    with ws.db.read() as session:
        return {
            call.notes or call.started_at.isoformat(): call
            for call in session.scalars(select(Call))
        }


def audit_of(ws, kind: str) -> list[tuple[str, str]]:
    with ws.db.read() as session:
        query = select(AuditEvent.subject, AuditEvent.detail).where(AuditEvent.kind == kind)
        return [tuple(row) for row in session.execute(query.order_by(AuditEvent.at))]


def test_the_defaults_are_kept_until_a_lead_changes_them(ws):
    days = {setting.kind: setting.days for setting in ws.retention.settings()}
    assert days == {"notes": 365, "chat": 180, "letters": 365, "recordings": 90}
    assert [s.held for s in ws.retention.settings()] == [True, True, False, False]


def test_old_notes_are_erased_new_ones_kept_and_the_figures_stay(ws, lead, jana, clock):
    customer = record_call(ws, jana, clock, OLD_NOTE)
    set_up_orders(ws, lead)
    order = ws.orders.submit(jana, equipment(ws, customer))
    ws.orders.move(jana, order.id, OrderStatus.CANCELLED, "She moved to Brno")
    with ws.db.read() as session:
        amount = session.get(CustomerOrder, order.id).amount_minor
    clock.advance(timedelta(days=400).total_seconds())
    record_call(ws, jana, clock, NEW_NOTE)
    (old_call,) = [c for c in calls_of(ws).values() if c.notes == OLD_NOTE]
    talk, outcome = old_call.talk_seconds, old_call.outcome
    with ws.db.write(None) as session:  # a losing value sync kept for the old notes
        session.add(
            SyncConflict(
                entity="call",
                row_id=str(old_call.id),
                field="notes",
                loser_op_id=uuid.uuid4(),
                value="Wife Eva, 2nd floor",
                hlc=1,
                terminal="t2",
            )
        )

    done = ws.retention.run(jana)

    assert done.erased["notes"] >= 3  # the call, the order, its cancelling step
    calls = calls_of(ws)
    assert NEW_NOTE in calls and OLD_NOTE not in calls
    with ws.db.read() as session:
        erased_call = session.get(Call, old_call.id)
        stored_order = session.get(CustomerOrder, order.id)
        steps = list(session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)))
        ops = list(
            session.scalars(
                select(OutboxOp).where(OutboxOp.entity == "call", OutboxOp.kind == "update")
            )
        )
    assert (erased_call.notes, erased_call.talk_seconds, erased_call.outcome) == ("", talk, outcome)
    assert stored_order.address_text == "" and stored_order.values == "{}"
    assert stored_order.amount_minor == amount and stored_order.lines != "[]"
    assert stored_order.status == "cancelled" and all(step.note == "" for step in steps)
    assert [json.loads(op.changes) for op in ops if op.row_id == str(old_call.id)] == [
        {"notes": ""}
    ]
    assert all(op.actor_id == jana.operator_id for op in ops)
    with ws.db.read() as session:
        assert not list(session.scalars(select(SyncConflict)))
    assert audit_of(ws, "customer.purged") == [
        (
            "retention",
            f"notes: {done.erased['notes']}; chat: {done.erased['chat']}; letters: not held; "
            "recordings: not held",
        )
    ]


def test_an_open_order_keeps_its_address_past_the_notes_days(ws, lead, jana, clock):
    customer = record_call(ws, jana, clock, OLD_NOTE)
    set_up_orders(ws, lead)
    order = ws.orders.submit(jana, equipment(ws, customer))
    clock.advance(timedelta(days=400).total_seconds())
    ws.retention.run(jana)
    with ws.db.read() as session:
        assert session.get(CustomerOrder, order.id).address_text != ""


def test_the_run_is_once_a_day_for_the_floor(ws, jana, petr, clock):
    record_call(ws, jana, clock, OLD_NOTE)
    assert ws.retention.due()
    assert ws.retention.run_if_due(jana) is not None
    assert ws.retention.run_if_due(petr) is None  # another person, the same day
    clock.advance(timedelta(days=1).total_seconds())
    assert ws.retention.run_if_due(petr) is not None
    assert len(audit_of(ws, "customer.purged")) == 2
    assert ws.retention.last_run() == clock.now


def test_a_lead_sets_the_days_and_a_shorter_time_erases_sooner(ws, lead, jana, clock):
    record_call(ws, jana, clock, OLD_NOTE)
    clock.advance(timedelta(days=40).total_seconds())
    ws.retention.run(jana)
    assert OLD_NOTE in calls_of(ws)
    settings = ws.retention.set_days(lead, {"notes": "30", "recordings": 60})
    assert [(s.kind, s.days) for s in settings][::3] == [("notes", 30), ("recordings", 60)]
    assert audit_of(ws, "config.retention") == [("retention", "notes=30 recordings=60")]
    ws.retention.run(jana)
    assert OLD_NOTE not in calls_of(ws)


def test_only_a_lead_sets_the_days_and_only_sensible_ones(ws, lead, jana):
    with pytest.raises(PermissionDenied):
        ws.retention.set_days(jana, {"notes": "30"})
    with pytest.raises(ValidationFailed) as wrong:
        ws.retention.set_days(lead, {"notes": "7", "chat": "ever", "video": "90"})
    assert set(wrong.value.errors) == {"notes", "chat", "video"}
    assert ws.retention.settings()[0].days == 365  # nothing half-stored
    assert audit_of(ws, "permission.refused")


def test_a_feature_plugs_its_purger_into_a_kind(ws, jana, clock, monkeypatch):
    seen = []

    def purge_letters(session, cutoff, limit):
        seen.append(cutoff)
        return 0

    monkeypatch.setitem(retention.PURGERS, "letters", [])
    assert not ws.retention.settings()[2].held
    retention.register_purger("letters", purge_letters)
    assert ws.retention.settings()[2].held
    done = ws.retention.run(jana)
    assert seen == [clock.now - timedelta(days=365)]
    assert done.erased["letters"] == 0


def ops_of(ws, entity: str) -> list[OutboxOp]:
    with ws.db.read() as session:
        return list(session.scalars(select(OutboxOp).where(OutboxOp.entity == entity)))


def events_of(ws, kind: str) -> list[AuditEvent]:
    with ws.db.read() as session:
        query = select(AuditEvent).where(AuditEvent.kind == kind)
        return list(session.scalars(query.order_by(AuditEvent.at)))


@contextmanager
def terminal_zone(posix_zone: str) -> Iterator[None]:
    """The terminal's own time zone (a POSIX TZ string needs no zone files)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = posix_zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_each_kind_names_its_label_and_keeps_its_default_beside_the_lead_days(ws, lead):
    ws.retention.set_days(lead, {"notes": "45", "recordings": "31"})
    assert [(s.kind, s.label, s.days, s.default_days, s.held) for s in ws.retention.settings()] == [
        ("notes", "Call notes", 45, 365, True),
        ("chat", "Chat transcripts", 180, 180, True),
        ("letters", "Letters and attachments", 365, 365, False),
        ("recordings", "Call recordings", 31, 90, False),
    ]


def test_the_lead_reads_the_limits_exactly_at_the_bounds_and_one_past(ws, lead):
    days = "Days, from 30 to 3650."
    with pytest.raises(ValidationFailed) as wrong:
        ws.retention.set_days(
            lead, {"video": "90", "notes": "29", "chat": "3651", "letters": "ever"}
        )
    assert wrong.value.errors == {
        "video": "No such kind of data; one of: notes, chat, letters, recordings.",
        "notes": days,
        "chat": days,
        "letters": days,
    }
    settings = ws.retention.set_days(lead, {"notes": "30", "chat": " 3650 ", "letters": 3650})
    assert [s.days for s in settings] == [30, 3650, 3650, 90]


def test_an_operator_is_refused_in_words_and_the_refusal_is_audited(ws, jana, clock):
    with pytest.raises(PermissionDenied) as refused:
        ws.retention.set_days(jana, {"notes": "30"})
    assert str(refused.value) == "Only a team lead sets how long personal data is kept."
    (event,) = events_of(ws, "permission.refused")
    assert (event.actor_id, event.detail, event.at) == (
        jana.operator_id,
        "Only a team lead sets how long personal data is kept.",
        clock.now,
    )
    assert "set_days" in event.subject  # not exact: mutmut renames the methods it wraps
    assert not events_of(ws, "config.retention") and ws.retention.settings()[0].days == 365


def test_a_lead_changes_the_days_again_and_each_change_is_hers_and_audited(ws, lead, clock):
    ws.retention.set_days(lead, {"notes": "30"})
    first = clock.now
    clock.advance(timedelta(hours=2).total_seconds())
    settings = ws.retention.set_days(lead, {"notes": "60", "chat": "180"})  # chat unchanged
    assert [s.days for s in settings] == [60, 180, 365, 90]
    with ws.db.read() as session:
        rules = list(session.scalars(select(RetentionRule)))
    assert [(r.kind, r.days, r.set_by, r.set_at) for r in rules] == [
        ("notes", 60, lead.operator_id, clock.now)
    ]
    changes = [(e.actor_id, e.subject, e.detail, e.at) for e in events_of(ws, "config.retention")]
    assert changes == [
        (lead.operator_id, "retention", "notes=30", first),
        (lead.operator_id, "retention", "notes=60", clock.now),
    ]
    ops = ops_of(ws, "retention_rule")
    assert ops and all(op.actor_id == lead.operator_id for op in ops)


def test_the_run_reports_per_kind_in_batches_as_the_person_who_ran_it(ws, jana, clock, monkeypatch):
    limits: list[int] = []
    held = [retention.BATCH * 2 + 3]

    def purge_letters(session, cutoff, limit):
        limits.append(limit)
        count = min(limit, held[0])
        held[0] -= count
        return count

    monkeypatch.setitem(retention.PURGERS, "letters", [purge_letters])
    assert ws.retention.last_run() is None

    done = ws.retention.run(jana)

    assert limits == [500, 500, 500]  # a full batch asks for another; a short one ends
    assert (done.at, done.erased) == (clock.now, {"notes": 0, "chat": 0, "letters": 1003})
    summary = "notes: 0; chat: 0; letters: 1003; recordings: not held"
    assert done.summary() == summary
    (event,) = events_of(ws, "customer.purged")
    assert (event.actor_id, event.subject, event.detail, event.at) == (
        jana.operator_id,
        "retention",
        summary,
        clock.now,
    )
    assert ws.retention.last_run() == clock.now
    ops = [op for op in ops_of(ws, "audit_event") if str(event.id) == op.row_id]
    assert [op.actor_id for op in ops] == [jana.operator_id]


def test_the_day_of_a_run_is_the_utc_day_whatever_the_terminal_zone(ws, jana, clock):
    day = clock.now.replace(hour=23, minute=0)
    with terminal_zone("KIR-14"):  # UTC+14: its day begins ten hours before UTC's
        clock.now = day
        ws.retention.run(jana)
        clock.now = day + timedelta(hours=1, minutes=30)  # 00:30 UTC the next day
        assert ws.retention.due()
        clock.now = day + timedelta(hours=10)  # 09:00 UTC
        ws.retention.run(jana)
        clock.now = day + timedelta(hours=12)  # 11:00 UTC, the same UTC day
        assert not ws.retention.due()
        assert ws.retention.run_if_due(jana) is None
    assert ws.retention.last_run() == day + timedelta(hours=10)
