"""The gateway's side of a chat rule by rule (services/channels/visitors.py), on both
databases: a visitor leaving a chat an operator holds, a line ending the visitor's typing,
a resend after the end, and how far ``changed_since`` looks back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from cc_terminal.models import (
    Author,
    Conversation,
    ConversationAssignment,
    ConversationMessage,
    ListKind,
    Operator,
)
from cc_terminal.services.channels import lines, offline
from cc_terminal.services.channels.visitors import LOOK_BACK, ChatNews, _from_micros
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from tests.channels.chat.conftest import ALWAYS
from tests.channels.conftest import form, on_shift
from tests.channels.test_assignment import _waiting_letter
from tests.channels.test_chat_lines import NO_CHAT_CS
from tests.channels.test_conversations import _key, _state
from tests.channels.test_visitors import _floor_line
from tests.conftest import KNOWN_PHONE
from tests.helpers import max_seq, ops_since, rows

CHAT = "SELECT state, closed_at IS NULL, version, visitor_typing_at IS NULL FROM conversation"


def test_a_visitor_leaving_a_held_chat_leaves_it_to_its_operator(ws, chats, jana):
    """The operator still closes it with an outcome; only the line tells her."""
    started = chats.start(form())
    ws.chats.take_next(jana)
    ((_state_before, _open, version, _typing),) = rows(ws, CHAT)
    chats.close_by_visitor(started.token)
    assert _state(ws, started.conversation_id) == ("assigned", jana.operator_id)
    assert rows(ws, CHAT) == [("assigned", True, version, True)]
    shown = ws.chats.detail(jana, started.conversation_id).lines
    assert [(line.author, line.text) for line in shown][-1] == (
        "system",
        "The visitor ended the chat.",
    )


def test_a_visitor_leaving_a_waiting_chat_ends_it_at_that_moment(ws, chats, clock):
    started = chats.start(form())
    ((_state_before, _open, version, _typing),) = rows(ws, CHAT)
    clock.advance(5)
    chats.close_by_visitor(started.token)
    assert rows(ws, CHAT) == [("closed", False, version + 1, True)]
    with ws.db.read() as session:
        assert session.get(Conversation, started.conversation_id).closed_at == clock.now


def test_a_visitors_line_ends_their_typing_and_a_resend_after_the_end_is_the_stored_line(ws, chats):
    started = chats.start(form())
    chats.typing(started.token)
    assert not rows(ws, CHAT)[0][3]  # the visitor is typing
    posted = chats.post(started.token, "v1", "Hello")
    assert rows(ws, CHAT)[0][3]  # no more
    chats.close_by_visitor(started.token)
    again = chats.post(started.token, "v1", "Hello")
    assert (again.seq, again.text, again.client_id) == (posted.seq, "Hello", "v1")


def test_changed_since_looks_back_for_a_transaction_that_read_its_clock_earlier(
    ws, chats, jana, clock
):
    early, late = chats.start(form(name="Early")), chats.start(form(name="Late"))
    clock.advance(60)
    cursor, _ = chats.changed_since(0)  # now
    within = clock.now - LOOK_BACK + timedelta(milliseconds=100)
    beyond = clock.now - LOOK_BACK - timedelta(milliseconds=100)
    _floor_line(ws, early.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, within)
    _floor_line(ws, late.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, beyond)
    following, changed = chats.changed_since(cursor)
    assert changed == [early.conversation_id]
    assert following == cursor  # nothing newer than the cursor, and its look back is later


def test_the_gateway_gives_the_waiting_chats_when_someone_is_present_again(
    ws, chats, jana, lead, gateway, clock
):
    """A folder floor's round brought Jana's sign-in: the chats (not a letter) go to her, in
    the gateway's name, at that moment."""
    ws.chats.set_limit(lead, jana.operator_id, 0)
    on_shift(ws, jana)
    started = chats.start(form())
    letter = _waiting_letter(ws, lead)
    with ws.db.write(lead.operator_id) as session:
        session.get(Operator, jana.operator_id).chat_limit = 2
    clock.advance(5)
    assert chats.present_again() == 1
    assert _state(ws, started.conversation_id) == ("assigned", jana.operator_id)
    assert _state(ws, letter) == ("waiting", None)
    with ws.db.read() as session:
        given = session.scalars(select(ConversationAssignment)).one()
    assert (given.by_id, given.at) == (gateway.operator_id, clock.now)


