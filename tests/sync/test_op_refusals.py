"""An op that writes a team lead's table is refused on arrival unless a team lead made it,
on a floor before signatures (the actor's role here) and on a signed one (the signer's)."""

from __future__ import annotations

import uuid

import pytest

from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.roles import LEAD, LEAD_TABLES, SERVICE, refusal, signed_refusal
from cc_terminal.sync.trust import Grant

JANA = str(uuid.uuid4())
LEAD_ID = str(uuid.uuid4())
JANA_GRANT = Grant(JANA, "jana", "operator", frozenset())
LEAD_GRANT = Grant(LEAD_ID, "vedouci", LEAD, frozenset())


def op(entity: str, kind: str, actor: str) -> Incoming:
    return Incoming(
        op_id=uuid.uuid4(),
        seq=1,
        entity=entity,
        row_id=str(uuid.uuid4()),
        kind=kind,
        changes={"name": "x"},
        bases={},
        hlc=1,
        terminal="t-jana",
        actor=actor,
    )


def no_row(_entity: str, _row_id: str) -> None:
    return None


@pytest.mark.parametrize("entity", sorted(LEAD_TABLES))
@pytest.mark.parametrize("kind", ["insert", "update"])
def test_an_operators_write_to_a_leads_table_is_refused(entity: str, kind: str) -> None:
    unsigned = refusal(op(entity, kind, JANA), "operator", no_row, has_lead=True)
    assert f"{entity} is the team lead's" in unsigned
    assert signed_refusal(op(entity, kind, JANA), JANA_GRANT, no_row)


@pytest.mark.parametrize("entity", sorted(LEAD_TABLES - {"account_key"}))
def test_the_same_write_by_a_team_lead_is_applied(entity: str) -> None:
    assert refusal(op(entity, "insert", LEAD_ID), LEAD, no_row, has_lead=True) == ""
    assert signed_refusal(op(entity, "insert", LEAD_ID), LEAD_GRANT, no_row) == ""


def test_a_service_writes_only_its_scope() -> None:
    gateway = Grant(str(uuid.uuid4()), "chat-gateway", SERVICE, frozenset({"chat_message"}))
    assert signed_refusal(op("chat_message", "insert", gateway.operator_id), gateway, no_row) == ""
    assert "outside the scope" in signed_refusal(
        op("pay_plan", "insert", gateway.operator_id), gateway, no_row
    )
