"""Service accounts on either database: a lead adds one, its process opens the key file
and what it writes is signed with that key; a revoked one, or another key, opens nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent, Call, OutboxRun
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import (
    ServiceAccounts,
    open_service,
    write_key_file,
)
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.keyring import new_key


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
