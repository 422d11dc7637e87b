"""The floor board's limits set by a team lead for the whole floor (services/phone/
floor_limits.py) on both databases: the defaults, a change through the write path (an op
the floor's sync carries) and audited, refused with a message by the field, a lead's
alone; the board reads what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent, OutboxOp
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.floor import FloorSetting
from cc_terminal.models.tally import PauseReason
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.phone.floor_views import FloorLimits
from cc_terminal.services.workstation import open_workstation
from tests.sync.kit import Floor, two_terminals


def test_a_floor_without_settings_has_the_defaults(ws):
    assert ws.floor_settings.limits() == FloorLimits(20, 15, 120, 60)


def test_a_lead_sets_the_limits_through_the_write_path_and_audited(ws, lead):
    limits = ws.floor_settings.set_limits(lead, {"service_seconds": "30", "pause_minutes": 10})
    assert limits == FloorLimits(30, 10, 120)
    with ws.db.read() as session:
        ops = session.scalars(select(OutboxOp).where(OutboxOp.entity == "floor_setting"))
        assert sorted(op.row_id for op in ops) == ["pause_minutes", "service_seconds"]
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.kind == "config.floor")))
    assert [event.detail for event in events] == ["service_seconds=30 pause_minutes=10"]
    ws.floor_settings.set_limits(lead, {"service_seconds": "30"})  # no change: no event
    assert ws.floor_settings.limits().service_seconds == 30


def test_another_terminal_of_the_floor_reads_them(ws, lead, settings, clock, tmp_path):
    ws.floor_settings.set_limits(lead, {"wrap_seconds": "300"})
    other = open_workstation(settings, clock=clock)
    try:
        assert other.floor_settings.limits().wrap_seconds == 300
    finally:
        other.close()


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"service_seconds": "0"}, "service_seconds"),
        ({"pause_minutes": "ten"}, "pause_minutes"),
        ({"wrap_seconds": "3601"}, "wrap_seconds"),
        ({"wrap_seconds": "-5"}, "wrap_seconds"),
        ({"chat_first_response_seconds": "9"}, "chat_first_response_seconds"),
        ({"chat_first_response_seconds": "3601"}, "chat_first_response_seconds"),
        ({"lunch": "5"}, "lunch"),
    ],
)
def test_a_wrong_value_is_refused_by_its_field_and_nothing_stored(ws, lead, typed, field):
    with pytest.raises(ValidationFailed) as refused:
        ws.floor_settings.set_limits(lead, {"service_seconds": "45", **typed})
    assert field in refused.value.errors
    assert ws.floor_settings.limits() == FloorLimits()


def test_only_a_team_lead_sets_them(ws, jana):
    with pytest.raises(PermissionDenied):
        ws.floor_settings.set_limits(jana, {"pause_minutes": "60"})
    with ws.db.read() as session:
        refused = session.scalars(
            select(AuditEvent).where(AuditEvent.kind == AuditKind.PERMISSION_REFUSED)
        )
        assert len(list(refused)) == 1


def test_the_board_alerts_by_the_stored_limits(ws, lead, jana, clock):
    ws.floor_settings.set_limits(lead, {"pause_minutes": "2"})
    ws.work_clock.begin(jana)
    ws.work_clock.pause(jana, PauseReason.BREAK)
    clock.advance(121)
    view = ws.floor_board.view(lead)
    assert view.limits.pause_minutes == 2
    assert view.alerts(clock()) == 1
    assert view.alerts(clock() - timedelta(seconds=2)) == 0


def test_a_floor_folders_sync_carries_them_to_every_terminal(tmp_path):
    floor = Floor(tmp_path)
    try:
        two_terminals(floor)
        first, second = floor.terminals
        first.ws.floor_settings.set_limits(first.actor("lead"), {"pause_minutes": "5"})
        floor.settle()
        assert second.ws.floor_settings.limits().pause_minutes == 5
    finally:
        floor.close()


def test_every_wrong_field_is_named_with_its_range(ws, lead):
    typed = {"lunch": "5", "pause_minutes": "0", "wrap_seconds": "3601", "service_seconds": "x"}
    with pytest.raises(ValidationFailed) as refused:
        ws.floor_settings.set_limits(lead, typed)
    assert refused.value.errors == {
        "lunch": "No such limit.",
        "pause_minutes": "A whole number from 1 to 480.",
        "wrap_seconds": "A whole number from 1 to 3600.",
        "service_seconds": "A whole number from 1 to 600.",
    }


def test_both_ends_of_each_range_are_allowed(ws, lead):
    low = {"service_seconds": "1", "pause_minutes": "1", "wrap_seconds": "1"}
    low["chat_first_response_seconds"] = "10"
    assert ws.floor_settings.set_limits(lead, low) == FloorLimits(1, 1, 1, 10)
    high = {"service_seconds": "600", "pause_minutes": "480", "wrap_seconds": "3600"}
    high["chat_first_response_seconds"] = "3600"
    assert ws.floor_settings.set_limits(lead, high) == FloorLimits(600, 480, 3600, 3600)


def test_a_limit_changed_again_is_stored_by_whom_and_when_with_its_audit(ws, lead, clock):
    ws.floor_settings.set_limits(lead, {"pause_minutes": "10"})
    clock.advance(60)
    assert ws.floor_settings.set_limits(lead, {"pause_minutes": "20"}).pause_minutes == 20
    with ws.db.read() as session:
        (row,) = session.scalars(select(FloorSetting)).all()
        assert (row.name, row.value, row.set_by, row.set_at) == (
            "pause_minutes",
            20,
            lead.operator_id,
            clock(),
        )
        events = session.scalars(select(AuditEvent).where(AuditEvent.kind == "config.floor"))
        last = sorted(events, key=lambda event: event.at)[-1]
    assert (last.actor_id, last.subject, last.detail, last.at) == (
        lead.operator_id,
        "floor",
        "pause_minutes=20",
        clock(),
    )


def test_an_operator_is_told_who_sets_them(ws, jana):
    with pytest.raises(PermissionDenied) as refused:
        ws.floor_settings.set_limits(jana, {"pause_minutes": "60"})
    assert str(refused.value) == "Only a team lead sets the floor's limits."
