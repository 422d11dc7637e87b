"""The gateway's side of a chat rule by rule (services/channels/visitors.py), on both
databases: a visitor leaving a chat an operator holds, a line ending the visitor's typing,
a resend after the end, and how far ``changed_since`` looks back."""

from __future__ import annotations

from datetime import timedelta

from cc_terminal.models import Author, Conversation
from cc_terminal.services.channels.visitors import LOOK_BACK
from tests.channels.conftest import form
from tests.channels.test_conversations import _state
from tests.channels.test_visitors import _floor_line
from tests.helpers import rows

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
