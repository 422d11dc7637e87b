"""Data protection requests on both stores: a team lead's export of everything held about
a customer, and the erasure: personal fields wiped, calls, orders and leads keep their
figures without the personal data, the erased number is refused by later edits, cards and
imports, every step audited; across a floor folder, the erasure reaches every terminal."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import (
    ERASED_NAME,
    AuditEvent,
    Call,
    Consent,
    CustomerOrder,
    ErasedPerson,
    Escalation,
    Lead,
    Objection,
    RequestEvent,
    ServiceRequest,
    SyncConflict,
)
from cc_terminal.models.base import new_id
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.views import CallDraft, CustomerDraft
from cc_terminal.services.privacy.erasure import Erased, phone_hash
from tests.conftest import KNOWN_PHONE
from tests.orders.order_floor import equipment, set_up_orders
from tests.outbound.outbound_floor import SALES, add, close, set_up_campaigns
from tests.sync.kit import Floor, assert_converged, customer_id_of, edit_customer, two_terminals


@pytest.fixture
def held(ws, lead, jana, clock):
    """The known caller with a call, an order and a lead of a sales campaign."""
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    started = clock.now - timedelta(minutes=5)
    ws.calls.record(
        jana,
        CallDraft(
            customer,
            KNOWN_PHONE,
            started,
            started,
            clock.now,
            "billing",
            "request_registered",
            "Lives at Dlouhá 12, wife Eva",
        ),
    )
    set_up_orders(ws, lead)
    ws.orders.submit(jana, equipment(ws, customer))
    set_up_campaigns(ws, lead)
    add(ws, lead, SALES, [(KNOWN_PHONE, "Jan Novák")])
    return customer


def audit_of(ws, kind):
    with ws.db.read() as session:
        query = select(AuditEvent.subject, AuditEvent.detail).where(AuditEvent.kind == kind)
        return session.execute(query).all()


def test_a_lead_exports_everything_held_about_a_customer(ws, lead, held, tmp_path):
    target = tmp_path / "jan-novak.json"
    records = ws.data_requests.export(lead, held, target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert target.stat().st_mode & 0o777 == 0o600
    assert data["customer"][0]["full_name"] == "Jan Novák"
    assert [phone["e164"] for phone in data["phones"]] == [KNOWN_PHONE]
    assert data["calls"][0]["notes"] == "Lives at Dlouhá 12, wife Eva"
    assert len(data["orders"]) == 1 and len(data["leads"]) == 1 and data["order_steps"]
    assert records == sum(len(rows) for rows in data.values())
    assert audit_of(ws, "customer.exported") == [(str(held), f"{records} records")]


def test_erasure_wipes_the_person_and_keeps_the_figures(ws, lead, held):
    done = ws.data_requests.erase(lead, held, "GDPR request 2026/114")
    assert (done.calls, done.orders, done.leads, done.phones) == (1, 1, 1, 1)
    card = ws.customers.card(held)
    assert card.full_name == "(erased)" and not card.phones and card.street == ""
    assert not ws.customers.lookup_phone(KNOWN_PHONE).matches
    assert not [hit for hit in ws.search.search("novak dlouha") if hit.id == held]
    with ws.db.read() as session:
        call = session.scalars(select(Call).where(Call.customer_id == held)).one()
        order = session.scalars(
            select(CustomerOrder).where(CustomerOrder.customer_id == held)
        ).one()
        lead_row = session.scalars(select(Lead).where(Lead.customer_id == held)).one()
    assert (call.notes, call.phone_e164) == ("", "") and call.talk_seconds > 0
    assert order.address_text == "" and order.amount_minor and order.lines != "[]"
    assert lead_row.status == "unworkable" and KNOWN_PHONE not in lead_row.phone_e164
    assert audit_of(ws, "customer.erased") == [(str(held), "GDPR request 2026/114")]


def test_the_erased_person_does_not_come_back(ws, lead, jana, held):
    ws.data_requests.erase(lead, held, "GDPR request 2026/114")
    with pytest.raises(ValidationFailed) as again:
        ws.customers.create(jana, CustomerDraft(full_name="Jan Novák", phones=KNOWN_PHONE))
    assert "erased" in again.value.errors["phones"]
    with pytest.raises(ConflictError):
        ws.customers.update(
            jana, held, CustomerDraft(full_name="Jan Novák", phones="+420 777 000 111"), 2
        )
    report = add(ws, lead, SALES, [(KNOWN_PHONE, "Jan Novák")])
    assert report.added == 0 and "erased" in report.rejected[0].reason
    with pytest.raises(ValidationFailed):
        ws.data_requests.erase(lead, held, "again")


def test_bad_erasure_requests_are_refused_and_audited(ws, lead, held, tmp_path):
    with pytest.raises(ValidationFailed) as no_reason:
        ws.data_requests.erase(lead, held, " ")
    assert "reason" in no_reason.value.errors
    with pytest.raises(NotFound):
        ws.data_requests.erase(lead, lead.operator_id, "GDPR request 7")
    assert audit_of(ws, "customer.erased") == [(str(lead.operator_id), "refused: no such customer")]
    assert ws.customers.card(held).full_name == "Jan Novák"  # nothing half-done


@pytest.fixture
def floor(tmp_path: Path):
    """Two terminals on a floor folder, both holding the seeded customers."""
    floor = Floor(tmp_path)
    two_terminals(floor)
    yield floor
    floor.close()


def test_an_erasure_reaches_every_terminal_of_the_floor(floor: Floor) -> None:
    t1, t2 = floor.terminals
    customer = customer_id_of(t1)
    t1.ws.data_requests.erase(t1.actor("lead"), customer, "GDPR request 2026/115")
    floor.settle()
    assert_converged(floor)
    assert t2.ws.customers.card(customer).full_name == "(erased)"
    assert not t2.ws.customers.lookup_phone(KNOWN_PHONE).matches
    assert not [hit for hit in t2.ws.search.search("novak") if hit.id == customer]
    with pytest.raises(ValidationFailed):
        t2.ws.customers.create(
            t2.actor("jana"), CustomerDraft(full_name="Jan Novák", phones=KNOWN_PHONE)
        )


def test_an_edit_made_apart_does_not_bring_an_erased_customer_back(floor: Floor) -> None:
    t1, t2 = floor.terminals
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, notes="Calls after 5 pm.")
    t1.round()
    t1.ws.data_requests.erase(t1.actor("lead"), customer, "GDPR request 2026/116")
    # t2 has not heard of either yet; its edit comes later by the clock
    edit_customer(t2, "petr", customer, notes="Lives at Dlouha 12.")
    floor.settle()
    assert_converged(floor)
    for terminal in floor.terminals:
        card = terminal.ws.customers.card(customer)
        assert (card.full_name, card.notes) == ("(erased)", "")
        with terminal.ws.db.connect() as connection:
            kept = connection.exec_driver_sql(
                "SELECT value FROM sync_conflict WHERE row_id = ?", (str(customer),)
            ).all()
        assert not [value for (value,) in kept if "Dlouha" in value or "5 pm" in value]


def events_of(ws, kind):
    with ws.db.read() as session:
        query = select(
            AuditEvent.actor_id, AuditEvent.subject, AuditEvent.detail, AuditEvent.at
        ).where(AuditEvent.kind == kind)
        return [tuple(row) for row in session.execute(query)]


def test_the_export_holds_each_kind_of_record_and_is_audited_twice(
    ws, lead, jana, held, clock, tmp_path
):
    close(ws, jana, ws.outbound.next_lead(jana), "NI", refusal_reason="not_now")
    ws.consents.record_consent(lead, KNOWN_PHONE, "paper", clock.now.date())
    ws.consents.record_objection(lead, KNOWN_PHONE, note="No more calls")
    request = ws.requests.create(lead, RequestDraft(held, "complaint", "Invoice too high"))
    ws.requests.transition(lead, request.id, "resolved", "credit note issued")
    started = clock.now - timedelta(minutes=3)
    ws.escalations.raise_(lead, EscalationDraft(new_id(), held, started, "complaint", "Angry"))
    target = tmp_path / "held.json"
    records = ws.data_requests.export(lead, held, target)
    text = target.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == [
        "customer",
        "phones",
        "calls",
        "offers",
        "orders",
        "order_steps",
        "requests",
        "request_steps",
        "escalations",
        "escalation_steps",
        "visits",
        "leads",
        "lead_attempts",
        "survey_answers",
        "consents",
        "objections",
        "chats",
        "chat_lines",
    ]
    kinds = ("consents", "objections", "leads", "requests", "escalations", "lead_attempts")
    assert [len(data[kind]) for kind in kinds] == [1, 1, 1, 1, 1, 1]
    assert [offer["refusal_reason"] for offer in data["offers"]] == ["not_now"]
    assert {step["note"] for step in data["request_steps"]} >= {"credit note issued"}
    assert data["objections"][0]["note"] == "No more calls"
    assert '\n  "customer": [\n' in text and "Jan Novák" in text  # indented, not escaped
    assert target.read_bytes() == text.encode("utf-8")
    assert events_of(ws, "customer.exported") == [
        (lead.operator_id, str(held), f"{records} records", clock.now)
    ]
    assert [event[:3] for event in events_of(ws, "export")] == [
        (lead.operator_id, f"customer {held}", f"held.json: {records} rows")
    ]


def test_an_export_of_no_such_customer_is_refused_and_audited(ws, lead, tmp_path, clock):
    with pytest.raises(NotFound) as refused:
        ws.data_requests.export(lead, lead.operator_id, tmp_path / "nobody.json")
    assert str(refused.value) == "No such customer."
    assert events_of(ws, "customer.exported") == [
        (lead.operator_id, str(lead.operator_id), "refused: no such customer", clock.now)
    ]
    assert not (tmp_path / "nobody.json").exists()


def test_erasure_wipes_requests_escalations_and_consents_but_keeps_the_objection(
    ws, lead, held, clock
):
    ws.consents.record_consent(lead, KNOWN_PHONE, "paper", clock.now.date())
    ws.consents.record_objection(lead, KNOWN_PHONE, note="No more calls")
    request = ws.requests.create(lead, RequestDraft(held, "complaint", "Invoice too high"))
    ws.requests.transition(lead, request.id, "resolved", "credit note issued")
    started = clock.now - timedelta(minutes=3)
    ws.escalations.raise_(lead, EscalationDraft(new_id(), held, started, "complaint", "Angry"))
    done = ws.data_requests.erase(lead, held, "GDPR request 2026/117")
    assert done == Erased(calls=1, orders=1, requests=1, leads=1, phones=1)
    with ws.db.read() as session:
        summaries = session.scalars(select(ServiceRequest.summary)).all()
        steps = session.scalars(select(RequestEvent.note)).all()
        escalations = session.scalars(select(Escalation.notes)).all()
        consents = session.scalars(select(Consent.phone_e164)).all()
        objections = session.scalars(select(Objection.phone_e164)).all()
        erased = session.scalars(select(ErasedPerson.phone_hash)).all()
    assert summaries == [ERASED_NAME] and set(steps) == {""} and escalations == [""]
    assert consents == [] and objections == [KNOWN_PHONE]
    assert erased == [phone_hash(KNOWN_PHONE)]


def kept_by_sync(ws, customer) -> list[tuple[str, str]]:
    """Losing values sync kept: the customer's, another's, a call's under the same id."""
    other = str(new_id())
    with ws.db.write(None) as session:
        keys = (("customer", str(customer)), ("customer", other), ("call", str(customer)))
        for entity, row_id in keys:
            session.add(
                SyncConflict(
                    entity=entity,
                    row_id=row_id,
                    field="notes",
                    loser_op_id=new_id(),
                    value="Lives at Dlouhá 12",
                    hlc=1,
                    terminal="t2",
                )
            )
    return [("call", str(customer)), ("customer", other)]


