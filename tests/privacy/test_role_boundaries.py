"""Role boundaries, proven on both stores: every team-lead action called as an operator is
refused, stores nothing, and leaves exactly one audit event naming the action. An operator
of one department cannot read or move another department's requests."""

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cc_terminal.models import AuditEvent, OrderKind
from cc_terminal.models.reference import ListKind
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor, Choice
from cc_terminal.services.floor.conflicts import Decision
from cc_terminal.services.orders.values import ExtraField
from cc_terminal.services.privacy.audit_trail import AuditFilter
from cc_terminal.services.tally.periods import Period, PeriodKind
from cc_terminal.services.workstation import Workstation
from tests.conftest import KNOWN_PHONE
from tests.hostile.hostile_files import stored

MONDAY = date(2026, 11, 30)
SOMEONE = uuid.UUID(int=7)
PERIOD = Period(PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30))
ROUTER = ProductItem("ROUTER-X", "Router", "equipment", 100, "CZK", None, None)

# (what a team lead does, the call an operator tries); ``tmp`` is a folder for files.
LEAD_ACTIONS: list[tuple[str, Callable[[Workstation, Actor, Path], object]]] = [
    (
        "add an account",
        lambda ws, a, tmp: ws.auth.create_operator(a, "eva", "Eva", "operator", "x" * 12),
    ),
    ("unlock an account", lambda ws, a, tmp: ws.auth.unlock(a, "petr")),
    ("list the accounts", lambda ws, a, tmp: ws.account_list.accounts(a)),
    ("change a department", lambda ws, a, tmp: ws.account_list.set_department(a, "petr", "sales")),
    ("change a team", lambda ws, a, tmp: ws.account_list.set_team(a, "petr", "lead")),
    ("change a role", lambda ws, a, tmp: ws.accounts.set_role(a, "petr", "lead")),
    ("reset a password", lambda ws, a, tmp: ws.accounts.reset_to_temporary(a, "petr")),
    ("see what a leaver holds", lambda ws, a, tmp: ws.accounts.held(a, "petr")),
    ("deactivate a leaver", lambda ws, a, tmp: ws.accounts.deactivate(a, "petr", "lead")),
    ("set the sign-in policy", lambda ws, a, tmp: ws.auth.set_policy(a, 3, 60)),
    ("edit the catalogue", lambda ws, a, tmp: ws.catalog.save(a, ROUTER)),
    ("import the catalogue", lambda ws, a, tmp: ws.catalog.import_csv(a, tmp / "c.csv")),
    (
        "change a list",
        lambda ws, a, tmp: ws.reference.save(a, ListKind.CALL_REASON, Choice("X", "X")),
    ),
    (
        "import a list",
        lambda ws, a, tmp: ws.reference.import_csv(a, ListKind.CALL_REASON, tmp / "l.csv"),
    ),
    ("import leads", lambda ws, a, tmp: ws.leads.add_leads(a, "C", "list", "cold", [])),
    (
        "import the address register",
        lambda ws, a, tmp: ws.register.import_files(a, [tmp / "r.csv"]),
    ),
    ("reassign leads", lambda ws, a, tmp: ws.lead_assignment.reassign(a, "jana", "petr")),
    ("set up a campaign", lambda ws, a, tmp: ws.campaigns.create(a, None)),  # type: ignore[arg-type]
    ("write a survey question", lambda ws, a, tmp: ws.surveys.save_question(a, "C", None)),  # type: ignore[arg-type]
    ("set up a field team", lambda ws, a, tmp: ws.dispatch.save_team(a, None)),  # type: ignore[arg-type]
    (
        "add an order field",
        lambda ws, a, tmp: ws.order_setup.save_field(
            a, OrderKind.TAXI, ExtraField("seat", "Seat"), True
        ),
    ),
    ("decide days off", lambda ws, a, tmp: ws.days_off.decide(a, [SOMEONE], "approved")),  # type: ignore[arg-type]
    ("set the day-off rules", lambda ws, a, tmp: ws.days_off.set_rules(a, 3, "12:00", 2, 5, 6)),
    ("set a roster need", lambda ws, a, tmp: ws.roster.set_need(a, MONDAY, "early", 3)),
    ("publish the roster", lambda ws, a, tmp: ws.roster.publish(a, MONDAY)),
    ("define a pay plan", lambda ws, a, tmp: ws.pay_plans.save(a, None)),  # type: ignore[arg-type]
    ("assign a pay plan", lambda ws, a, tmp: ws.pay_plans.assign(a, SOMEONE, None)),
    ("set up a quality form", lambda ws, a, tmp: ws.quality.save_form(a, "QA", "QA", "q")),
    ("score a call", lambda ws, a, tmp: ws.quality.evaluate(a, SOMEONE, SOMEONE, {}, "")),
    ("see the team's figures", lambda ws, a, tmp: ws.tally.team_view(a, PERIOD)),
    ("decide a disputed success", lambda ws, a, tmp: ws.tally.decide(a, SOMEONE, True, "")),
    ("close a pay period", lambda ws, a, tmp: ws.tally.close_period(a, PERIOD)),
    (
        "export the team's pay",
        lambda ws, a, tmp: ws.tally_export.export(a, PERIOD, tmp / "p.csv", "csv"),
    ),
    (
        "export a campaign's customers",
        lambda ws, a, tmp: ws.exports.export(a, "C", tmp / "e.csv", "csv"),
    ),
    (
        "export a field team's day sheet",
        lambda ws, a, tmp: ws.order_export.write_day_sheet(a, "T", MONDAY, tmp / "d.txt"),
    ),
    ("export the roster", lambda ws, a, tmp: ws.roster.export(a, MONDAY, tmp / "r.csv")),
    ("take an escalation", lambda ws, a, tmp: ws.escalations.take(a, SOMEONE)),
    (
        "export a customer's data",
        lambda ws, a, tmp: ws.data_requests.export(a, SOMEONE, tmp / "c.json"),
    ),
    ("erase a customer", lambda ws, a, tmp: ws.data_requests.erase(a, SOMEONE, "GDPR 1")),
    ("set the retention days", lambda ws, a, tmp: ws.retention.set_days(a, {"notes": 60})),
    ("read the audit trail", lambda ws, a, tmp: ws.audit.events(a, AuditFilter())),
    ("export the audit trail", lambda ws, a, tmp: ws.audit.export(a, tmp / "a.csv", AuditFilter())),
    (
        "decide a sync conflict",
        lambda ws, a, tmp: ws.conflicts.resolve(a, Decision("customer", "x", "notes", "keep")),
    ),
]


