"""The team lead's accounts: the list (role, department, team, locked, must change, last
sign-in), a department and a team changed, a password reset to a temporary one, and a
leaver deactivated: sessions ended, leads and callbacks handed to a colleague or back to
the pools, a leaving lead's team passed on; every change audited under the stored name,
every refusal next to its field with nothing changed. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent, Lead, LeadStatus, Operator, WorkSession
from cc_terminal.services.common.errors import (
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.leavers import HandedOver
from cc_terminal.services.workstation import Workstation
from tests.conftest import PASSWORDS, FixedClock
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns


def _row(ws: Workstation, username: str) -> Operator:
    with ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def _events(ws: Workstation, kind: str) -> list[tuple[str, str]]:
    with ws.db.read() as session:
        query = select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.at)
        return [(e.subject, e.detail) for e in session.scalars(query)]


def _leads(ws: Workstation) -> list[Lead]:
    with ws.db.read() as session:
        return list(session.scalars(select(Lead).order_by(Lead.phone_e164)))


def test_a_lead_lists_every_account_with_what_she_needs_to_know(
    ws: Workstation, lead: Actor, jana: Actor, clock: FixedClock
) -> None:
    ws.account_list.set_team(lead, "jana", "lead")
    ws.accounts.reset_password(lead, "petr", "petr-temporary-9")
    for _attempt in range(5):  # the floor's 5 free attempts: then a wait
        with pytest.raises(InvalidCredentials):
            ws.auth.login("petr", "not-his-password")
    views = {view.username: view for view in ws.account_list.accounts(lead)}
    assert list(views) == ["jana", "lead", "petr"]
    jana_view, petr_view = views["jana"], views["petr"]
    assert (jana_view.full_name, jana_view.role, jana_view.department) == (
        "Jana Svobodová",
        "operator",
        "contact_centre",
    )
    assert (jana_view.team_lead, jana_view.team_lead_username) == ("Lída Vedoucí", "lead")
    assert jana_view.last_sign_in == clock() and not jana_view.locked
    assert jana_view.active and not jana_view.must_change_password
    assert petr_view.locked and petr_view.must_change_password and petr_view.last_sign_in is None
    assert petr_view.department == "billing" and petr_view.team_lead == ""


def test_deactivated_accounts_are_listed_only_when_asked(ws: Workstation, lead: Actor) -> None:
    ws.accounts.deactivate(lead, "petr")
    assert not next(v for v in ws.account_list.accounts(lead) if v.username == "petr").active
    names = [v.username for v in ws.account_list.accounts(lead, include_inactive=False)]
    assert names == ["jana", "lead"]


def test_an_operator_sees_no_list_and_changes_nothing(ws: Workstation, jana: Actor) -> None:
    for refused_call in (
        lambda: ws.account_list.accounts(jana),
        lambda: ws.account_list.set_department(jana, "petr", "sales"),
        lambda: ws.account_list.set_team(jana, "petr", "lead"),
        lambda: ws.accounts.held(jana, "petr"),
        lambda: ws.accounts.reset_to_temporary(jana, "petr"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            refused_call()
        assert str(refused.value) == "Only a team lead manages accounts."
    assert _row(ws, "petr").department == "billing" and _row(ws, "petr").team_lead_id is None
    assert len(_events(ws, "permission.refused")) == 5


def test_a_department_in_use_is_set_and_audited_under_the_stored_name(
    ws: Workstation, lead: Actor
) -> None:
    ws.account_list.set_department(lead, " PETR ", "sales")
    assert _row(ws, "petr").department == "sales"
    assert _events(ws, "account.department") == [("petr", "sales")]
    with pytest.raises(ValidationFailed) as refused:
        ws.account_list.set_department(lead, "petr", "bakery")
    assert refused.value.errors == {"department": "No such department: bakery."}
    assert _row(ws, "petr").department == "sales"
    with pytest.raises(NotFound):
        ws.account_list.set_department(lead, "nobody", "sales")


def test_a_team_is_an_active_team_leads_or_none(ws: Workstation, lead: Actor) -> None:
    ws.account_list.set_team(lead, "Petr", "LEAD")
    assert _row(ws, "petr").team_lead_id == _row(ws, "lead").id
    for wrong, message in (
        ("jana", "jana is not an active team lead."),
        ("nobody", "nobody is not an active team lead."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            ws.account_list.set_team(lead, "petr", wrong)
        assert refused.value.errors == {"team": message}
    with pytest.raises(ValidationFailed) as own:
        ws.account_list.set_team(lead, "lead", "lead")
    assert own.value.errors == {"team": "An account cannot be in its own team."}
    ws.account_list.set_team(lead, "petr", "")
    assert _row(ws, "petr").team_lead_id is None
    assert _events(ws, "account.team") == [("petr", "lead"), ("petr", "")]


def test_a_reset_to_a_temporary_password_hands_it_over_once(ws: Workstation, lead: Actor) -> None:
    handed = ws.accounts.reset_to_temporary(lead, " Jana ")
    # 9 random bytes as 12 URL-safe characters: short enough to read out, 72 bits to guess
    assert handed.username == "jana" and re.fullmatch(r"[A-Za-z0-9_-]{12}", handed.password)
    assert ws.auth.login("jana", handed.password).must_change_password
    with pytest.raises(InvalidCredentials):
        ws.auth.login("jana", PASSWORDS["jana"])
    assert _events(ws, "account.password_reset") == [("jana", "")]
    assert ws.accounts.reset_to_temporary(lead, "petr").password != handed.password


def test_changes_by_name_as_typed_are_audited_under_the_stored_name(
    ws: Workstation, lead: Actor
) -> None:
    ws.accounts.set_role(lead, " PETR ", "lead")
    ws.auth.unlock(lead, "jana")
    ws.accounts.deactivate(lead, " Jana ")
    assert _events(ws, "account.role") == [("petr lead", "")]
    assert _events(ws, "account.unlocked") == [("", "jana")]
    assert [subject for subject, _ in _events(ws, "account.deactivated")] == ["jana"]


def _janas_work(ws: Workstation, lead: Actor, jana: Actor) -> None:
    """Three open leads of jana's (one a personal callback she agreed, one she is
    calling), one of them closed, and her work session open."""
    set_up_campaigns(ws, lead)
    people = [(f"+42060100000{n}", f"Zákazník {n}") for n in range(1, 5)]
    add(ws, lead, SALES, people, assign_to=("jana",))
    with ws.db.write(lead.operator_id) as session:
        rows = list(session.scalars(select(Lead).order_by(Lead.phone_e164)))
        rows[0].status, rows[0].callback_by = LeadStatus.CALLBACK.value, jana.operator_id
        rows[0].callback_personal, rows[0].callback_at = True, ws.accounts.clock()
        rows[1].status, rows[1].claimed_by = LeadStatus.CALLING.value, jana.operator_id
        rows[3].status = LeadStatus.DONE.value
    ws.work_clock.begin(jana)


def test_a_leaver_hands_her_leads_and_callbacks_to_a_colleague(
    ws: Workstation, lead: Actor, jana: Actor, petr: Actor
) -> None:
    _janas_work(ws, lead, jana)
    assert ws.accounts.held(lead, "jana") == HandedOver(leads=3, callbacks=1)
    done = ws.accounts.deactivate(lead, "jana", heir=" Petr ")
    assert done == HandedOver(heir="petr", leads=3, callbacks=1, sessions=1)
    assert ws.db.keyring.get(jana.operator_id) is None  # signed in here: her key is closed
    callback, calling, waiting, closed = _leads(ws)
    assert {callback.assigned_to, calling.assigned_to, waiting.assigned_to} == {petr.operator_id}
    assert callback.callback_by == petr.operator_id and callback.callback_personal
    assert calling.status == LeadStatus.OPEN.value and calling.claimed_by is None
    assert closed.assigned_to == jana.operator_id  # a closed lead keeps who closed it
    assert waiting.assignment_epoch == 1
    with ws.db.read() as session:
        sessions = list(session.scalars(select(WorkSession)))
    janas = [row.ended_at for row in sessions if row.operator_id == jana.operator_id]
    assert janas == [ws.accounts.clock()]
    detail = "handover=petr leads=3 callbacks=1 sessions=1 members=0"
    assert _events(ws, "account.deactivated") == [("jana", detail)]
    assert ws.accounts.held(lead, "jana") == HandedOver()


def test_without_a_colleague_the_leads_go_back_to_the_pools(
    ws: Workstation, lead: Actor, jana: Actor
) -> None:
    _janas_work(ws, lead, jana)
    done = ws.accounts.deactivate(lead, "jana")
    assert (done.heir, done.leads, done.callbacks) == ("", 3, 1)
    callback, calling, waiting, _closed = _leads(ws)
    assert [lead.assigned_to for lead in (callback, calling, waiting)] == [None, None, None]
    # the customer was promised a call: anyone in the campaign makes it when it is due
    assert callback.callback_by is None and not callback.callback_personal
    assert callback.status == LeadStatus.CALLBACK.value
    assert _events(ws, "account.deactivated")[0][1].startswith("handover=pool leads=3")


@pytest.mark.parametrize(
    ("heir", "message"),
    [
        ("jana", "Choose someone other than the leaver."),
        ("nobody", "No such account: nobody."),
        ("eva", "eva is not active."),
    ],
)
def test_a_wrong_heir_is_refused_and_nothing_changes(
    ws: Workstation, lead: Actor, jana: Actor, heir: str, message: str
) -> None:
    ws.auth.create_operator(lead, "eva", "Eva Malá", "operator", "eva-pass-12")
    ws.accounts.deactivate(lead, "eva")
    _janas_work(ws, lead, jana)
    before = [(row.assigned_to, row.status) for row in _leads(ws)]
    with pytest.raises(ValidationFailed) as refused:
        ws.accounts.deactivate(lead, "jana", heir=heir)
    assert refused.value.errors == {"heir": message}
    assert _row(ws, "jana").active
    assert [(row.assigned_to, row.status) for row in _leads(ws)] == before
    assert [subject for subject, _ in _events(ws, "account.deactivated")] == ["eva"]


def test_a_leaving_team_leads_team_passes_to_the_heir_who_leads(
    ws: Workstation, lead: Actor
) -> None:
    ws.auth.create_operator(lead, "olga", "Olga Nová", "lead", "olga-pass-12")
    ws.auth.create_operator(lead, "ivan", "Ivan Starý", "lead", "ivan-pass-12")
    for member in ("jana", "petr"):
        ws.account_list.set_team(lead, member, "olga")
    assert ws.accounts.held(lead, "olga").members == 2
    done = ws.accounts.deactivate(lead, "olga", heir="ivan")
    assert done.members == 2
    assert {_row(ws, "jana").team_lead_id, _row(ws, "petr").team_lead_id} == {_row(ws, "ivan").id}
    ws.accounts.deactivate(lead, "ivan", heir="jana")  # an operator leads no team
    assert _row(ws, "jana").team_lead_id is None and _row(ws, "petr").team_lead_id is None


def test_the_heir_of_an_unknown_leaver_is_not_asked(ws: Workstation, lead: Actor) -> None:
    with pytest.raises(NotFound):
        ws.accounts.deactivate(lead, "nobody", heir="petr")
    assert isinstance(_row(ws, "petr").id, uuid.UUID)
