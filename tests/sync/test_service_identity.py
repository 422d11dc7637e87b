"""A service (the chat gateway, the mail loop, the phone link) writes with its own key,
vouched for by a team lead for its scope only: in scope it is applied everywhere; out of
scope, or after ``service revoke``, it is refused on arrival and audited."""

from __future__ import annotations

import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal.models import AccountKey, Call, Operator, PayPlan
from cc_terminal.services.common.errors import (
    InvalidCredentials,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.privacy.service_identity import ServiceAccounts, open_service
from tests.cli_run import cli, cli_process
from tests.sync.kit import Floor, Terminal

LEAD = "lead-pass-1\n"


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _call(terminal: Terminal, service_id: uuid.UUID, phone: str) -> uuid.UUID:
    with terminal.ws.db.write(service_id) as session:
        now = datetime.now(UTC)
        call = Call(
            operator_id=service_id,
            phone_e164=phone,
            started_at=now,
            ended_at=now,
            reason="billing",
            outcome="callback",
        )
        session.add(call)
        return call.id


def _has_call(terminal: Terminal, call_id: uuid.UUID) -> bool:
    with terminal.ws.db.read() as session:
        return session.get(Call, call_id) is not None


def _refused_subjects(terminal: Terminal) -> list[str]:
    lead = terminal.actor("lead")
    with terminal.ws.db.connect() as connection:
        audited = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE kind = 'sync.refused'"
        ).scalar()
    listed = [change.subject for change in terminal.ws.conflicts.refused(lead)]
    assert audited == len(listed)
    return listed


def test_a_service_writes_its_scope_only_and_nothing_after_revoke(
    floor: Floor, tmp_path: Path
) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    key_file = tmp_path / "phone-link.pem"
    services = ServiceAccounts(t1.ws.db)
    services.add(t1.actor("lead"), "phone-link", "call", key_file)
    floor.settle()
    service_id = open_service(t2.ws.db, "phone-link", key_file)

    in_scope = _call(t2, service_id, "+420601000001")
    with t2.ws.db.write(service_id) as session:
        plan = PayPlan(
            code="stolen",
            name="Stolen",
            scheme="hourly",
            hourly_minor=99999,
            created_at=datetime.now(UTC),
        )
        session.add(plan)
    floor.settle()
    assert _has_call(t1, in_scope)
    with t1.ws.db.read() as session:
        assert session.get(PayPlan, plan.id) is None
    assert _refused_subjects(t1) == [f"pay_plan {plan.id} (insert)"]

    services.revoke(t1.actor("lead"), "phone-link")
    floor.settle()
    after = _call(t2, service_id, "+420601000002")  # its key, still open on t2, as if stolen
    floor.settle()
    assert not _has_call(t1, after)
    assert f"call {after} (insert)" in _refused_subjects(t1)
    with pytest.raises(PermissionDenied):
        open_service(t2.ws.db, "phone-link", key_file)
    assert [(s.name, s.active) for s in services.listed()] == [("phone-link", False)]


def test_the_key_is_in_its_file_only_and_the_account_never_signs_in(
    floor: Floor, tmp_path: Path
) -> None:
    t1 = floor.add("t1", seed=True)
    key_file = tmp_path / "mail.pem"
    made = ServiceAccounts(t1.ws.db).add(t1.actor("lead"), "mail-loop", "service_request", key_file)
    assert made.scope == ("service_request",)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    with t1.ws.db.read() as session:
        account = session.scalars(select(Operator).where(Operator.username == "mail-loop")).one()
        assert account.role == "service" and account.signing_key == ""
    for password in ("", "!service", account.password_hash):
        with pytest.raises(InvalidCredentials):
            t1.ws.auth.login("mail-loop", password)


