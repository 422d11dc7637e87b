"""Offers by e-mail (Act 480/2004, section 7) on both databases with the real servers: only
with the address's consent or to an existing customer, never after a refusal or an
objection to calls; every offer carries a way to refuse further ones (a line in the letter
and a List-Unsubscribe header), and a reply quoting it is recorded as an objection every
channel respects."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from cc_terminal.models import Customer, MailObjection
from cc_terminal.services.calls.offers import OfferDraft
from cc_terminal.services.channels.mail import MailService
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.mail.servers import Dovecot, Smtpd
from tests.channels.mail.test_loop import letter
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows

KNOWN_ADDRESS = "jan.novak@example.cz"  # Jan Novák's card (tests/conftest.py)
REFUSED_EN = "The customer refused further offers by e-mail: recorded."


def _taken(ws, loop, mailbox, dovecot, imap_user, jana, sender="eva@example.cz") -> uuid.UUID:
    dovecot.append(imap_user, letter(1, sender=sender))
    loop.fetch(mailbox)
    taken = ws.chats.take_next(jana)
    assert taken is not None
    return taken


def _sent_offer(ws, loop, smtpd, jana, conversation_id, address):
    text = "Dobrý den, posílám nabídku.\n" + ws.mail.offer_paragraph(jana, conversation_id, "MOB-M")
    ws.mail.reply(jana, conversation_id, "offer-1", text, offer_code="MOB-M")
    assert loop.send_queued(ws.chats.clock()).sent == 1
    (sent,) = smtpd.keeper.to(address)
    return sent


def test_an_offer_needs_a_consent_and_carries_the_way_to_refuse(
    ws: Workstation,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    conversation = _taken(ws, loop, mailbox, dovecot, imap_user, jana)
    refused = ws.chats.offer_standing(jana, conversation)
    assert not refused.allowed and "No consent to offers by e-mail from eva@example.cz" in (
        refused.why
    )
    with pytest.raises(ValidationFailed, match="No consent"):
        ws.mail.reply(jana, conversation, "offer-0", "Nabídka", offer_code="MOB-M")
    assert rows(ws, "SELECT count(*) FROM mail_outgoing")[0][0] == 0  # nothing half-saved
    today = ws.chats.clock().date()
    with pytest.raises(ValidationFailed) as wrong:
        ws.chats.record_consent(jana, conversation, ("import", today + timedelta(days=2), ""))
    assert set(wrong.value.errors) == {"source", "given_on"}
    ws.chats.record_consent(jana, conversation, ("web_form", today, "formulář na webu"))
    assert ws.chats.offer_standing(jana, conversation).allowed
    with pytest.raises(ValidationFailed, match="No such product on offer today: NOPE"):
        ws.mail.offer_paragraph(jana, conversation, "NOPE")
    sent = _sent_offer(ws, loop, smtpd, jana, conversation, "eva@example.cz")
    body = sent.get_content()
    token = re.search(r"\b([0-9a-f]{32})\b", body)
    assert token is not None and "Mobil M: 599,00\xa0Kč." in body
    assert f"„ODMÍTÁM {token[1]}“" in body  # a letter's words: the floor's language, Czech
    assert sent["List-Unsubscribe"] == (
        f"<mailto:podpora@firma.example?subject=REFUSE%20{token[1]}>"
    )
    assert sent["Auto-Submitted"] is None and sent["In-Reply-To"] == "<m1@example.cz>"
    ((kind,),) = rows(ws, "SELECT kind FROM mail_outgoing")
    assert kind == "offer"


def test_a_reply_quoting_the_token_refuses_offers_and_calls(
    ws: Workstation,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    conversation = _taken(ws, loop, mailbox, dovecot, imap_user, jana, sender=KNOWN_ADDRESS)
    today = ws.chats.clock().date()
    ws.chats.record_consent(jana, conversation, ("earlier_call", today, ""))
    sent = _sent_offer(ws, loop, smtpd, jana, conversation, KNOWN_ADDRESS)
    token = re.search(r"\b([0-9a-f]{32})\b", sent.get_content())
    assert token is not None
    elsewhere = letter(2, subject=f"REFUSE {'0' * 32}", sender="karel@example.cz")
    answer = letter(
        3, subject=f"REFUSE {token[1]}", sender=KNOWN_ADDRESS, In_Reply_To=sent["Message-ID"]
    )
    dovecot.append(imap_user, elsewhere, answer)
    assert loop.fetch(mailbox).stored == 2
    assert rows(ws, "SELECT address FROM mail_objection") == [(KNOWN_ADDRESS,)]
    assert rows(ws, "SELECT phone_e164 FROM objection") == [(KNOWN_PHONE,)]
    assert rows(ws, "SELECT do_not_call FROM customer WHERE email = :a", a=KNOWN_ADDRESS)[0][0]
    standing = ws.chats.offer_standing(jana, conversation)
    assert (standing.allowed, standing.why) == (False, f"{KNOWN_ADDRESS} refused offers by e-mail.")
    with pytest.raises(ValidationFailed, match="refused offers"):
        ws.mail.reply(jana, conversation, "offer-2", "Ještě jedna", offer_code="MOB-M")
    ws.mail.reply(jana, conversation, "answer", "Rozumím, žádné další nabídky.")  # a reply is
    said = [item.text for item in ws.mail.thread(jana, conversation).letters]
    assert "Rozumím, žádné další nabídky." in said


def test_an_existing_customer_may_be_offered_unless_they_objected_to_calls(
    ws: Workstation,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
):
    conversation = _taken(ws, loop, mailbox, dovecot, imap_user, jana, sender=KNOWN_ADDRESS)
    assert not ws.chats.offer_standing(jana, conversation).allowed  # a card, nothing bought
    ((customer_id,),) = rows(ws, "SELECT id FROM customer WHERE email = :a", a=KNOWN_ADDRESS)
    ws.offers.record(jana, OfferDraft(uuid.UUID(str(customer_id)), "MOB-M", accepted=True))
    standing = ws.chats.offer_standing(jana, conversation)
    assert standing.allowed and "existing customer" in standing.why
    ws.consents.record_objection(jana, KNOWN_PHONE)
    objected = ws.chats.offer_standing(jana, conversation)
    assert not objected.allowed and "objected to marketing" in objected.why


def test_erasure_finds_the_letters_of_the_customers_address_linked_or_not(
    ws: Workstation,
    jana: Actor,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    imap_user: str,
):
    """A letter from an address the card gained later was never linked to it: erasing the
    customer wipes it too, and the address's consent; its refusal of offers stays."""
    conversation = _taken(ws, loop, mailbox, dovecot, imap_user, jana, sender="novak@example.cz")
    ws.chats.record_consent(jana, conversation, ("web_form", ws.chats.clock().date(), ""))
    ((found,),) = rows(ws, "SELECT id FROM customer WHERE email = :a", a=KNOWN_ADDRESS)
    customer_id = uuid.UUID(str(found))
    with ws.db.write(lead.operator_id) as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        customer.email, customer.version = "Novak@Example.cz", customer.version + 1
        session.add(
            MailObjection(
                address="novak@example.cz",
                recorded_by=lead.operator_id,
                recorded_at=ws.chats.clock(),
            )
        )
    ws.data_requests.erase(lead, customer_id, "request DR-2 by the customer")
    assert rows(ws, "SELECT visitor_contact FROM conversation") == [("",)]
    assert rows(ws, "SELECT from_address, subject FROM mail_letter") == [("", "")]
    assert rows(ws, "SELECT count(*) FROM mail_consent") == [(0,)]
    assert rows(ws, "SELECT address FROM mail_objection") == [("novak@example.cz",)]