def test_news_looks_back_and_brings_lines_delivered_or_read_since(ws, chats, jana, clock):
    first, second = chats.start(form()), chats.start(form(name="Adam"))
    answer = _floor_line(ws, first.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    clock.advance(60)
    cursor, _ = chats.changed_since(0)
    assert chats.news([first.conversation_id], cursor).lines == {}  # written long before
    chats.lines_after(first.token, 0)  # the gateway sends it: delivered now
    news = chats.news([first.conversation_id], cursor)
    assert [(line.seq, line.delivered) for line in news.lines[first.conversation_id]] == [
        (answer, True)
    ]
    assert chats.news([], cursor) == ChatNews({}, {})
    within = clock.now - LOOK_BACK + timedelta(milliseconds=100)
    late = _floor_line(ws, second.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, within)
    assert [
        line.seq
        for line in chats.news([second.conversation_id], cursor).lines[second.conversation_id]
    ] == [late]


def test_the_visitor_marks_read_only_the_floors_lines_up_to_what_she_saw(ws, chats, jana, clock):
    first, other = chats.start(form()), chats.start(form(name="Adam"))
    one = _floor_line(ws, first.conversation_id, Author.OPERATOR, "One", jana.operator_id)
    two = _floor_line(ws, first.conversation_id, Author.OPERATOR, "Two", jana.operator_id)
    elsewhere = _floor_line(ws, other.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    chats.mark_read(first.token, one)
    read = (
        "SELECT conversation_id, seq, read_at FROM conversation_message WHERE author = 'operator'"
    )
    marks = {(str(c), s): at for c, s, at in rows(ws, read)}
    key = _key(ws, first.conversation_id)
    assert marks[(str(key), one)] is not None and marks[(str(key), two)] is None
    assert marks[(str(_key(ws, other.conversation_id)), elsewhere)] is None
    clock.advance(30)
    chats.mark_read(first.token, two)
    again = {(str(c), s): at for c, s, at in rows(ws, read)}
    assert again[(str(key), one)] == marks[(str(key), one)]


def test_a_wrong_token_opens_nothing_whatever_the_visitor_does(chats):
    for step in (
        lambda: chats.operator_typing("wrong"),
        lambda: chats.mark_read("wrong", 1),
        lambda: chats.typing("wrong"),
        lambda: chats.close_by_visitor("wrong"),
    ):
        with pytest.raises(NotFound) as refused:
            step()
        assert str(refused.value) == NO_CHAT_CS


def test_changed_since_names_chats_typed_in_and_moves_to_the_newest_moment(
    ws, chats, lead, jana, clock
):
    """A chat whose operator only types is named too; a letter never; the next cursor is
    the newest moment seen; a cursor of 1 is a moment, not a start."""
    typed_in, written_to = chats.start(form()), chats.start(form(name="Adam"))
    _waiting_letter(ws, lead)
    clock.advance(60)
    cursor, _ = chats.changed_since(0)
    clock.advance(10)
    with ws.db.write(jana.operator_id) as session:
        lines.locked(session, typed_in.conversation_id, str).operator_typing_at = clock.now
    following, changed = chats.changed_since(cursor)
    assert changed == [typed_in.conversation_id]
    assert following == int(clock.now.timestamp() * 1_000_000)
    clock.advance(1)
    _floor_line(ws, written_to.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, clock.now)
    last, changed = chats.changed_since(following)
    assert set(changed) == {typed_in.conversation_id, written_to.conversation_id}
    assert last == int(clock.now.timestamp() * 1_000_000)
    assert set(chats.changed_since(1)[1]) == {typed_in.conversation_id, written_to.conversation_id}


def test_the_visitors_changes_are_written_in_the_gateways_name(ws, chats, gateway, lead):
    (after,) = rows(ws, "SELECT coalesce(max(seq), 0) FROM outbox_op")[0]
    started = chats.start(form())
    assert len(started.token) == 43  # 32 random bytes
    assert ws.chats.detail(lead, started.conversation_id).consent
    chats.typing(started.token)
    chats.post(started.token, "v1", "Hello")
    chats.close_by_visitor(started.token)
    chats.leave_message(form(name="Adam"), "Call me back")
    actors = rows(ws, "SELECT DISTINCT actor_id FROM outbox_op WHERE seq > :after", after=after)
    assert [uuid.UUID(str(actor)) for (actor,) in actors] == [gateway.operator_id]


def test_a_visitors_line_has_its_moment_and_no_operators_name(chats, clock):
    started = chats.start(form())
    clock.advance(5)
    posted = chats.post(started.token, "v1", "Hello")
    (seen,) = chats.lines_after(started.token, 0)
    assert (posted.at, posted.operator_label) == (clock.now, "")
    assert (seen.at, seen.operator_label) == (clock.now, "")


def test_a_left_message_reads_a_national_number_in_the_floors_region(ws, chats, lead):
    left = chats.leave_message(form(contact="777 123 457"), "Call me back")
    customer = ws.requests.get(lead, left).customer_id
    assert ws.customers.lookup_phone("+420777123457").matches[0].id == customer


def test_news_and_changed_since_leave_out_what_happened_exactly_look_back_before(
    ws, chats, jana, clock
):
    """The look back is open at its start: a line written, a chat typed in or a line read
    at exactly the cursor less LOOK_BACK was seen by the round that gave the cursor."""
    written, typed_in, read = (chats.start(form(name=name)) for name in ("Eva", "Adam", "Ota"))
    answer = _floor_line(ws, read.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    chats.lines_after(read.token, 0)  # delivered now, before the moment
    clock.advance(60)
    moment = clock.now
    chats.post(written.token, "v1", "Hello")  # written and delivered at the moment
    with ws.db.write(jana.operator_id) as session:
        lines.locked(session, typed_in.conversation_id, str).operator_typing_at = moment
    chats.mark_read(read.token, answer)  # read at the moment
    clock.advance(LOOK_BACK.total_seconds())
    cursor = int(clock.now.timestamp() * 1_000_000)
    assert _from_micros(cursor) - LOOK_BACK == moment  # the edge itself, to the microsecond
    assert chats.changed_since(cursor)[1] == []
    ids = [written.conversation_id, typed_in.conversation_id, read.conversation_id]
    assert chats.news(ids, cursor).lines == {}
    earlier = cursor - 1  # a microsecond earlier: the look back takes them in
    assert set(chats.changed_since(earlier)[1]) == set(ids[:2])  # a read moves no chat
    assert set(chats.news(ids, earlier).lines) == {written.conversation_id, read.conversation_id}


def test_a_line_another_gateway_marked_delivered_keeps_its_first_moment(ws, chats, jana, clock):
    """Two gateways may both read a floor's line undelivered; the second one's mark finds
    it marked already and changes nothing (no later moment, no op)."""
    started = chats.start(form())
    _floor_line(ws, started.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    with ws.db.read() as session:
        (line_id,) = session.scalars(
            select(col(ConversationMessage.id)).where(
                col(ConversationMessage.author) == Author.OPERATOR.value
            )
        )
    first = chats.lines_after(started.token, 0)[0]
    assert first.delivered
    ((delivered_at,),) = rows(ws, "SELECT delivered_at FROM conversation_message")
    since = max_seq(ws)
    clock.advance(5)
    chats._delivered([line_id])  # the second gateway's mark, from its earlier read
    assert rows(ws, "SELECT delivered_at FROM conversation_message") == [(delivered_at,)]
    assert ops_since(ws, since) == []


def test_the_gateway_s_round_robin_is_written_in_its_name(ws, chats, jana, lead, gateway):
    ws.chats.set_limit(lead, jana.operator_id, 0)
    on_shift(ws, jana)
    chats.start(form())
    with ws.db.write(lead.operator_id) as session:
        session.get(Operator, jana.operator_id).chat_limit = 1
    since = max_seq(ws)
    assert chats.present_again() == 1
    actors = {op["actor_id"] for op in ops_since(ws, since)}
    assert [uuid.UUID(str(actor)) for actor in actors] == [gateway.operator_id]


def test_someone_is_available_by_the_hours_of_the_topic_s_department(ws, chats, lead, jana, clock):
    """A topic's department working round the clock takes chats at 19:30, when the contact
    centre (no topic) is closed."""
    lists = ws.reference.lists()
    billing = lists.find(ListKind.DEPARTMENT, offline.department_of(lists, "billing"))
    ws.reference.save(lead, ListKind.DEPARTMENT, replace(billing, working_hours=ALWAYS))
    on_shift(ws, jana)
    clock.advance(timedelta(hours=10).total_seconds())  # 19:30 in Prague
    assert chats.someone_available("billing")
    assert not chats.someone_available("")


def test_a_message_left_from_an_erased_number_is_refused_in_the_visitor_s_language(ws, chats, lead):
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.data_requests.erase(lead, customer, "GDPR-2026-18")
    for language, said in (
        ("en", "This number cannot be used here; give an e-mail address, please."),
        ("cs", "Toto číslo zde nelze použít; uveďte prosím e-mailovou adresu."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            chats.leave_message(form(contact=KNOWN_PHONE, language=language), "Call me")
        assert refused.value.errors == {"contact": said}


def test_the_lines_a_visitor_is_sent_carry_their_client_ids_and_are_delivered(ws, chats, jana):
    """Her own line comes back under its client id, delivered (stored so); the floor's line
    under the id it was stored with, delivered by being sent."""
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    _floor_line(ws, started.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    ((floor_id,),) = rows(ws, "SELECT client_id FROM conversation_message WHERE seq = 2")
    sent = chats.lines_after(started.token, 0)
    assert [(line.author, line.client_id, line.delivered) for line in sent] == [
        ("visitor", "v1", True),
        ("operator", floor_id, True),
    ]


def test_a_gateway_takes_the_floors_lines_to_mark_and_the_service_writes_none(ws, chats, jana):
    """With a gateway bound (deliver_later), the lines the floor wrote are handed to it to
    be marked in its next turn of lines; the read itself writes nothing."""
    started = chats.start(form())
    answer = _floor_line(ws, started.conversation_id, Author.OPERATOR, "Hi", jana.operator_id)
    handed: list[list[uuid.UUID]] = []
    chats.deliver_later = handed.append
    shown = chats.lines_after(started.token, 0)
    assert [line.seq for line in shown if line.delivered] == [answer]  # sent as delivered
    ((line_id,),) = rows(ws, "SELECT id FROM conversation_message WHERE author = 'operator'")
    assert handed == [[uuid.UUID(str(line_id))]]
    marked = "SELECT delivered_at FROM conversation_message WHERE author = 'operator'"
    assert rows(ws, marked) == [(None,)]
