"""Service accounts on either database: a lead adds one, its process opens the key file
and what it writes is signed with that key; a revoked one, or another key, opens nothing.
Their rules message by message: what a lead is told when a service cannot be added or
opened, nothing stored after a refusal, the name as kept, the list in name order, and the
trail's events (who, what, which tables, when)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal import limits
from cc_terminal.models import AuditEvent, Call, Operator, OutboxRun
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import (
    ServiceAccounts,
    open_service,
    write_key_file,
)
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.keyring import new_key
from tests.conftest import FixedClock


def test_a_service_signs_what_it_writes_until_revoked(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    key_file = tmp_path / "link.pem"
    services = ServiceAccounts(ws.db)
    services.add(lead, "Phone-Link", "call", key_file)
    service_id = open_service(ws.db, "phone-link", key_file)
    now = datetime.now(UTC)
    with ws.db.write(service_id) as session:
        session.add(
            Call(
                operator_id=service_id,
                started_at=now,
                ended_at=now,
                reason="billing",
                outcome="callback",
            )
        )
    with ws.db.read() as session:
        signers = set(session.scalars(select(OutboxRun.signer)))
        assert service_id in signers

    stranger = tmp_path / "other.pem"
    write_key_file(stranger, new_key())
    with pytest.raises(PermissionDenied):
        open_service(ws.db, "phone-link", stranger)

    services.revoke(lead, "phone-link")
    with pytest.raises(PermissionDenied):
        open_service(ws.db, "phone-link", key_file)
    listed = services.listed()
    assert [(s.name, s.scope, s.active) for s in listed] == [("phone-link", ("call",), False)]
    with ws.db.read() as session:
        kinds = list(
            session.scalars(select(AuditEvent.kind).where(AuditEvent.subject == "phone-link"))
        )
    assert {"service.added", "service.revoked"} <= set(kinds)


@pytest.fixture
def services(ws: Workstation, clock: FixedClock) -> ServiceAccounts:
    return ServiceAccounts(ws.db, clock)


def accounts(ws: Workstation) -> int:
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(Operator)) or 0


@pytest.mark.parametrize(
    ("name", "scope", "errors"),
    [
        ("gw", " , ", {"scope": "Name at least one table."}),
        ("gw", "call,nonsense,bogus", {"scope": "No such table: bogus, nonsense."}),
        ("gw", "pay_plan,call,operator", {"scope": "Not for a service: operator, pay_plan."}),
        ("  ", "call", {"name": f"A name of 1 to {limits.USERNAME} characters."}),
        ("g" * (limits.USERNAME + 1), "call", {"name": "A name of 1 to 40 characters."}),
        ("Jana", "call", {"name": "jana is taken."}),
    ],
)
def test_a_service_that_cannot_be_added_says_why_and_leaves_nothing(
    ws, services, lead, tmp_path, name, scope, errors
):
    before = accounts(ws)
    key_file = tmp_path / "gw.pem"
    with pytest.raises(ValidationFailed) as refused:
        services.add(lead, name, scope, key_file)
    assert refused.value.errors == errors
    assert accounts(ws) == before and not key_file.exists()


def test_an_existing_key_file_is_never_overwritten(services, lead, tmp_path):
    key_file = tmp_path / "gw.pem"
    key_file.write_text("someone's key")
    with pytest.raises(ValidationFailed) as refused:
        services.add(lead, "gw", "call", key_file)
    assert refused.value.errors == {"key_file": f"{key_file} exists already."}
    assert key_file.read_text() == "someone's key"


def test_only_a_lead_with_an_open_key_manages_services(ws, services, lead, jana, tmp_path):
    with pytest.raises(PermissionDenied) as refused:
        services.add(jana, "gw", "call", tmp_path / "gw.pem")
    assert str(refused.value) == "Only a team lead manages service accounts."
    ws.db.keyring.forget(lead.operator_id)
    with pytest.raises(PermissionDenied) as refused:
        services.add(lead, "gw", "call", tmp_path / "gw.pem")
    assert str(refused.value) == "Sign in again: your signing key is not open here."


def test_a_name_of_40_characters_is_kept_in_small_letters(ws, services, lead, tmp_path):
    name = "Gateway-" + "x" * (limits.USERNAME - 8)
    made = services.add(lead, f"  {name} ", "customer, call", tmp_path / "gw.pem")
    assert (made.name, made.scope, made.active) == (name.lower(), ("call", "customer"), True)
    with ws.db.read() as session:
        account = session.scalars(select(Operator).where(Operator.username == name.lower())).one()
    assert account.full_name == f"service {name.lower()}"


def test_services_are_listed_by_name_and_audited_with_who_what_and_when(
    ws, services, lead, tmp_path, clock
):
    at = []
    for step in (
        lambda: services.add(lead, "zeta", "call", tmp_path / "zeta.pem"),
        lambda: services.add(lead, "alpha", "customer,call", tmp_path / "alpha.pem"),
        lambda: services.revoke(lead, "Zeta"),
    ):
        clock.advance(60)
        at.append(clock())
        step()
    assert [(s.name, s.scope, s.active) for s in services.listed()] == [
        ("alpha", ("call", "customer"), True),
        ("zeta", ("call",), False),
    ]
    with ws.db.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.kind.startswith("service.")).order_by(AuditEvent.at)
        ).all()
        seen = [(e.actor_id, e.kind, e.subject, e.detail, e.at) for e in events]
    assert seen == [
        (lead.operator_id, "service.added", "zeta", "call", at[0]),
        (lead.operator_id, "service.added", "alpha", "call,customer", at[1]),
        (lead.operator_id, "service.revoked", "zeta", "", at[2]),
    ]


def test_a_service_opens_only_by_its_own_name_and_key(ws, services, lead: Actor, tmp_path: Path):
    services.add(lead, "alpha", "call", tmp_path / "alpha.pem")
    services.add(lead, "beta", "call", tmp_path / "beta.pem")
    assert open_service(ws.db, "beta", tmp_path / "beta.pem") != open_service(
        ws.db, "alpha", tmp_path / "alpha.pem"
    )
    with pytest.raises(PermissionDenied) as refused:
        open_service(ws.db, "beta", tmp_path / "alpha.pem")
    assert str(refused.value) == "The key file is not service beta's."
    services.revoke(lead, "beta")
    with pytest.raises(PermissionDenied) as refused:
        open_service(ws.db, "beta", tmp_path / "beta.pem")
    assert str(refused.value) == "Service beta was revoked."
    open_service(ws.db, "alpha", tmp_path / "alpha.pem")  # revoking beta left alpha alone
    for stranger in ("nobody", "jana"):  # jana is a person, not a service
        with pytest.raises(NotFound) as missing:
            open_service(ws.db, stranger, tmp_path / "alpha.pem")
        assert str(missing.value) == f"No service account {stranger}."


def test_a_key_file_of_another_kind_of_key_is_refused(ws, services, lead, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    services.add(lead, "gw", "call", tmp_path / "gw.pem")
    other = tmp_path / "ec.pem"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ValidationFailed) as refused:
        open_service(ws.db, "gw", other)
    assert refused.value.errors == {"key_file": "Not an Ed25519 key."}