def audit_count(ws: Workstation, kind: str) -> int:
    with ws.db.read() as session:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == kind)
        return session.scalar(query) or 0


def refusals_of(ws: Workstation, actor: Actor) -> list[tuple[str, str]]:
    with ws.db.read() as session:
        query = select(AuditEvent.subject, AuditEvent.detail).where(
            AuditEvent.kind == "permission.refused", AuditEvent.actor_id == actor.operator_id
        )
        return [(subject, detail) for subject, detail in session.execute(query)]


@pytest.mark.parametrize("action", [name for name, _call in LEAD_ACTIONS])
def test_an_operator_is_refused_every_team_lead_action_and_each_refusal_is_audited(
    ws, jana, tmp_path, action
):
    call = dict(LEAD_ACTIONS)[action]
    files = tmp_path / "files"
    files.mkdir()
    before = stored(ws.db.engine)
    with pytest.raises(PermissionDenied) as refused:
        call(ws, jana, files)
    refusals = refusals_of(ws, jana)
    assert len(refusals) == 1, refusals
    subject, detail = refusals[0]
    assert "." in subject and detail == str(refused.value)
    assert not list(files.iterdir())  # no file was written
    assert stored(ws.db.engine) == before  # every table's rows, and the ops, but the audit's


def test_an_operator_sees_only_their_own_tally_and_pay(ws, jana, petr):
    ws.tally.report(jana, PERIOD)  # their own: fine
    with pytest.raises(PermissionDenied):
        ws.tally.report(jana, PERIOD, petr.operator_id)
    assert [subject for subject, _ in refusals_of(ws, jana)] == ["TallyService.report"]


def test_another_departments_request_can_be_neither_read_nor_moved(ws, petr, lead):
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    draft = RequestDraft(customer_id=customer, category="complaint", summary="Wrong bill")
    request = ws.requests.create(lead, draft)  # routed to complaints; petr is in billing
    with pytest.raises(PermissionDenied):
        ws.requests.get(petr, request.id)
    with pytest.raises(PermissionDenied):
        ws.requests.history(petr, request.id)
    with pytest.raises(PermissionDenied):
        ws.requests.transition(petr, request.id, "resolved")
    subjects = [subject for subject, _detail in refusals_of(ws, petr)]
    assert sorted(subjects) == [
        "RequestService.get",
        "RequestService.history",
        "RequestService.transition",
    ]
