"""The operator's side of chats rule by rule (services/channels/conversations.py), on both
databases: the limit's bounds and words, what an answer and a note give back, what an
answer ends (typing) and keeps (the first response), who marks lines read, and what a
hand-over to a colleague refuses and to a department writes down."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent, Conversation, ConversationAssignment, Operator
from cc_terminal.services.channels import reading
from cc_terminal.services.channels.views import ChatLine, TakenElsewhere
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.views import Actor
from tests.channels.conftest import form, on_shift
from tests.channels.test_conversations import _key, _state
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows

JANAS = "contact_centre"  # her department
LIMIT_WORDS = {"chat_limit": "A whole number from 0 to 99."}


def test_the_limit_is_a_whole_number_from_0_to_99(ws, jana, lead, clock):
    for wrong in (-1, 100):
        with pytest.raises(ValidationFailed) as refused:
            ws.chats.set_limit(lead, jana.operator_id, wrong)
        assert refused.value.errors == LIMIT_WORDS
    ws.chats.set_limit(lead, jana.operator_id, 99)
    assert rows(ws, "SELECT chat_limit FROM operator WHERE username = 'jana'") == [(99,)]
    with ws.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "account.chat_limit")
        ).one()
    assert (event.actor_id, event.subject, event.detail, event.at) == (
        lead.operator_id,
        "jana",
        "99",
        clock.now,
    )
    with pytest.raises(PermissionDenied, match=r"^Only a team lead sets how many chats"):
        ws.chats.set_limit(jana, jana.operator_id, 1)
    with pytest.raises(NotFound, match=r"^No such operator\.$"):
        ws.chats.set_limit(lead, uuid.uuid4(), 1)


def test_an_answer_and_a_note_come_back_as_the_operator_sees_them(ws, chats, jana, clock):
    started = chats.start(form())
    ws.chats.take_next(jana)
    clock.advance(30)
    answer = ws.chats.send(jana, started.conversation_id, "o1", "  Good morning.  ")
    assert answer == ChatLine(
        2, "operator", "Good morning.", clock.now, jana.full_name, False, False
    )
    note = ws.chats.note(jana, started.conversation_id, "Check the invoice")
    assert note == ChatLine(3, "note", "Check the invoice", clock.now, jana.full_name, False, False)
    assert ws.chats.detail(jana, started.conversation_id).lines[-2:] == (answer, note)
    with pytest.raises(ValidationFailed) as refused:
        ws.chats.note(jana, started.conversation_id, " ")
    assert refused.value.errors == {"text": "Write a message first."}
    with pytest.raises(ValidationFailed) as refused:
        ws.chats.send(jana, started.conversation_id, "o2", " ")
    assert refused.value.errors == {"text": "Write a message first."}
    with pytest.raises(ValidationFailed) as refused:
        ws.chats.send(jana, started.conversation_id, "", "Hello")
    assert refused.value.errors == {"client_id": "The message has no usable id; send it again."}


def test_an_answer_ends_typing_and_the_first_response_stays_the_first(ws, chats, jana, clock):
    started = chats.start(form())
    ws.chats.take_next(jana)
    query = "SELECT version, first_response_at FROM conversation WHERE id = :id"
    key = _key(ws, started.conversation_id)
    ((taken_version, _none),) = rows(ws, query, id=key)
    ws.chats.typing(jana, started.conversation_id)
    assert chats.operator_typing(started.token)
    ws.chats.send(jana, started.conversation_id, "o1", "Hello")
    assert not chats.operator_typing(started.token)
    ((version, first),) = rows(ws, query, id=key)
    clock.advance(60)
    ws.chats.send(jana, started.conversation_id, "o2", "Anything else?")
    assert rows(ws, query, id=key) == [(version, first)]  # open already: no new version
    assert version == taken_version + 1


def test_a_lead_reading_a_chat_leaves_its_lines_unread_for_its_holder(ws, chats, jana, lead):
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)
    ws.chats.detail(lead, started.conversation_id)
    assert [c.unread for c in ws.chats.mine(jana)] == [1]
    assert not chats.lines_after(started.token, 0)[0].read


def test_a_hand_over_to_a_colleague_refuses_the_holder_and_who_takes_no_chats(
    ws, chats, jana, petr, lead, gateway
):
    started = chats.start(form())
    ws.chats.take_next(jana)
    ws.chats.set_limit(lead, petr.operator_id, 0)
    refusals = {
        petr.operator_id: "Petr Dvořák has no free place for a chat.",
        jana.operator_id: "The chat is already theirs.",
        uuid.uuid4(): "No such colleague.",
        gateway.operator_id: "No such colleague.",  # a service account takes no chats
    }
    for to, words in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            ws.chats.transfer(jana, started.conversation_id, to_operator=to)
        assert refused.value.errors == {"to": words}
    with pytest.raises(ValidationFailed) as refused:
        ws.chats.transfer(jana, started.conversation_id, to_department="nowhere")
    assert refused.value.errors == {"to": "Choose a department or a colleague."}


def test_a_hand_over_to_a_department_writes_who_handed_it_where(ws, chats, jana, clock):
    started = chats.start(form())
    ws.chats.take_next(jana)
    key = _key(ws, started.conversation_id)
    ((version,),) = rows(ws, "SELECT version FROM conversation WHERE id = :id", id=key)
    clock.advance(10)
    ws.chats.transfer(jana, started.conversation_id, to_department="technical")
    assert rows(
        ws, "SELECT state, department, version FROM conversation WHERE id = :id", id=key
    ) == [("waiting", "technical", version + 1)]
    handed = rows(
        ws,
        "SELECT operator_id, department, reason, by_id FROM conversation_assignment "
        "WHERE reason = 'transfer'",
    )
    by = jana.operator_id.hex if ws.db.engine.dialect.name == "sqlite" else jana.operator_id
    assert handed == [(None, "technical", "transfer", by)]


def test_the_holder_links_a_chat_to_a_customer_who_exists(ws, chats, jana, petr):
    started = chats.start(form(contact="nobody@example.cz"))
    ws.chats.take_next(jana)
    (customer,) = ws.customers.lookup_phone(KNOWN_PHONE).matches
    key = _key(ws, started.conversation_id)
    query = "SELECT customer_id, version FROM conversation WHERE id = :id"
    ((none, version),) = rows(ws, query, id=key)
    assert none is None
    with pytest.raises(NotFound, match=r"^No such customer\.$"):
        ws.chats.link_customer(jana, started.conversation_id, uuid.uuid4())
    with pytest.raises(PermissionDenied):
        ws.chats.link_customer(petr, started.conversation_id, customer.id)
    ws.chats.link_customer(jana, started.conversation_id, customer.id)
    linked = customer.id.hex if ws.db.engine.dialect.name == "sqlite" else customer.id
    assert rows(ws, query, id=key) == [(linked, version + 1)]


def test_a_chat_a_colleagues_take_kept_is_told_as_gone_elsewhere(ws, chats, jana, petr):
    """On a folder floor Petr's take made apart and earlier kept the chat Jana took: no
    hand-over of hers gave it to him."""
    started = chats.start(form())
    ws.chats.take_next(jana)
    with ws.db.write(petr.operator_id) as session:
        conversation = session.get(Conversation, started.conversation_id)
        conversation.owner_id = petr.operator_id
        session.add(
            ConversationAssignment(
                conversation_id=conversation.id,
                operator_id=petr.operator_id,
                reason="taken",
                by_id=petr.operator_id,
                at=ws.chats.clock(),
            )
        )
    gone = ws.chats.went_elsewhere(jana, [started.conversation_id])
    assert gone == (TakenElsewhere("Eva Malá", petr.full_name),)
    assert ws.chats.went_elsewhere(jana, []) == ()
    assert ws.chats.went_elsewhere(petr, [started.conversation_id]) == ()


def _ops_by(ws, after: int) -> tuple[set[object], int]:
    found = rows(ws, "SELECT seq, actor_id FROM outbox_op WHERE seq > :after", after=after)
    actors = {uuid.UUID(str(actor)) if actor is not None else None for _seq, actor in found}
    return actors, max([after, *(seq for seq, _actor in found)])


def test_every_change_is_written_in_the_name_of_who_made_it(ws, chats, jana, lead):
    """Each operation's change ops carry its actor (a folder floor's checks read it)."""
    first, second = chats.start(form()), chats.start(form(name="Adam"))
    chats.post(second.token, "v1", "Hello")
    (customer,) = ws.customers.lookup_phone(KNOWN_PHONE).matches
    consent = ("web_form", ws.chats.clock().date(), "")
    _none, seq = _ops_by(ws, 0)
    steps = [
        (lead, lambda: ws.chats.set_limit(lead, jana.operator_id, 2)),
        (jana, lambda: ws.chats.take_next(jana)),
        (jana, lambda: ws.chats.take_next(jana)),
        (jana, lambda: ws.chats.send(jana, first.conversation_id, "o1", "Hello")),
        (jana, lambda: ws.chats.note(jana, first.conversation_id, "A note")),
        (jana, lambda: ws.chats.typing(jana, first.conversation_id)),
        (jana, lambda: ws.chats.link_customer(jana, first.conversation_id, customer.id)),
        (jana, lambda: ws.chats.detail(jana, second.conversation_id)),  # marks Adam's line
        (jana, lambda: ws.chats.record_consent(jana, first.conversation_id, consent)),
        (jana, lambda: ws.chats.close(jana, first.conversation_id, "advised")),
        (jana, lambda: ws.chats.transfer(jana, second.conversation_id, to_department=JANAS)),
        (jana, lambda: on_shift(ws, jana)),  # signed in: the waiting chat is hers again
    ]
    for number, (actor, step) in enumerate(steps):
        step()
        actors, seq = _ops_by(ws, seq)
        assert actors == {actor.operator_id}, number
    assert _state(ws, second.conversation_id) == ("assigned", jana.operator_id)


def test_a_chat_that_is_not_there_says_so_whatever_one_does_with_it(ws, jana):
    nowhere = uuid.uuid4()
    steps = (
        lambda: ws.chats.note(jana, nowhere, "A note"),
        lambda: ws.chats.typing(jana, nowhere),
        lambda: ws.chats.link_customer(jana, nowhere, uuid.uuid4()),
        lambda: ws.chats.transfer(jana, nowhere, to_department="billing"),
        lambda: ws.chats.close(jana, nowhere, "advised"),
        lambda: ws.chats.detail(jana, nowhere),
        lambda: ws.chats.offer_standing(jana, nowhere),
    )
    for step in steps:
        with pytest.raises(NotFound, match=r"^No such chat\.$"):
            step()


def test_a_round_the_lead_starts_gives_chats_in_the_leads_name(ws, chats, jana, lead):
    ws.chats.set_limit(lead, jana.operator_id, 0)
    on_shift(ws, jana)  # present, but with no place
    started = chats.start(form())
    with ws.db.write(lead.operator_id) as session:
        session.get(Operator, jana.operator_id).chat_limit = 1
    _none, seq = _ops_by(ws, 0)
    assert ws.chats.assign_round_robin(lead) == 1
    assert _ops_by(ws, seq)[0] == {lead.operator_id}
    assert _state(ws, started.conversation_id) == ("assigned", jana.operator_id)


def test_reading_a_chat_marks_only_its_visitors_unread_lines(ws, chats, jana, lead, clock):
    """Not another chat's, not the operator's own answer (that read mark is the
    visitor's), and a line read before keeps the moment it was read."""
    ws.chats.set_limit(lead, jana.operator_id, 2)
    first, other = chats.start(form()), chats.start(form(name="Adam"))
    ws.chats.take_next(jana)
    ws.chats.take_next(jana)
    ws.chats.send(jana, first.conversation_id, "o1", "Good morning")
    chats.post(first.token, "v1", "Hello")
    chats.post(other.token, "w1", "Hi there")
    read_at = (
        "SELECT client_id, read_at FROM conversation_message WHERE client_id IN ('v1', 'w1', 'o1')"
    )
    ws.chats.detail(jana, first.conversation_id)
    marks = dict(rows(ws, read_at))
    assert marks["v1"] is not None and (marks["w1"], marks["o1"]) == (None, None)
    clock.advance(60)
    chats.post(first.token, "v2", "Are you there?")
    ws.chats.detail(jana, first.conversation_id)
    assert dict(rows(ws, read_at))["v1"] == marks["v1"]


def test_a_line_come_while_the_chat_was_shown_stays_unread(ws, chats, jana, monkeypatch):
    """Reading marks the visitor's lines the operator was shown, not one that came between
    the read of the lines and their marks: she has not seen it, it stays unread."""
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)
    read_lines = reading.detail

    def read_then_a_line_comes(session, conversation, now):
        shown = read_lines(session, conversation, now)
        chats.post(started.token, "v2", "Are you there?")
        return shown

    monkeypatch.setattr(reading, "detail", read_then_a_line_comes)
    shown = ws.chats.detail(jana, started.conversation_id)
    assert [line.text for line in shown.lines if line.author == "visitor"] == ["Hello"]
    monkeypatch.undo()
    assert [c.unread for c in ws.chats.mine(jana)] == [1]
    unread = [line.text for line in ws.chats.detail(jana, started.conversation_id).lines]
    assert unread[-1] == "Are you there?"
    assert [c.unread for c in ws.chats.mine(jana)] == [0]