@pytest.mark.parametrize(
    "scope", ["pay_plan", "operator", "account_key", "audit_event", "call,nonsense", ""]
)
def test_a_scope_never_holds_the_leads_tables_or_the_accounts(
    floor: Floor, tmp_path: Path, scope: str
) -> None:
    t1 = floor.add("t1", seed=True)
    key_file = tmp_path / "gw.pem"
    with pytest.raises(ValidationFailed):
        ServiceAccounts(t1.ws.db).add(t1.actor("lead"), "gateway", scope, key_file)
    assert not key_file.exists()
    with t1.ws.db.read() as session:
        assert session.scalar(select(func.count()).where(Operator.username == "gateway")) == 0


def test_only_a_lead_adds_a_service(floor: Floor, tmp_path: Path) -> None:
    t1 = floor.add("t1", seed=True)
    with pytest.raises(PermissionDenied):
        ServiceAccounts(t1.ws.db).add(t1.actor("jana"), "gw", "call", tmp_path / "gw.pem")


def test_the_commands_add_list_and_revoke(tmp_path: Path) -> None:
    assert cli(tmp_path, "init", "--password-stdin", stdin=LEAD * 2).returncode == 0
    key_file = tmp_path / "chat.pem"
    added = cli_process(
        tmp_path,
        "service",
        "add",
        "chat-gateway",
        "--scope",
        "call,customer",
        "--key-file",
        str(key_file),
        "--password-stdin",
        stdin=LEAD,
    )
    assert added.returncode == 0, added.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    listed = cli_process(tmp_path, "service", "list")
    assert listed.stdout.split() == ["chat-gateway", "active", "call,customer"]
    wrong = cli(tmp_path, "service", "revoke", "chat-gateway", "--password-stdin", stdin="x\n")
    assert wrong.returncode != 0
    revoked = cli_process(
        tmp_path, "service", "revoke", "chat-gateway", "--password-stdin", stdin=LEAD
    )
    assert revoked.returncode == 0, revoked.stderr
    assert cli(tmp_path, "service", "list").stdout.split()[:2] == ["chat-gateway", "revoked"]
    audit = cli(
        tmp_path, "audit", "export", str(tmp_path / "a.csv"), "--password-stdin", stdin=LEAD
    )
    assert audit.returncode == 0
    trail = (tmp_path / "a.csv").read_text()
    assert "service.added" in trail and "service.revoked" in trail


def test_user_commands_give_a_service_no_password_or_role(floor: Floor, tmp_path: Path) -> None:
    t1 = floor.add("t1", seed=True)
    lead = t1.actor("lead")
    ServiceAccounts(t1.ws.db).add(lead, "gateway", "call", tmp_path / "gw.pem")
    with pytest.raises(PermissionDenied):
        t1.ws.accounts.reset_password(lead, "gateway", "now-a-person-1")
    with pytest.raises(PermissionDenied):
        t1.ws.accounts.set_role(lead, "gateway", "operator")
    with pytest.raises(InvalidCredentials):
        t1.ws.auth.login("gateway", "now-a-person-1")


def test_a_floor_made_after_the_service_keeps_its_scope(tmp_path: Path) -> None:
    from cc_terminal.config import Settings
    from cc_terminal.services.floor import trust as floor_trust
    from cc_terminal.services.workstation import open_workstation
    from tests.conftest import PASSWORDS, seed_floor

    ws = open_workstation(Settings(data_dir=tmp_path / "t1"))
    try:
        seed_floor(ws)
        lead = ws.auth.login("lead", PASSWORDS["lead"])
        ServiceAccounts(ws.db).add(lead, "gateway", "call,customer", tmp_path / "gw.pem")
        floor_trust.create(ws, lead, PASSWORDS["lead"], tmp_path / "share" / "floor")
        with ws.db.read() as session:
            account = session.scalars(select(Operator).where(Operator.username == "gateway")).one()
            rooted = session.scalars(
                select(AccountKey).where(
                    AccountKey.operator_id == account.id, AccountKey.issuer_id == "root"
                )
            ).one()
        assert rooted.scope == "call,customer" and rooted.role == "service"
    finally:
        ws.close()
