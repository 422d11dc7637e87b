"""One ledger per customer: everything about them, newest first."""

from datetime import UTC, datetime
from uuid import UUID

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.calls.offers import OfferDraft
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.views import (
    CallDraft,
    EntryKind,
    LedgerEntry,
    Timeline,
    of_kind,
)
from tests.conftest import KNOWN_PHONE


def test_the_card_carries_calls_offers_requests_steps_and_escalations_newest_first(
    ws, lead, jana, clock
):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.catalog.add(
        lead, [ProductItem("MOB-M", "Mobil M", "tariff", 59900, "CZK", clock.now.date())]
    )
    started = clock.now
    clock.advance(120)
    ws.calls.record(
        jana,
        CallDraft(
            customer_id,
            KNOWN_PHONE,
            started,
            started,
            clock.now,
            "billing",
            "advised",
            "Asked about VAT",
        ),
    )
    clock.advance(60)
    ws.offers.record(jana, OfferDraft(customer_id, "MOB-M", False, refusal_reason="too_expensive"))
    clock.advance(60)
    request = ws.requests.create(jana, RequestDraft(customer_id, "billing", "Check invoice 42"))
    clock.advance(60)
    ws.requests.transition(lead, request.id, "resolved", "credited")
    clock.advance(60)
    ws.escalations.raise_(
        jana, EscalationDraft(new_id(), customer_id, started, "complaint", "Wants a manager")
    )
    card = ws.customers.card(customer_id)
    assert [(e.kind, e.code, e.result) for e in card.timeline] == [
        ("escalation", "complaint", "open"),
        ("step", "billing", "resolved"),
        ("request", "billing", "resolved"),
        ("offer", "Mobil M", "too_expensive"),
        ("call", "billing", "advised"),
    ]
    assert card.timeline[3].amount_minor == 59900
    # billing's 2,880 minutes in working hours from Friday 9:34 in Prague: Friday at 15:04
    assert card.timeline[2].due_at == datetime(2026, 12, 4, 14, 4, tzinfo=UTC)
    assert card.last_contact == started
    assert ws.customers.lookup_phone(KNOWN_PHONE).matches[0].timeline == card.timeline


def test_the_ledger_converts_each_entry_when_it_is_read_as_it_was_stored(ws, jana, clock):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    request = ws.requests.create(jana, RequestDraft(customer_id, "billing", "Check invoice 42"))
    clock.advance(60)
    started = clock.now
    clock.advance(30)
    call = CallDraft(customer_id, KNOWN_PHONE, started, started, clock.now, "billing", "advised")
    ws.calls.record(jana, call)
    timeline = ws.customers.card(customer_id).timeline
    assert isinstance(timeline, Timeline)
    assert list(timeline.kinds) == [EntryKind.CALL, EntryKind.REQUEST]
    newest, oldest = timeline
    assert newest.at == started and newest.at.tzinfo is UTC and newest.seconds == 30
    assert isinstance(oldest.record_id, UUID) and oldest.record_id == request.id
    assert [entry.code for entry in of_kind(timeline, EntryKind.REQUEST)] == ["billing"]


def test_a_timeline_makes_only_the_entries_read_and_each_once() -> None:
    made: list[int] = []
    at = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)

    def make(index: int) -> LedgerEntry:
        made.append(index)
        return LedgerEntry(at, EntryKind.CALL, f"reason {index}", "advised", "", "Jana", new_id())

    timeline = Timeline([EntryKind.CALL, EntryKind.OFFER, EntryKind.CALL], make)
    assert timeline[-1].code == "reason 2" and timeline[2] is timeline[-1]
    assert [entry.code for entry in of_kind(timeline, EntryKind.CALL)] == ["reason 0", "reason 2"]
    assert made == [2, 0]
    assert timeline == tuple(timeline) and len(timeline[0:2]) == 2 and made == [2, 0, 1]