def test_erasure_wipes_what_each_record_said_and_keeps_what_it_counts(ws, lead, jana, held, clock):
    from cc_terminal.models import (
        Customer,
        LeadAttempt,
        Offer,
        OrderEvent,
        OrderStatus,
        SurveyAnswer,
        VisitBooking,
    )
    from tests.outbound.outbound_floor import SURVEY

    sales = ws.outbound.next_lead(jana)
    close(ws, jana, sales, "NI", refusal_reason="not_now", refusal_note="wife decides")
    add(ws, lead, SURVEY, [(KNOWN_PHONE, "Jan Novák")], "cold", assign_to=("jana",))
    survey = ws.outbound.next_lead(jana)
    close(ws, jana, survey, "SALE", answers={"provider": "habit", "score": "4"}, notes="Happy")
    with ws.db.read() as session:
        order = session.scalars(select(CustomerOrder)).one()
    ws.orders.move(jana, order.id, OrderStatus.IN_PROGRESS, "Ring twice, Dlouhá 12")
    with ws.db.engine.begin() as connection:
        connection.execute(
            CustomerOrder.__table__.update().values(address_override="A new building")  # type: ignore[attr-defined]
        )
    remaining = kept_by_sync(ws, held)
    version = ws.customers.card(held).version
    clock.advance(60)
    ws.data_requests.erase(lead, held, "GDPR")
    with ws.db.read() as session:
        customer = session.get(Customer, held)
        order = session.scalars(select(CustomerOrder)).one()
        wiped = {
            "order": (order.address_override, order.values, order.read_back, order.checklist),
            "steps": set(session.scalars(select(OrderEvent.note))),
            "visits": set(session.scalars(select(VisitBooking.note))),
            "offers": set(session.scalars(select(Offer.refusal_note))),
            "attempts": set(session.scalars(select(LeadAttempt.note))),
            "answers": set(session.scalars(select(SurveyAnswer.value))),
        }
        leads = session.scalars(select(Lead)).all()
        conflicts = session.execute(select(SyncConflict.entity, SyncConflict.row_id)).all()
        answered = session.scalars(select(SurveyAnswer.question_code)).all()
    erased = (customer.do_not_call, customer.version, customer.erased_at)
    assert erased == (True, version + 1, clock())
    assert wiped == {
        "order": ("", "{}", "", ""),
        "steps": {""},
        "visits": {""},
        "offers": {""},
        "attempts": {""},
        "answers": {""},
    }
    assert sorted(answered) == ["provider", "score"]  # what was asked stays, not the answer
    assert {(row.phone_e164, row.extra) for row in leads} == {
        ("#" + row.id.hex[-15:], "{}") for row in leads
    }
    assert sorted(tuple(row) for row in conflicts) == remaining
    assert events_of(ws, "customer.erased") == [(lead.operator_id, str(held), "GDPR", clock())]


