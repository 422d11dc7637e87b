"""An account's phone extension (services: privacy's account list, phone's apply), on both
databases: the team lead sets it (one active account an extension, a bad one named, an op
and an audit event like every change); an operator's terminal may apply only its
operator's extension's events (or, with none on the account, an extension nobody holds);
the leads and the phone's service account may apply any; a ring stored by the webhook is
attributed to the operator whose extension rang."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.phone.conftest import phone_link_account

RING = PhoneEventKind.RING


def ring(clock, extension: str, key: str = "pbx:1") -> PhoneEvent:
    return PhoneEvent(RING, key, extension, KNOWN_PHONE, clock.now + timedelta(seconds=1))


def service_actor(ws, tmp_path) -> Actor:
    """The phone-link service account, as the webhook and ``cc-terminal ring`` use it."""
    phone_link_account(ws, login(ws, "lead"), tmp_path)
    (service_id,) = rows(ws, "SELECT id FROM operator WHERE username = 'phone-link'")[0]
    return Actor(uuid.UUID(str(service_id)), "phone-link", "phone-link", "service")


def test_the_team_lead_sets_an_extension_one_account_each(ws, lead, jana):
    ws.account_list.set_extension(lead, "jana", " 101 ")
    (view,) = [v for v in ws.account_list.accounts(lead) if v.username == "jana"]
    assert view.phone_extension == "101"
    assert login(ws, "jana").phone_extension == "101"  # what her terminal follows
    with pytest.raises(ValidationFailed) as taken:
        ws.account_list.set_extension(lead, "petr", "101")
    assert "101 is the extension of jana" in str(taken.value)
    with pytest.raises(ValidationFailed) as bad:
        ws.account_list.set_extension(lead, "petr", "10 1")
    assert "phone_extension" in bad.value.errors
    with pytest.raises(PermissionDenied):
        ws.account_list.set_extension(jana, "jana", "102")
    audited = "SELECT subject, detail FROM audit_event WHERE kind = 'account.extension'"
    assert rows(ws, audited) == [("jana", "101")]
    ops = "SELECT count(*) FROM outbox_op WHERE entity = 'operator' AND changes LIKE '%extension%'"
    assert rows(ws, ops)[0][0] >= 1
    ws.account_list.set_extension(lead, "jana", "")  # back to the terminal's
    assert login(ws, "jana").phone_extension == ""


def test_an_operator_applies_only_her_own_extension(ws, lead, jana, petr, clock):
    ws.account_list.set_extension(lead, "jana", "101")
    jana = login(ws, "jana")
    assert ws.phone.apply(jana, ring(clock, "101")).extension == "101"
    with pytest.raises(PermissionDenied):
        ws.phone.apply(jana, ring(clock, "102", key="pbx:2"))  # not hers
    with pytest.raises(PermissionDenied):
        ws.phone.apply(petr, ring(clock, "101", key="pbx:3"))  # jana's
    # petr's account has none: his terminal's own extension, one nobody holds, is fine
    assert ws.phone.apply(petr, ring(clock, "105", key="pbx:4")).extension == "105"
    assert ws.phone.call("pbx:2") is None and ws.phone.call("pbx:3") is None
    refused = "SELECT count(*) FROM audit_event WHERE kind LIKE '%refused%'"
    assert rows(ws, refused)[0][0] >= 2


def test_a_lead_and_the_webhooks_account_apply_any(ws, lead, clock, tmp_path):
    ws.account_list.set_extension(lead, "jana", "101")
    assert ws.phone.apply(lead, ring(clock, "101")).call_key == "pbx:1"
    assert (
        ws.phone.apply(service_actor(ws, tmp_path), ring(clock, "102", key="pbx:2")).extension
        == "102"
    )


def test_a_webhooks_ring_is_attributed_to_the_extensions_operator(ws, lead, jana, clock, tmp_path):
    ws.account_list.set_extension(lead, "jana", "101")
    webhook = service_actor(ws, tmp_path)
    view = ws.phone.apply(webhook, ring(clock, "101"))
    assert view.operator_id == jana.operator_id
    nobody = ws.phone.apply(webhook, ring(clock, "999", key="pbx:2"))
    assert nobody.operator_id is None


def test_a_service_links_and_transfers_any_operators_call(ws, lead, jana, clock, tmp_path):
    ws.phone.apply(jana, ring(clock, "101"), operator_id=jana.operator_id)
    webhook = service_actor(ws, tmp_path)
    assert ws.phone.transferred(webhook, "pbx:1").end_reason == "transferred"


def test_an_inactive_accounts_extension_holds_no_call(ws, lead, jana, clock):
    ws.account_list.set_extension(lead, "jana", "101")
    ws.accounts.deactivate(lead, "jana")
    assert ws.phone.apply(lead, ring(clock, "101")).operator_id is None
