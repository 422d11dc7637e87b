"""One ledger per customer: everything about them, newest first."""

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from cc_terminal.models import OrderKind, OrderStatus
from cc_terminal.models.base import new_id
from cc_terminal.services.calls import ledger
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
from cc_terminal.services.orders.values import OrderDraft
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.helpers import rows
from tests.orders.order_floor import at, equipment, set_up_orders
from tests.outbound.outbound_floor import SALES, add, close, set_up_campaigns


def test_the_card_carries_calls_offers_requests_steps_and_escalations_newest_first(
    ws, lead, jana, clock
):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.catalog.add(
        lead, [ProductItem("MOB-M", "Mobil M", "tariff", 59900, "CZK", clock.now.date())]
    )
    started = clock.now
    clock.advance(120)
    call = ws.calls.record(
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
    offer = ws.offers.record(
        jana,
        OfferDraft(
            customer_id, "MOB-M", False, refusal_reason="other", refusal_note="Has a cheaper one"
        ),
    )
    clock.advance(60)
    request = ws.requests.create(jana, RequestDraft(customer_id, "billing", "Check invoice 42"))
    clock.advance(60)
    ws.requests.transition(lead, request.id, "resolved", "credited")
    clock.advance(60)
    escalation = ws.escalations.raise_(
        jana, EscalationDraft(new_id(), customer_id, started, "complaint", "Wants a manager")
    )
    card = ws.customers.card(customer_id)
    assert [(e.kind, e.code, e.result) for e in card.timeline] == [
        ("escalation", "complaint", "open"),
        ("step", "billing", "resolved"),
        ("request", "billing", "resolved"),
        ("offer", "Mobil M", "other"),
        ("call", "billing", "advised"),
    ]
    assert [(e.detail, e.operator_name, e.record_id) for e in card.timeline] == [
        ("Wants a manager", "Jana Svobodová", escalation.id),
        ("credited", "Lída Vedoucí", request.id),
        ("Check invoice 42", "Jana Svobodová", request.id),
        ("Has a cheaper one", "Jana Svobodová", offer.id),
        ("Asked about VAT", "Jana Svobodová", call.id),
    ]
    minutes = [timedelta(minutes=n) for n in range(4)]
    assert [e.at for e in card.timeline] == [clock.now - m for m in minutes] + [started]
    assert [e.seconds for e in card.timeline] == [360, 0, 0, 0, 120]
    assert [e.department for e in card.timeline][1:3] == [request.department] * 2
    assert request.department != ""
    assert (card.timeline[3].amount_minor, card.timeline[3].currency) == (59900, "CZK")
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


def test_each_source_read_as_stored_converts_to_what_its_own_columns_read(
    ws, jana, clock, monkeypatch: pytest.MonkeyPatch
):
    """The ledger reads every column as the driver gives it (``_as_stored``) and converts
    an entry's columns when it is read, with each column's own conversion for the dialect
    (``_processors``, worked out once per dialect and kept)."""
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.requests.create(jana, RequestDraft(customer_id, "billing", "Check invoice 42"))
    started = clock.now
    clock.advance(30)
    call = CallDraft(customer_id, KNOWN_PHONE, started, started, clock.now, "billing", "advised")
    ws.calls.record(jana, call)
    monkeypatch.setattr(ledger, "_PROCESSORS", {})  # worked out again, in this test
    params = {"customer_id": customer_id, "limit": 10}
    sources_read = 0
    with ws.db.connect() as connection:
        dialect = connection.dialect
        processors = ledger._processors(dialect)
        assert ledger._processors(dialect) is processors  # kept, not worked out again
        for source, (query, _make, _kind) in enumerate(ledger._SOURCES):
            mapped = [tuple(row) for row in connection.execute(query, params)]
            stored = connection.execute(ledger._as_stored(query), params).all()
            conversions = processors[source]
            converted = [
                tuple(c(v) if c else v for c, v in zip(conversions, row, strict=True))
                for row in stored
            ]
            assert converted == mapped, query
            # the read the ledger runs, on the driver's cursor: the same rows
            assert ledger._STORED[source].rows(connection, params) == [tuple(r) for r in stored]
            sources_read += bool(mapped)
            if mapped and dialect.name == "sqlite":
                assert isinstance(stored[0][0], str)  # the time, as SQLite stores it
        assert ledger.timeline(connection, customer_id)[0].at == started
    assert sources_read == 2  # the calls and the requests


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


def test_accepted_offers_read_as_accepted_and_the_newest_fill_a_shorter_ledger(
    ws, lead, jana, clock
):
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.catalog.add(
        lead, [ProductItem("MOB-M", "Mobil M", "tariff", 59900, "CZK", clock.now.date())]
    )
    for _ in range(3):
        clock.advance(60)
        ws.offers.record(jana, OfferDraft(customer_id, "MOB-M", True))
    assert [e.result for e in ws.customers.card(customer_id).timeline] == ["accepted"] * 3
    with ws.db.connect() as connection:
        newest = ledger.timeline(connection, customer_id, length=2)
    assert [e.at for e in newest] == [clock.now, clock.now - timedelta(minutes=1)]


def test_an_outbound_call_shows_as_its_campaign_its_disposition_and_the_refusal(
    ws, lead, jana, clock
):
    set_up_campaigns(ws, lead)
    add(ws, lead, SALES, [("+420777100041", "Refuser")], "hot")
    card = ws.outbound.next_lead(jana)
    close(ws, jana, card, "NI", refusal_reason="too_expensive", notes="Has O2")
    attempt = next(
        e for e in ws.customers.card(card.customer.id).timeline if e.kind is EntryKind.OUTBOUND
    )
    disposition = next(d for d in ws.campaigns.dispositions(SALES) if d.code == "NI")
    assert disposition.label != "NI"
    assert (attempt.code, attempt.result, attempt.detail) == (
        "Zimní tarify",
        disposition.label,
        "Has O2",
    )
    assert (attempt.operator_name, attempt.reason) == ("Jana Svobodová", "too_expensive")
    assert attempt.at == clock.now
    [(attempt_id,)] = rows(ws, "SELECT id FROM lead_attempt")
    assert attempt.record_id == uuid.UUID(str(attempt_id))


def test_an_order_s_steps_show_newest_first_with_its_number_and_note(ws, lead, jana, clock):
    set_up_orders(ws, lead)
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    draft = equipment(ws, customer_id)
    prepared = ws.orders.prepare(draft)
    stored = ws.orders.submit(jana, draft)
    clock.advance(60)
    ws.orders.move(lead, stored.id, OrderStatus.CANCELLED, "Moved abroad")
    steps = [
        (e.code, e.result, e.detail, e.operator_name, e.record_id, e.at)
        for e in ws.customers.card(customer_id).timeline
        if e.kind is EntryKind.ORDER
    ]
    submitted, cancelled = clock.now - timedelta(minutes=1), clock.now
    number, visit, jana_s, lida = stored.number, stored.visit, "Jana Svobodová", "Lída Vedoucí"
    assert steps == [
        ("equipment", "cancelled", f"{number}: Moved abroad", lida, stored.id, cancelled),
        ("equipment", "scheduled", f"{number}: {visit}", jana_s, stored.id, submitted),
        ("equipment", "submitted", number, jana_s, stored.id, submitted),
    ]
    assert ws.customers.order_read_back(customer_id, stored.id) == prepared.read_back
    other = ws.customers.lookup_phone(SHARED_PHONE).matches[0].id
    assert ws.customers.order_read_back(other, stored.id) == ""
    kept = ws.orders.keep_draft(jana, OrderDraft(OrderKind.LOAN, customer_id, {}, at(ws)))
    assert ws.customers.order_read_back(customer_id, kept.id) == ""  # never read back