def test_each_wrong_erasure_request_says_why(ws, lead, jana, held):
    with pytest.raises(PermissionDenied) as refused:
        ws.data_requests.erase(jana, held, "GDPR request 1")
    assert str(refused.value) == "Only a team lead answers data protection requests."
    for reason, errors in (
        ("abc ", {"reason": "Say why (the request's reference, say)."}),
        ("x" * 501, {"reason": "Too long: 501 characters, at most 500."}),
        ("a\x1bb c", {"reason": "A control character (U+001B) cannot be stored; remove it."}),
    ):
        with pytest.raises(ValidationFailed) as refused:
            ws.data_requests.erase(lead, held, reason)
        assert refused.value.errors == errors
    ws.data_requests.erase(lead, held, " GDPR ")  # four characters are reason enough
    with pytest.raises(ValidationFailed) as refused:
        ws.data_requests.erase(lead, held, "GDPR again")
    assert refused.value.errors == {"customer": "This customer is erased already."}
    assert audit_of(ws, "customer.erased") == [(str(held), "GDPR")]


def test_a_refused_erasure_of_no_such_customer_is_the_leads_event(ws, lead, clock):
    missing = new_id()
    with pytest.raises(NotFound):
        ws.data_requests.erase(lead, missing, "GDPR request 7")
    assert events_of(ws, "customer.erased") == [
        (lead.operator_id, str(missing), "refused: no such customer", clock())
    ]


def test_the_export_holds_visits_and_survey_answers_in_utf8_whatever_the_locale(
    ws, lead, jana, held, tmp_path, ascii_locale
):
    from cc_terminal.models import OutboxOp
    from tests.outbound.outbound_floor import SURVEY

    close(ws, jana, ws.outbound.next_lead(jana), "NI", refusal_reason="not_now")  # the sales lead
    add(ws, lead, SURVEY, [(KNOWN_PHONE, "Jan Novák")], "cold", assign_to=("jana",))
    survey = ws.outbound.next_lead(jana)
    close(ws, jana, survey, "SALE", answers={"provider": "habit", "score": "4"})
    target = tmp_path / "held.json"
    ws.data_requests.export(lead, held, target)
    data = json.loads(target.read_bytes().decode("utf-8"))
    assert [visit["note"] for visit in data["visits"]] == [data["orders"][0]["number"]]
    assert sorted(a["value"] for a in data["survey_answers"]) == ["4", "habit"]
    assert data["customer"][0]["full_name"] == "Jan Novák"
    with ws.db.read() as session:
        op = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "audit_event").order_by(OutboxOp.seq.desc())  # type: ignore[attr-defined]
        ).first()
    assert op is not None and op.actor_id == lead.operator_id  # the lead's own event
