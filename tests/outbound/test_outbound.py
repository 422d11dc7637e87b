"""Outbound rules on SQLite and PostgreSQL: who is called next, the legal basis, closing a
lead with a disposition, refusal reasons and callbacks, objections and consents."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import Call, Lead, LeadAttempt, Offer, OutboxOp, SurveyAnswer
from cc_terminal.services.common.errors import ConflictError, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.outbound.views import LeadFilter
from tests.conftest import KNOWN_PHONE
from tests.outbound.outbound_floor import SALES, SURVEY, add, close


def test_hot_leads_come_before_warm_and_cold_then_fewest_attempts(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777100001", "Cold Consented")], "cold", consent=True)
    add(floor, lead, SALES, [("+420777100002", "Warm Web")], "warm")
    add(floor, lead, SALES, [("+420777100003", "Hot Customer")], "hot")
    order = []
    for _ in range(3):
        card = floor.outbound.next_lead(jana)
        order.append(card.customer.full_name)
        close(floor, jana, card, "N")  # no answer: tried again in two hours
    assert order == ["Hot Customer", "Warm Web", "Cold Consented"]
    assert floor.outbound.next_lead(jana) is None  # all wait for their retry gap
    clock.advance(2 * 3600)
    assert floor.outbound.next_lead(jana).customer.full_name == "Hot Customer"


def test_a_cold_sales_lead_without_consent_is_skipped_and_says_why(floor, lead, jana):
    report = add(floor, lead, SALES, [("+420777100011", "Cold Blocked")], "cold")
    assert report.added == 1
    assert floor.outbound.next_lead(jana) is None
    lead_id = floor_lead_id(floor, "+420777100011")
    card = floor.outbound.open_lead(jana, lead_id)
    assert not card.legal.allowed and "consent" in card.legal.reason
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "SALE")
    assert "consent" in failed.value.errors["lead"]
    floor.consents.record_consent(jana, "777 100 011", "earlier_call", date(2026, 11, 27))
    card = floor.outbound.next_lead(jana)
    assert card.customer.full_name == "Cold Blocked" and card.legal.allowed
    assert "consent" in card.legal.reason.lower()


def floor_lead_id(ws, phone):
    with ws.db.read() as session:
        return session.scalars(select(Lead.id).where(Lead.phone_e164 == phone)).one()


def test_surveys_and_existing_customers_need_no_consent(floor, lead, jana):
    add(floor, lead, SURVEY, [("+420777100021", "Survey Person")], "cold")
    card = floor.outbound.next_lead(jana)
    assert card.legal.allowed and card.campaign.code == SURVEY
    assert card.script == "Dobrý den, Survey."


def test_outside_the_calling_window_nobody_is_called(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777100031", "Evening Person")], "hot")
    clock.now = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)  # 20:30 in Prague
    floor.outbound.zones.invalidate()
    assert floor.outbound.next_lead(jana) is None
    clock.now = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)  # a Sunday
    assert floor.outbound.next_lead(jana) is None
    clock.now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # Saturday 11:00
    assert floor.outbound.next_lead(jana).customer.full_name == "Evening Person"


def test_refusal_needs_its_reason_and_leaves_a_refused_offer(floor, lead, jana):
    add(floor, lead, SALES, [("+420777100041", "Refuser")], "hot")
    card = floor.outbound.next_lead(jana)
    assert "Mobil M" in card.script and "599" in card.script
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "NI")
    assert "refusal_reason" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "NI", refusal_reason="other")
    assert "refusal_note" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "MAYBE")
    assert "Unknown disposition" in failed.value.errors["disposition"]
    closed = close(floor, jana, card, "NI", refusal_reason="too_expensive", notes="Has O2")
    assert closed.status == "done"
    with floor.db.read() as session:
        offer = session.scalars(select(Offer).where(Offer.call_id == card.call_id)).one()
        call = session.get(Call, card.call_id)
        attempt = session.scalars(select(LeadAttempt)).one()
    assert (offer.accepted, offer.refusal_reason, offer.price_minor) == (
        False,
        "too_expensive",
        59900,
    )
    assert (call.direction, call.reason, call.outcome) == ("out", SALES, "NI")
    assert attempt.refusal_reason == "too_expensive"
    timeline = floor.customers.card(card.customer.id).timeline
    assert {entry.kind.value for entry in timeline} == {"outbound", "offer"}


def test_callbacks_as_typed_and_never_on_a_sunday(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777100051", "Call Me Later")], "hot")
    card = floor.outbound.next_lead(jana)
    for typed, message in [
        ("", "When should"),
        ("včera 9", "Not a time"),
        ("1.1.2026 10:00", "passed"),
        ("25.11. 10:00", "That time has passed."),  # two days ago: not next year in silence
    ]:
        with pytest.raises(ValidationFailed) as failed:
            close(floor, jana, card, "CALLBK", callback=typed)
        assert message in failed.value.errors["callback"], typed
    closed = close(floor, jana, card, "CALLBK", callback="po 9")
    assert closed.callback_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    clock.now = closed.callback_at + timedelta(minutes=1)
    assert floor.outbound.callbacks_due(jana) == 1
    assert floor.outbound.my_leads(jana)[0].status == "callback"
    again = floor.outbound.next_lead(jana)
    assert again.customer.full_name == "Call Me Later" and "callback" in again.why_next
    sunday = close(floor, jana, again, "CALLBK", callback="ne 10:00")
    assert sunday.callback_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 9:00


def test_a_personal_callback_passes_to_anyone_after_the_release_time(
    floor, lead, jana, petr, clock
):
    add(floor, lead, SALES, [("+420777100061", "Shared Callback")], "hot")
    card = floor.outbound.next_lead(jana)
    close(floor, jana, card, "CALLBK", callback="+1h")
    clock.advance(3600 + 60)
    assert floor.outbound.next_lead(petr) is None  # still Jana's
    assert floor.outbound.callbacks_due(petr) == 0
    clock.advance(60 * 60)  # the campaign's release time passed
    assert floor.outbound.next_lead(petr).customer.full_name == "Shared Callback"


def test_do_not_call_stops_every_campaign_and_later_imports(floor, lead, jana):
    add(floor, lead, SALES, [("+420777100071", "No More")], "hot")
    add(floor, lead, SURVEY, [("+420777100071", "No More")], "cold")
    card = floor.outbound.next_lead(jana)
    close(floor, jana, card, "DNC")
    assert floor.outbound.next_lead(jana) is None  # the survey lead is closed too
    report = add(floor, lead, SALES, [("+420777100071", "No More")], "hot", priority=1)
    assert report.added == 0 and "objected" in report.rejected[0].reason
    assert floor.customers.card(card.customer.id).do_not_call


def test_an_objection_heard_on_an_incoming_call_takes_effect_at_once(floor, lead, jana):
    add(floor, lead, SALES, [("+420777100081", "Heard Incoming")], "hot")
    floor.consents.record_objection(jana, "777 100 081")
    assert floor.outbound.next_lead(jana) is None
    assert floor.consents.standing("+420777100081").objected_at is not None


def test_a_customer_flagged_do_not_call_on_the_card_is_never_called(floor, lead, jana):
    add(floor, lead, SALES, [("+420777100085", "Flagged On Card")], "hot", assign_to=("jana",))
    lead_id = floor_lead_id(floor, "+420777100085")
    card = floor.outbound.open_lead(jana, lead_id)
    floor.outbound.release(jana, lead_id)
    flagged = CustomerDraft.from_card(card.customer, do_not_call=True)
    floor.customers.update(jana, card.customer.id, flagged, card.customer.version)
    assert floor.outbound.next_lead(jana) is None
    blocked = floor.outbound.open_lead(jana, lead_id)
    assert not blocked.legal.allowed and "Objected" in blocked.legal.reason
    report = add(floor, lead, SURVEY, [("+420777100085", "Flagged On Card")], "cold")
    assert report.added == 0 and "objected" in report.rejected[0].reason


def test_no_answer_is_retried_until_the_attempts_run_out(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777100091", "Never Home")], "hot")
    statuses = []
    for _ in range(3):
        card = floor.outbound.next_lead(jana)
        statuses.append(close(floor, jana, card, "N").status)
        clock.advance(2 * 3600 + 1)
    assert statuses == ["open", "open", "exhausted"]
    assert floor.outbound.next_lead(jana) is None


def test_a_lead_assigned_to_someone_else_is_not_theirs_to_work(floor, lead, jana, petr):
    add(floor, lead, SALES, [("+420777100101", "Petr's Lead")], "hot", assign_to=("petr",))
    assert floor.outbound.next_lead(jana) is None
    with pytest.raises(PermissionDenied):
        floor.outbound.open_lead(jana, floor_lead_id(floor, "+420777100101"))
    card = floor.outbound.next_lead(petr)
    assert card.customer.full_name == "Petr's Lead"
    assert [row.customer_name for row in floor.outbound.my_leads(petr)] == ["Petr's Lead"]


def test_a_pool_lead_is_claimed_once(floor, lead, jana, petr):
    add(floor, lead, SALES, [("+420777100111", "Only One")], "hot")
    first = floor.outbound.next_lead(jana)
    assert floor.outbound.next_lead(petr) is None
    with pytest.raises(ConflictError, match="calling them now"):
        floor.outbound.open_lead(petr, first.lead_id)
    floor.outbound.release(jana, first.lead_id)
    assert floor.outbound.next_lead(petr).lead_id == first.lead_id


def test_a_completed_survey_needs_its_answers_and_follows_the_branching(floor, lead, jana):
    add(floor, lead, SURVEY, [("+420777100121", "Respondent")], "cold")
    card = floor.outbound.next_lead(jana)
    assert [q.code for q in card.questions] == ["provider", "tariff", "score"]
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "SALE", answers={"provider": "price"})
    assert set(failed.value.errors) == {"answer:tariff", "answer:score"}
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "SALE", answers={"provider": "habit", "score": "9"})
    assert "One of" in failed.value.errors["answer:score"]
    close(floor, jana, card, "SALE", answers={"provider": "habit", "tariff": "x", "score": "4"})
    with floor.db.read() as session:
        stored = {a.question_code: a.value for a in session.scalars(select(SurveyAnswer))}
    assert stored == {"provider": "habit", "score": "4"}  # habit skips the tariff question
    assert floor.surveys.counts(SURVEY, "provider") == {"habit": 1}
    report = {question.code: counts for question, counts in floor.surveys.report(SURVEY)}
    assert report == {
        "provider": {"habit": 1, "price": 0, "coverage": 0},  # every choice, most given first
        "tariff": {},  # skipped: free text has no options to count
        "score": {"4": 1, "1": 0, "2": 0, "3": 0, "5": 0},
    }


def test_the_list_filters_by_campaign_temperature_and_status(floor, lead, jana):
    add(floor, lead, SALES, [("+420777100131", "Hot One")], "hot", assign_to=("jana",))
    add(floor, lead, SURVEY, [("+420777100132", "Cold One")], "cold", assign_to=("jana",))
    everyone = floor.outbound.my_leads(jana)
    assert {row.customer_name for row in everyone} == {"Hot One", "Cold One"}
    only = floor.outbound.my_leads(jana, LeadFilter(campaign=SURVEY))
    assert [row.customer_name for row in only] == ["Cold One"]
    assert [
        r.customer_name for r in floor.outbound.my_leads(jana, LeadFilter(temperature="hot"))
    ] == ["Hot One"]
    assert floor.outbound.my_leads(jana, LeadFilter(status="done")) == ()


def test_a_known_number_keeps_its_customer_and_a_different_name_is_reported(floor, lead):
    report = add(floor, lead, SALES, [(KNOWN_PHONE, "Jan Novak"), ("+420777100141", "X")], "hot")
    assert report.added == 2 and report.new_customers == 1 and report.name_differs == []
    report = add(floor, lead, SURVEY, [(KNOWN_PHONE, "Petr Jiný")], "hot")
    assert report.added == 1 and "Jan Novák" in report.name_differs[0].reason
    assert floor.customers.lookup_phone(KNOWN_PHONE).matches[0].full_name == "Jan Novák"
    again = add(floor, lead, SALES, [(KNOWN_PHONE, "Jan Novák")], "hot")
    assert (again.added, again.already_in_campaign) == (0, 1)


def test_only_a_team_lead_sets_up_campaigns_and_adds_leads(floor, jana):
    from cc_terminal.services.outbound.campaigns import CampaignDraft

    with pytest.raises(PermissionDenied):
        floor.campaigns.create(jana, CampaignDraft("x", "X", "survey"))
    with pytest.raises(PermissionDenied):
        add(floor, jana, SURVEY, [("+420777100151", "Nope")])


def test_campaign_forms_say_what_is_wrong(floor, lead):
    from cc_terminal.services.outbound.campaigns import CampaignDraft

    with pytest.raises(ValidationFailed) as failed:
        floor.campaigns.create(
            lead,
            CampaignDraft(
                "Bad Code!", "", "spam", "Hi {nmae}", "NOPE", "20:00-09:00", "", max_attempts=0
            ),
        )
    errors = failed.value.errors
    assert set(errors) >= {"code", "name", "kind", "weekday_window", "max_attempts", "script"}
    assert "{nmae}" in errors["script"] and "product_code" in errors


def test_a_lead_is_made_warmer_by_its_operator_and_the_pick_follows(floor, lead, jana, petr):
    add(floor, lead, SALES, [("+420777100401", "Cold Consented")], "cold", consent=True)
    add(floor, lead, SALES, [("+420777100402", "Warm Web")], "warm", assign_to=("jana",))
    add(floor, lead, SALES, [("+420777100403", "Petr's Lead")], "hot", assign_to=("petr",))
    cold = floor_lead_id(floor, "+420777100401")
    warm = floor_lead_id(floor, "+420777100402")
    with pytest.raises(PermissionDenied):
        floor.outbound.set_temperature(jana, cold, "hot")  # a pool lead: the team lead's
    with pytest.raises(PermissionDenied):
        floor.outbound.set_temperature(jana, floor_lead_id(floor, "+420777100403"), "cold")
    with pytest.raises(ValidationFailed):
        floor.outbound.set_temperature(jana, warm, "boiling")
    assert floor.outbound.set_temperature(jana, warm, "cold") == "Warm Web"
    assert floor.outbound.set_temperature(lead, cold, "hot") == "Cold Consented"
    with floor.db.read() as session:
        changed = {
            row.phone_e164: (row.temperature, row.heat)
            for row in session.scalars(select(Lead).where(Lead.id.in_([cold, warm])))
        }
        ops = session.scalars(
            select(OutboxOp).where(OutboxOp.entity == "lead", OutboxOp.kind == "update")
        ).all()
    assert changed == {"+420777100401": ("hot", 2), "+420777100402": ("cold", 0)}
    assert {json.loads(op.changes)["temperature"] for op in ops} == {"hot", "cold"}
    # Made cold, jana's own sales lead has no consent, so no legal basis: the pick skips
    # it and takes the pool's lead that the team lead made hot.
    card = floor.outbound.next_lead(jana)
    assert card.customer.full_name == "Cold Consented" and card.temperature == "hot"
    close(floor, jana, card, "NI", refusal_reason="not_now")
    with pytest.raises(ConflictError):
        floor.outbound.set_temperature(lead, cold, "warm")  # closed
    petrs = floor_lead_id(floor, "+420777100403")
    assert floor.outbound.warmer(petr, petrs) == ("Petr's Lead", "cold")  # hot goes round
    assert floor.outbound.warmer(petr, petrs) == ("Petr's Lead", "warm")
