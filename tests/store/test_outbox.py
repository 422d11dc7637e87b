"""Every mutation leaves exactly its change ops, in the same transaction; a failed call
leaves neither rows nor ops."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from cc_terminal.models import Customer, CustomerPhone
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import CallDraft, CustomerDraft
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows, max_seq, ops_since, rows


def test_creating_a_customer_writes_one_insert_per_row(ws, jana):
    seq = max_seq(ws)
    card = ws.customers.create(
        jana, CustomerDraft(full_name="Eva Malá", phones="777000111, 602111222", city="Plzeň")
    )
    ops = ops_since(ws, seq)
    assert sorted(op["entity"] for op in ops) == ["customer", "customer_phone", "customer_phone"]
    assert all(op["kind"] == "insert" for op in ops)
    customer_op = next(op for op in ops if op["entity"] == "customer")
    assert customer_op["row_id"] == str(card.id)
    assert customer_op["changes"]["full_name"] == "Eva Malá"
    assert customer_op["changes"]["city"] == "Plzeň"
    assert set(customer_op["changes"]) == set(Customer.model_fields)
    assert all(str(op["actor_id"]).replace("-", "") == jana.operator_id.hex for op in ops)


def test_an_update_records_only_the_changed_fields(ws, jana):
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    seq = max_seq(ws)
    draft = CustomerDraft.from_card(card, city="Kladno")
    ws.customers.update(jana, card.id, draft, card.version)
    ops = ops_since(ws, seq)
    assert [(op["entity"], op["kind"]) for op in ops] == [("customer", "update")]
    assert set(ops[0]["changes"]) == {"city", "version", "updated_at"}
    assert ops[0]["changes"]["city"] == "Kladno"


def test_replacing_a_phone_writes_a_delete_and_an_insert(ws, jana):
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    seq = max_seq(ws)
    draft = CustomerDraft.from_card(card, phones="777 999 888")
    ws.customers.update(jana, card.id, draft, card.version)
    kinds = sorted((op["entity"], op["kind"]) for op in ops_since(ws, seq))
    assert kinds == [
        ("customer", "update"),
        ("customer_phone", "delete"),
        ("customer_phone", "insert"),
    ]


def test_a_call_writes_one_op(ws, clock, jana):
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    seq = max_seq(ws)
    ws.calls.record(
        jana,
        CallDraft(
            card.id,
            KNOWN_PHONE,
            clock() - timedelta(minutes=2),
            None,
            clock(),
            "billing",
            "resolved",
        ),
    )
    ops = ops_since(ws, seq)
    assert [(op["entity"], op["kind"]) for op in ops] == [("call", "insert")]
    assert ops[0]["changes"]["talk_seconds"] == 120


def test_a_refused_call_leaves_neither_rows_nor_ops(ws, jana):
    before = count_rows(ws, "customer"), max_seq(ws)
    with pytest.raises(ValidationFailed):
        ws.customers.create(jana, CustomerDraft(full_name="", phones="nope"))
    assert (count_rows(ws, "customer"), max_seq(ws)) == before


def test_a_failure_after_the_flush_rolls_back_rows_and_ops_together(ws, jana):
    before = count_rows(ws, "customer"), count_rows(ws, "outbox_op")
    with pytest.raises(IntegrityError), ws.db.write(jana.operator_id) as session:
        customer = Customer(full_name="Half Saved")
        session.add(customer)
        session.flush()  # the customer and its op are written ...
        session.add(CustomerPhone(customer_id=customer.id, e164=None))  # ... then this fails
        session.flush()
    assert (count_rows(ws, "customer"), count_rows(ws, "outbox_op")) == before


def test_op_ids_are_unique_and_sequence_grows(ws, jana):
    ws.customers.create(jana, CustomerDraft(full_name="Eva Malá", phones="777000111"))
    ids = [r for (r,) in rows(ws, "SELECT op_id FROM outbox_op")]
    assert len(ids) == len(set(ids))


def test_a_request_and_its_steps_leave_their_ops_and_the_search_index_none(ws, jana, lead, clock):
    from cc_terminal.services.calls.requests import RequestDraft

    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    seq = max_seq(ws)
    request = ws.requests.create(jana, RequestDraft(customer_id, "billing", "Invoice 42"))
    clock.advance(60)
    ws.requests.transition(lead, request.id, "resolved", "credited")
    ops = ops_since(ws, seq)
    assert [(op["entity"], op["kind"]) for op in ops[:2]] == [
        ("service_request", "insert"),
        ("request_event", "insert"),
    ]
    moved = {op["entity"]: op for op in ops[2:]}
    assert (moved["service_request"]["kind"], moved["request_event"]["kind"]) == (
        "update",
        "insert",
    )
    assert set(moved["service_request"]["changes"]) == {"status", "updated_at", "version"}
    seq = max_seq(ws)
    ws.customers.create(jana, CustomerDraft(full_name="Eva Malá", phones="777000111", city="Plzeň"))
    entities = {op["entity"] for op in ops_since(ws, seq)}
    assert entities == {"customer", "customer_phone"}  # the index is rebuilt, not synced