def test_a_refusal_from_elsewhere_is_recorded_once_for_the_offers_address_and_customer(
    ws: Workstation,
    jana: Actor,
    lead: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    """The refusal may come from another address in a thread of its own: the offer's address
    refuses, and the customer the offer was made to has their numbers objected to; only a
    known token counts, and twice is once."""
    conversation = _taken(ws, loop, mailbox, dovecot, imap_user, jana, sender=KNOWN_ADDRESS)
    ws.chats.record_consent(jana, conversation, ("earlier_call", ws.chats.clock().date(), ""))
    with ws.db.write(lead.operator_id) as session:
        other = MailObjection(
            address="someone@else.cz", recorded_by=lead.operator_id, recorded_at=ws.chats.clock()
        )
        session.add(other)
    sent = _sent_offer(ws, loop, smtpd, jana, conversation, KNOWN_ADDRESS)
    token = re.search(r"\b([0-9a-f]{32})\b", sent.get_content())
    assert token is not None
    subjects = (
        "Nabídka?",
        f"ODMÍTÁM {'d' * 32}",
        f"ODMÍTÁM {token[1].upper()}",
        f"STOP {token[1]}",
    )
    refusals = [
        letter(10 + n, subject=subject, sender="jan.prace@example.cz")
        for n, subject in enumerate(subjects)
    ]
    dovecot.append(imap_user, *refusals)
    assert loop.fetch(mailbox).stored == 4
    ((offer_id,),) = rows(ws, "SELECT id FROM mail_offer")
    refused = rows(ws, "SELECT offer_id FROM mail_objection WHERE address = :a", a=KNOWN_ADDRESS)
    assert [uuid.UUID(str(found)) for (found,) in refused] == [uuid.UUID(str(offer_id))]
    assert rows(ws, "SELECT count(*) FROM mail_objection") == [(2,)]
    assert rows(ws, "SELECT phone_e164, note FROM objection") == [
        (KNOWN_PHONE, "refused offers by e-mail")
    ]
    said = rows(ws, "SELECT text FROM conversation_message WHERE author = 'system'")
    recorded = "Zákazník odmítl další nabídky e-mailem: zapsáno."
    assert sum(1 for (text,) in said if text in (recorded, REFUSED_EN)) == 2


def test_a_refusal_objects_to_the_numbers_of_the_customer_the_offer_went_to(
    ws: Workstation,
    jana: Actor,
    loop: MailService,
    mailbox,
    dovecot: Dovecot,
    smtpd: Smtpd,
    imap_user: str,
):
    """Another thread stored first (an unknown sender's): the refusal still finds the
    customer of the offer's own thread, not of whichever letter comes first."""
    dovecot.append(imap_user, letter(5, sender="eva@example.cz"))
    loop.fetch(mailbox)
    dovecot.append(imap_user, letter(6, subject="Tarif", sender=KNOWN_ADDRESS))
    loop.fetch(mailbox)
    assert ws.chats.take_next(jana) is not None  # Eva's, the older
    conversation = ws.chats.take_next(jana)
    assert conversation is not None
    ws.chats.record_consent(jana, conversation, ("earlier_call", ws.chats.clock().date(), ""))
    sent = _sent_offer(ws, loop, smtpd, jana, conversation, KNOWN_ADDRESS)
    token = re.search(r"\b([0-9a-f]{32})\b", sent.get_content())
    assert token is not None
    dovecot.append(imap_user, letter(7, subject=f"ODMÍTÁM {token[1]}", sender=KNOWN_ADDRESS))
    assert loop.fetch(mailbox).stored == 1
    assert rows(ws, "SELECT phone_e164 FROM objection") == [(KNOWN_PHONE,)]
