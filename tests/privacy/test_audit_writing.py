"""Writing the audit trail (services/common/audit.py): a refused call is one event naming
the service and method, the refusal and its person, at the service's clock; a lead's
configuration change names what changed; empty fields stay empty, a long subject is cut;
each event is written as its person's change."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from cc_terminal.models import OutboxOp, RequestState
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.audit_trail import AuditFilter
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.database import Database


def events(ws: Workstation, lead: Actor, kind: str) -> list[tuple[datetime, str, str, str]]:
    entries = ws.audit.events(lead, AuditFilter(group=kind.partition(".")[0]))
    return [(e.at, e.who, e.subject, e.detail) for e in reversed(entries) if e.kind == kind]


def test_a_refused_call_is_one_event_naming_the_method_the_refusal_and_who(ws, lead, jana, clock):
    clock.advance(3600)
    with pytest.raises(PermissionDenied):
        ws.days_off.decide(jana, [uuid.uuid4()], RequestState.APPROVED)
    assert events(ws, lead, "permission.refused") == [
        (clock(), "jana", "DaysOff.decide", "Only a team lead decides days off and rosters.")
    ]


def probe_service(db: Database, clock: object) -> object:
    """A service decorated here, so that the decoration itself is under test."""

    @refusals_audited
    class Probe:
        LIMIT = 3  # not a method: left as it is

        def __init__(self) -> None:
            self.db, self.clock = db, clock

        def decide(self, actor: Actor, nested: bool = False) -> None:
            if nested:
                self.approve(actor)
            raise PermissionDenied("Only a team lead decides.")

        def approve(self, actor: Actor) -> None:
            raise PermissionDenied("Only a team lead approves.")

        def _check(self, actor: Actor) -> None:
            raise PermissionDenied("A private check: its public caller audits it.")

    assert Probe.LIMIT == 3
    return Probe()


def test_each_public_method_audits_its_refusal_once_and_private_ones_not(ws, lead, jana, clock):
    probe = probe_service(ws.db, clock)
    with pytest.raises(PermissionDenied):
        probe.decide(jana)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        probe.decide(jana, nested=True)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        probe._check(jana)  # type: ignore[attr-defined]
    assert [(who, what, why) for _at, who, what, why in events(ws, lead, "permission.refused")] == [
        ("jana", "Probe.decide", "Only a team lead decides."),
        ("jana", "Probe.approve", "Only a team lead approves."),  # once, by the method refusing
    ]


def test_a_config_change_names_the_person_or_nothing_when_given_by_name(ws, lead, jana):
    ws.pay_plans.assign(lead, jana.operator_id, None)
    ws.days_off.set_rules(
        lead,
        cutoff_weekday=2,
        cutoff_time="18:00",
        floor_heads=1,
        contract_days=5,
        max_consecutive_days=6,
    )
    changes = [(kind, subject, detail) for *_x, kind, subject, detail in config_events(ws, lead)]
    assert changes == [
        ("config.pay", str(jana.operator_id), "assign"),
        ("config.planning", "", "set_rules"),
    ]


def config_events(ws: Workstation, lead: Actor) -> list[tuple[str, str, str, str]]:
    entries = reversed(ws.audit.events(lead, AuditFilter(group="config")))
    return [(e.who, e.kind, e.subject, e.detail) for e in entries]


def test_empty_fields_stay_empty_and_a_long_subject_is_cut_at_120(ws, lead, jana):
    ws.work_clock.end(jana)
    ((_at, who, subject, detail),) = events(ws, lead, "logout")
    assert (who, subject, detail) == ("jana", "", "")
    ws.audit.record(lead, "config.test", "x" * 121, "y" * 200)
    ((_who, _kind, subject, detail),) = config_events(ws, lead)
    assert (subject, detail) == ("x" * 120, "y" * 200)


def test_an_event_is_written_as_its_persons_change(ws, jana):
    ws.audit.record(jana, "customer.viewed", "c-1", "call")
    with ws.db.read() as session:
        newest = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "audit_event").order_by(OutboxOp.seq.desc())
        ).first()
    assert newest is not None and newest.actor_id == jana.operator_id
