"""A dialled lead's attempt closed by the phone's SIP result, nobody having talked, on
SQLite and PostgreSQL; the talk time of an answered one from the phone; the dial URI and
the campaign's progressive settings."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import Call, LeadAttempt
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.outbound.calling_rules import LegalBasis
from cc_terminal.services.outbound.campaigns import CampaignDraft, DispositionView
from cc_terminal.services.outbound.dialling import (
    DialOutcome,
    dial_uri,
    disposition_for,
    gateway_problem,
    outcome_of,
    phone_closing,
    why_not_dialled,
)
from cc_terminal.services.outbound.views import Closing
from tests.outbound.outbound_floor import SALES, add, close


def closing_of(card, **fields) -> Closing:
    return Closing(card.lead_id, card.call_id, card.opened_at, "", by_phone=True, **fields)


def attempt_and_call(ws, card):
    with ws.db.read() as session:
        attempt = session.scalars(
            select(LeadAttempt).where(LeadAttempt.lead_id == card.lead_id)
        ).one()
        call = session.get(Call, card.call_id)
        return attempt, call


@pytest.mark.parametrize(
    ("code", "cancelled", "outcome"),
    [
        (486, False, DialOutcome.BUSY),
        (600, False, DialOutcome.BUSY),
        (408, False, DialOutcome.NO_ANSWER),
        (480, False, DialOutcome.NO_ANSWER),
        (None, True, DialOutcome.NO_ANSWER),  # our ring timeout: we hung up (487)
        (487, False, DialOutcome.NO_ANSWER),
        (404, False, DialOutcome.INVALID),
        (484, False, DialOutcome.INVALID),
        (604, False, DialOutcome.INVALID),
        (603, False, DialOutcome.REFUSED),
        (503, False, None),  # the operator judges
        (None, False, None),
    ],
)
def test_sip_codes_map_to_outcomes(code, cancelled, outcome):
    assert outcome_of(code, cancelled) == outcome


def test_the_dial_uri_and_the_gateway_check():
    assert dial_uri("+420601123456", "pbx.example.cz") == "sip:+420601123456@pbx.example.cz"
    assert dial_uri("+420601123456", " 127.0.0.1:5070 ") == "sip:+420601123456@127.0.0.1:5070"
    assert dial_uri("+420601123456", "") == "+420601123456"  # baresip's account completes it
    assert gateway_problem("127.0.0.1:5070") == ""
    assert gateway_problem("sip:x@pbx") and gateway_problem("a b") and gateway_problem("x\n")


def test_a_renamed_campaigns_dispositions_are_found_by_their_flags():
    items = [
        DispositionView(code="WRONG", label="Wrong", key="1", unworkable=True, final=True),
        DispositionView(code="NO", label="No", key="2", refusal=True, contact=True, final=True),
    ]
    assert disposition_for(items, DialOutcome.INVALID).code == "WRONG"
    assert disposition_for(items, DialOutcome.REFUSED).code == "NO"
    assert disposition_for(items, DialOutcome.BUSY) is None


def test_busy_closes_the_attempt_and_the_lead_is_tried_again(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777200001", "Busy Person")], "hot")
    card = floor.outbound.next_lead(jana)
    clock.advance(4)
    closed = floor.outbound.close_unanswered(jana, closing_of(card), 486, cancelled=False)
    assert closed is not None and closed.status == "open"
    assert closed.next_attempt_at == clock() + timedelta(minutes=120)
    attempt, call = attempt_and_call(floor, card)
    assert attempt.disposition == "B" and "(SIP 486)" in attempt.note
    assert call.outcome == "B" and call.answered_at is None and call.talk_seconds == 0


def test_our_ring_timeout_is_no_answer(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200002", "Nobody Home")], "hot")
    card = floor.outbound.next_lead(jana)
    closed = floor.outbound.close_unanswered(jana, closing_of(card), None, cancelled=True)
    assert closed is not None and closed.status == "open"
    assert attempt_and_call(floor, card)[0].disposition == "N"


def test_an_invalid_number_ends_the_lead_as_a_wrong_number(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200003", "Gone Number")], "hot")
    card = floor.outbound.next_lead(jana)
    closed = floor.outbound.close_unanswered(jana, closing_of(card), 404, cancelled=False)
    assert closed is not None and closed.status == "unworkable"
    assert attempt_and_call(floor, card)[0].disposition == "DC"
    assert floor.outbound.next_lead(jana) is None


def test_a_declined_call_is_a_refusal_with_its_reason(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200004", "Declines")], "hot")
    card = floor.outbound.next_lead(jana)
    closed = floor.outbound.close_unanswered(jana, closing_of(card), 603, cancelled=False)
    assert closed is not None and closed.status == "done"
    attempt = attempt_and_call(floor, card)[0]
    assert attempt.disposition == "NI" and attempt.refusal_reason == "other"


def test_an_unknown_result_is_left_to_the_operator(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200005", "Odd Network")], "hot")
    card = floor.outbound.next_lead(jana)
    assert floor.outbound.close_unanswered(jana, closing_of(card), 503, cancelled=False) is None
    close(floor, jana, card, "N")  # still open for the operator's own closing


def test_a_campaign_without_the_disposition_says_so(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200006", "Busy Again")], "hot")
    retired = DispositionView(code="B", label="Busy", key="5", active=False)
    floor.campaigns.save_disposition(lead, SALES, retired)
    card = floor.outbound.next_lead(jana)
    with pytest.raises(ValidationFailed) as failed:
        floor.outbound.close_unanswered(jana, closing_of(card), 486, cancelled=False)
    assert "Ctrl+E" in failed.value.errors["disposition"]


def test_an_answered_call_takes_its_talk_time_from_the_phone(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777200007", "Talks")], "hot")
    card = floor.outbound.next_lead(jana)
    answered = clock() + timedelta(seconds=6)
    hung_up = answered + timedelta(seconds=95)
    clock.advance(140)  # the wrap-up after the hang-up is not talk time
    fields = {"answered_at": answered, "hung_up_at": hung_up}
    close(floor, jana, card, "CALLBK", callback="+2h", by_phone=True, **fields)
    call = attempt_and_call(floor, card)[1]
    assert call.talk_seconds == 95 and call.answered_at == answered


def test_progressive_mode_is_a_campaign_setting(floor, lead):
    draft = CampaignDraft("progr", "Progressive", "survey", progressive=True, countdown_seconds=7)
    saved = floor.campaigns.create(lead, draft)
    assert saved.progressive and saved.countdown_seconds == 7 and saved.ring_seconds == 30
    with pytest.raises(ValidationFailed) as failed:
        floor.campaigns.create(lead, CampaignDraft("bad", "Bad", "survey", ring_seconds=1))
    assert "ring_seconds" in failed.value.errors


BUSY = DispositionView(code="B", label="Busy", key="5")
DECLINED = DispositionView(code="NI", label="Not interested", key="6", refusal=True, final=True)


def test_a_lead_may_be_dialled_only_when_held_and_allowed(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200008", "Held Lead")], "hot")
    card = floor.outbound.next_lead(jana)
    assert why_not_dialled(card) == ""
    assert why_not_dialled(replace(card, status="open")) == (
        "The lead is not held for you to call (closed, or not due)."
    )
    outside = LegalBasis(False, "Outside the calling hours.")
    assert why_not_dialled(replace(card, legal=outside)) == "Outside the calling hours."


def test_the_gateway_check_says_which_mistake():
    assert gateway_problem("p" * 200) == ""
    assert gateway_problem("p" * 201) == "A host or host:port, no spaces."
    assert gateway_problem("pbx host") == "A host or host:port, no spaces."
    not_a_uri = "Only the host (pbx.example.cz or 127.0.0.1:5070), not a URI."
    assert gateway_problem("op@pbx") == not_a_uri
    assert gateway_problem("SIP:pbx") == not_a_uri
    assert gateway_problem("sip:pbx") == not_a_uri


def test_no_disposition_for_an_unworkable_or_refused_number_is_none():
    assert disposition_for([BUSY], DialOutcome.INVALID) is None
    assert disposition_for([BUSY], DialOutcome.REFUSED) is None


def test_the_phones_result_is_written_under_the_operators_notes(floor, lead, jana):
    add(floor, lead, SALES, [("+420777200009", "Noted Lead")], "hot")
    card = floor.outbound.next_lead(jana)
    typed = closing_of(card, notes="  Asked for Tuesday  ", callback="+2h")
    busy = phone_closing(typed, DialOutcome.BUSY, 486, [BUSY])
    assert (busy.disposition, busy.callback) == ("B", "")
    assert busy.notes == "Asked for Tuesday\nThe phone said: busy (SIP 486)"
    declined = phone_closing(closing_of(card), DialOutcome.REFUSED, None, [DECLINED])
    assert declined.notes == declined.refusal_note == "The phone said: refused the call"
    assert declined.refusal_reason == "other"
    with pytest.raises(ValidationFailed) as failed:
        phone_closing(typed, DialOutcome.INVALID, 404, [BUSY])
    assert failed.value.errors == {
        "disposition": "The campaign has no disposition for 'invalid number': close it with Ctrl+E."
    }
