"""The customer's rules as an operator meets them, in their exact words: phones (at least
one, at most five, kept in the order typed), a number erased at the person's request, an
edit that names only some fields, a stale or erased card, a whole-number field's check,
and who the stored change is written as."""

import uuid

import pytest
from sqlalchemy import select

from cc_terminal.customer_fields import Check, CustomerField
from cc_terminal.models import CustomerPhone, OutboxOp
from cc_terminal.services.calls.customers import checked
from cc_terminal.services.common.errors import ConflictError, NotFound, ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import CustomerDraft

FIVE = "601000001, 601000002, 601000003, 601000004, 601000005"


def positions(ws, customer_id):
    with ws.db.read() as session:
        rows = session.scalars(
            select(CustomerPhone).where(CustomerPhone.customer_id == customer_id)
        ).all()
        return sorted((row.position, row.e164) for row in rows)


def refused(call):
    with pytest.raises(ValidationFailed) as failed:
        call()
    return failed.value.errors


def test_phones_are_required_at_most_five_and_kept_in_the_order_typed(ws, jana):
    assert refused(lambda: ws.customers.create(jana, CustomerDraft(full_name="A", phones=""))) == {
        "phones": "At least one phone number is required."
    }
    six = FIVE + "; 601000006"
    errors = refused(lambda: ws.customers.create(jana, CustomerDraft(full_name="A", phones=six)))
    assert errors == {"phones": "At most 5 phone numbers."}
    card = ws.customers.create(jana, CustomerDraft(full_name="Pět Čísel", phones=FIVE))
    assert positions(ws, card.id) == [(n, f"+42060100000{n + 1}") for n in range(5)]
    turned = "601000005; 601000009; 601000001"
    ws.customers.update(jana, card.id, CustomerDraft(phones=turned), card.version)
    assert positions(ws, card.id) == [
        (0, "+420601000005"),
        (1, "+420601000009"),
        (2, "+420601000001"),
    ]
    assert ws.customers.card(card.id).full_name == "Pět Čísel"  # not named: kept


def test_a_new_customer_needs_a_name_even_when_the_draft_does_not_name_it(ws, jana):
    errors = refused(lambda: ws.customers.create(jana, CustomerDraft(phones="601000041")))
    assert errors == {"full_name": "Required."}


def test_an_edit_sets_do_not_call_only_when_it_names_it(ws, jana):
    card = ws.customers.create(jana, CustomerDraft(full_name="Eva", phones="601000011"))
    assert card.do_not_call is False
    flagged = ws.customers.update(jana, card.id, CustomerDraft(do_not_call=True), card.version)
    assert flagged.do_not_call is True
    renamed = ws.customers.update(jana, card.id, CustomerDraft(full_name="Eva B."), 2)
    assert (renamed.do_not_call, renamed.full_name) == (True, "Eva B.")
    errors = refused(lambda: ws.customers.update(jana, card.id, CustomerDraft(full_name=""), 3))
    assert errors == {"full_name": "Required."}


def test_a_stale_an_erased_and_an_unknown_card_are_refused_in_words(ws, jana, lead):
    two = "601000021, 601000022"
    card = ws.customers.create(jana, CustomerDraft(full_name="Jan", phones=two))
    ws.customers.update(jana, card.id, CustomerDraft(notes="first"), card.version)
    with pytest.raises(ConflictError) as stale:
        ws.customers.update(jana, card.id, CustomerDraft(notes="second"), card.version)
    assert str(stale.value) == "Someone else changed this customer; reload and re-apply."
    with pytest.raises(NotFound) as unknown:
        ws.customers.update(jana, uuid.uuid4(), CustomerDraft(notes="x"), 1)
    assert str(unknown.value) == "No such customer."
    ws.data_requests.erase(lead, card.id, "REQ-1")
    with pytest.raises(ConflictError) as erased:
        ws.customers.update(jana, card.id, CustomerDraft(notes="x"), 3)
    assert str(erased.value) == "This customer was erased at their request."
    again = CustomerDraft(full_name="Jan", phones="601 000 022, 601 000 021")
    assert refused(lambda: ws.customers.create(jana, again)) == {
        "phones": "+420 601 000 021, +420 601 000 022: erased at the person's request; "
        "not stored again."
    }


def test_a_bad_row_of_many_is_named_and_every_change_is_written_as_its_author(ws, jana):
    drafts = [
        CustomerDraft(full_name="Good", phones="601000031"),
        CustomerDraft(full_name="Bad", phones="nope"),
    ]
    errors = refused(lambda: ws.customers.create_many(jana, drafts))
    assert list(errors) == ["row 2"] and "nope" in errors["row 2"]
    assert ws.customers.create_many(jana, drafts[:1]) == 1
    card = ws.customers.lookup_phone("601000031").matches[0]
    ws.customers.update(jana, card.id, CustomerDraft(notes="hi"), card.version)
    with ws.db.read() as session:
        authors = set(
            session.scalars(select(OutboxOp.actor_id).where(OutboxOp.row_id == str(card.id)))
        )
    assert authors == {jana.operator_id}


def test_a_bad_number_is_said_in_the_phone_field_as_the_parser_says_it(ws):
    errors = refused(lambda: ws.customers.lookup_phone("12"))
    assert set(errors) == {"phone"} and errors["phone"] not in ("", "None")


def test_a_whole_number_field_is_checked_within_its_bounds():
    floor = CustomerField("floor", lambda: "Floor", 2, check=Check.WHOLE_NUMBER, bounds=(0, 99))
    form = FormErrors()
    assert checked(form, floor, "7") == "7" and form.errors == {}
    assert checked(form, floor, "120") == "120"
    assert form.errors == {"floor": "A whole number from 0 to 99."}
