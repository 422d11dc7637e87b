"""Who may be offered a product in a chat or a letter (services/channels/mail_offers.py), rule
by rule on both databases, without the mail servers: a number's "do not call" and consent, an
address's refusal and consent, an existing customer (their own order or accepted offer, no
one else's, unless they objected on a number), the product on offer today, the consent's
checks, the offer's words, and a refusal's record."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from cc_terminal.models import Conversation, CustomerOrder, MailObjection, Product
from cc_terminal.services.calls.offers import OfferDraft
from cc_terminal.services.channels import mail_offers
from cc_terminal.services.common.errors import ValidationFailed
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows

UNKNOWN_PHONE = "+420777123456"


def _conversation(ws, contact: str, customer_id: uuid.UUID | None = None) -> Conversation:
    return Conversation(
        channel="email",
        visitor_contact=contact,
        customer_id=customer_id,
        token_hash="",
        created_at=ws.chats.clock(),
        last_message_at=ws.chats.clock(),
    )


def _standing(ws, contact: str, customer_id: uuid.UUID | None = None):
    with ws.db.read() as session:
        return mail_offers.standing(session, _conversation(ws, contact, customer_id))


def _customer(ws, phone: str = KNOWN_PHONE) -> uuid.UUID:
    (found,) = rows(ws, "SELECT customer_id FROM customer_phone WHERE e164 = :p", p=phone)
    return uuid.UUID(str(found[0]))


def test_an_unknown_numbers_do_not_call_and_consent_count(ws, jana):
    missing = _standing(ws, UNKNOWN_PHONE)
    assert (missing.allowed, missing.needs_consent) == (False, True)
    assert missing.why == (
        f"No consent to marketing on {UNKNOWN_PHONE}, and not a customer yet: "
        "record the consent first."
    )
    ws.consents.record_consent(jana, UNKNOWN_PHONE, "web_form", date(2026, 11, 1))
    consented = _standing(ws, UNKNOWN_PHONE)
    assert (consented.allowed, consented.why) == (True, f"{UNKNOWN_PHONE} consented to offers.")
    ws.consents.record_objection(jana, UNKNOWN_PHONE)
    objected = _standing(ws, UNKNOWN_PHONE)
    assert (objected.allowed, objected.needs_consent) == (False, False)
    assert objected.why == "The customer objected to marketing on their number."
    assert _standing(ws, "+420777000999").needs_consent  # another number: nothing of this


def test_an_address_is_compared_without_case_and_its_refusal_wins(ws, lead, clock):
    assert _standing(ws, " Eva@Example.cz ").why == (
        "No consent to offers by e-mail from eva@example.cz, and not a customer yet: "
        "record the consent first."
    )
    with ws.db.write(lead.operator_id) as session:
        session.add(
            MailObjection(
                address="eva@example.cz", recorded_by=lead.operator_id, recorded_at=clock()
            )
        )
    refused = _standing(ws, "EVA@example.cz")
    assert (refused.allowed, refused.needs_consent) == (False, False)
    assert refused.why == "eva@example.cz refused offers by e-mail."
    assert _standing(ws, "adam@example.cz").needs_consent


def test_only_the_customers_own_order_or_accepted_offer_makes_them_a_customer(ws, jana, lead):
    jan = _customer(ws)
    everyone = [uuid.UUID(str(row[0])) for row in rows(ws, "SELECT id FROM customer")]
    other_id = next(someone for someone in everyone if someone != jan)
    ws.offers.record(jana, OfferDraft(other_id, "MOB-M", accepted=True))  # someone else's
    ws.offers.record(jana, OfferDraft(jan, "NET-100", False, None, "too_expensive"))  # refused
    assert not _standing(ws, "jan.novak@example.cz", jan).allowed
    with ws.db.write(lead.operator_id) as session:
        session.add(_order(other_id, lead.operator_id))
    assert not _standing(ws, "jan.novak@example.cz", jan).allowed
    with ws.db.write(lead.operator_id) as session:
        session.add(_order(jan, lead.operator_id))
    standing = _standing(ws, "jan.novak@example.cz", jan)
    assert (standing.allowed, standing.why) == (
        True,
        "An existing customer: offers of our similar products.",
    )
    ws.consents.record_objection(jana, KNOWN_PHONE)  # a customer, but objected on a number
    objected = _standing(ws, "jan.novak@example.cz", jan)
    assert (objected.allowed, objected.needs_consent, objected.why) == (
        False,
        False,
        "The customer objected to marketing on their number.",
    )


def _order(customer_id: uuid.UUID, by: uuid.UUID) -> CustomerOrder:
    now = datetime(2026, 11, 2, 10, 0, tzinfo=datetime.now().astimezone().tzinfo)
    return CustomerOrder(
        number=f"T-{customer_id.hex[:6]}",
        customer_id=customer_id,
        kind="equipment",
        status="submitted",
        created_by=by,
        created_at=now,
        updated_at=now,
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "on_offer"),
    [(0, None, True), (0, 0, True), (1, None, False), (-5, -1, False)],
)
def test_a_product_is_on_offer_from_its_first_day_to_its_last(ws, valid_from, valid_to, on_offer):
    today = date(2026, 12, 1)
    with ws.db.write(None) as session:
        session.add(
            Product(
                code="X-1",
                name="Tarif X",
                price_minor=19900,
                valid_from=today + timedelta(days=valid_from),
                valid_to=None if valid_to is None else today + timedelta(days=valid_to),
            )
        )
    with ws.db.read() as session:
        if on_offer:
            assert mail_offers.offered_product(session, "X-1", today).name == "Tarif X"
        else:
            with pytest.raises(ValidationFailed) as refused:
                mail_offers.offered_product(session, "X-1", today)
            assert refused.value.errors == {"offer": "No such product on offer today: X-1."}


def test_the_offers_words(ws):
    with ws.db.read() as session:
        described = mail_offers.offered_product(session, "MOB-M", date(2026, 12, 1))
    assert mail_offers.paragraph(described) == "Mobil M: 599,00\xa0Kč. 15 GB, neomezené volání"
    bare = Product(code="B", name="Bez popisu", price_minor=100, valid_from=date(2026, 1, 1))
    assert mail_offers.paragraph(bare) == "Bez popisu: 1,00\xa0Kč."
    chat = Conversation(channel="email", visitor_contact="a@b.cz", language="en", token_hash="")
    footer = mail_offers.with_footer("  Dobrý den,\n  nabídka:  \n", chat, "ab" * 16)
    assert footer.startswith("  Dobrý den,\n  nabídka:\n\n-- \n")
    assert footer.endswith(
        f'the subject "REFUSE {"ab" * 16}". We will not send you any more offers.'
    )


def test_a_consent_is_checked_and_kept_with_its_note(ws, jana, clock):
    chat = _conversation(ws, "Eva@Example.cz")
    today = date(2026, 12, 1)
    with ws.db.write(jana.operator_id) as session, pytest.raises(ValidationFailed) as wrong:
        mail_offers.consent(
            session, jana, chat, ("import", today + timedelta(1), "x" * 501), clock(), today
        )
    assert wrong.value.errors == {
        "source": "Say where the consent came from.",
        "given_on": "A consent cannot be given in the future.",
        "note": "Too long: 501 characters, at most 500.",
    }
    with ws.db.write(jana.operator_id) as session:
        mail_offers.consent(session, jana, chat, ("paper", today, "podpis"), clock(), today)
    assert rows(ws, "SELECT address, source, note FROM mail_consent") == [
        ("eva@example.cz", "paper", "podpis")
    ]