def test_an_operator_queues_the_chats_she_may_take_a_lead_every_one(ws, chats, jana, lead):
    handed, anyone = chats.start(form()), chats.start(form(name="Adam"))
    ws.chats.take_next(jana)
    ws.chats.transfer(jana, handed.conversation_id, to_department="technical")
    assert [c.id for c in ws.chats.queue(jana)] == [anyone.conversation_id]
    assert {c.id for c in ws.chats.queue(lead)} == {handed.conversation_id, anyone.conversation_id}


def test_the_holder_sees_the_visitor_typing_for_five_seconds(ws, chats, jana, clock):
    started = chats.start(form())
    ws.chats.take_next(jana)
    chats.typing(started.token)
    clock.advance(4)
    assert [c.visitor_typing for c in ws.chats.mine(jana)] == [True]
    assert ws.chats.detail(jana, started.conversation_id).visitor_typing
    clock.advance(2)
    assert [c.visitor_typing for c in ws.chats.mine(jana)] == [False]
    assert not ws.chats.detail(jana, started.conversation_id).visitor_typing


def test_a_chat_handed_to_a_department_goes_at_once_to_one_of_it_present(
    ws, chats, jana, petr, clock
):
    """The round after a hand-over gives it in the name of who handed it, at that moment."""
    started = chats.start(form())
    ws.chats.take_next(jana)
    on_shift(ws, petr)  # billing
    clock.advance(10)
    ws.chats.transfer(jana, started.conversation_id, to_department="billing")
    assert _state(ws, started.conversation_id) == ("assigned", petr.operator_id)
    with ws.db.read() as session:
        given = session.scalars(
            select(ConversationAssignment).where(
                ConversationAssignment.operator_id == petr.operator_id
            )
        ).one()
    assert (given.reason, given.by_id, given.at) == ("assigned", jana.operator_id, clock.now)


def test_a_consent_given_today_is_todays_in_prague(ws, chats, jana, clock):
    """At 23:30 UTC it is already tomorrow in Prague: a consent of that day is no future one."""
    started = chats.start(form())
    ws.chats.take_next(jana)
    clock.advance((clock.now.replace(hour=23, minute=30) - clock.now).total_seconds())
    prague_day = clock.now.astimezone(ZoneInfo("Europe/Prague")).date()
    assert prague_day > clock.now.date()
    ws.chats.record_consent(jana, started.conversation_id, ("web_form", prague_day, ""))
    assert ws.chats.offer_standing(jana, started.conversation_id).allowed


def test_someone_without_an_account_takes_no_chat(ws, chats):
    chats.start(form())
    ghost = Actor(uuid.uuid4(), "ghost", "Ghost", "operator")
    with pytest.raises(NotFound, match=r"^No such operator\.$"):
        ws.chats.take_next(ghost)


def test_at_her_limit_an_operator_is_told_how_many_she_holds(ws, chats, jana, lead):
    ws.chats.set_limit(lead, jana.operator_id, 1)
    chats.start(form())
    chats.start(form(name="Adam"))
    ws.chats.take_next(jana)
    with pytest.raises(ConflictError) as refused:
        ws.chats.take_next(jana)
    assert str(refused.value) == "You have 1 open chats, your limit is 1."
