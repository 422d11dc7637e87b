"""A chat answered as its new lines are read (services/channels/answering.py), on both
databases: ``look`` reads the lines after those held and marks nothing; ``answer`` marks
the visitor's lines seen read and stores the answer in one write (one moment for both),
once by its client id, refused in a colleague's chat with nothing marked. And the
visitors' lines posted in one batch record the chat rows' field versions as one at a
time would (store/outbox.py ``CoreOps``)."""

from __future__ import annotations

import json

import pytest

from cc_terminal.services.channels.answering import Answers
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.errors import PermissionDenied
from tests.channels.conftest import form
from tests.helpers import rows


def _answers(ws) -> Answers:
    return Answers(ws.db, ws.chats.clock)


def _held_chat(ws, chats, lead, jana):
    ws.chats.set_limit(lead, jana.operator_id, 3)
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)  # "Jana joined the chat."
    chats.post(started.token, "v2", "My bill")
    return started


def _read_marks(ws, conversation_id) -> list[tuple[int, object]]:
    query = "SELECT seq, read_at FROM conversation_message"
    query += " WHERE conversation_id = :chat AND author = 'visitor' ORDER BY seq"
    return [(seq, read) for seq, read in rows(ws, query, chat=conversation_id.hex)]


def test_look_reads_the_lines_after_those_held_and_marks_nothing(ws, chats, lead, jana):
    started = _held_chat(ws, chats, lead, jana)
    answers = _answers(ws)
    everything = answers.look(jana, started.conversation_id)
    assert [line.seq for line in everything.lines] == [1, 2, 3]
    later = answers.look(jana, started.conversation_id, after=2)
    assert [(line.seq, line.text) for line in later.lines] == [(3, "My bill")]
    assert all(read is None for _seq, read in _read_marks(ws, started.conversation_id))


def test_an_answer_marks_the_lines_seen_read_in_its_own_write(ws, chats, lead, jana):
    started = _held_chat(ws, chats, lead, jana)
    chats.post(started.token, "v3", "Still there?")  # seq 4: not seen yet
    answers = _answers(ws)
    sent = answers.answer(jana, started.conversation_id, "o1", " Hi, I can help. ", 3)
    assert (sent.seq, sent.text, sent.operator_name) == (5, "Hi, I can help.", jana.full_name)
    marks = _read_marks(ws, started.conversation_id)
    assert [seq for seq, read in marks if read is not None] == [1, 3]
    query = "SELECT at FROM conversation_message WHERE client_id = 'o1'"
    assert {read for _seq, read in marks if read is not None} == {rows(ws, query)[0][0]}
    again = answers.answer(jana, started.conversation_id, "o1", "other words", 4)
    assert (again.seq, again.text) == (5, "Hi, I can help.")  # stored once
    assert [seq for seq, read in _read_marks(ws, started.conversation_id) if read] == [1, 3, 4]
    detail = ws.chats.detail(jana, started.conversation_id)
    assert detail.state == "open" and detail.first_response_at is not None


def test_an_answer_in_a_colleagues_chat_is_refused_and_marks_nothing(ws, chats, lead, jana, petr):
    started = _held_chat(ws, chats, lead, jana)
    with pytest.raises(PermissionDenied):
        _answers(ws).answer(petr, started.conversation_id, "o1", "Hi", 3)
    assert all(read is None for _seq, read in _read_marks(ws, started.conversation_id))


def test_a_batch_records_each_chat_rows_bases_as_one_at_a_time(ws, chats):
    if ws.db.engine.dialect.name != "sqlite":
        pytest.skip("field versions are kept for a folder floor's merge: SQLite only")
    first, second = chats.start(form()).token, chats.start(form()).token
    chats.post_many([Post(first, "v1", "One"), Post(second, "v1", "Two")])
    query = "SELECT row_id, hlc, bases FROM outbox_op WHERE entity = 'conversation'"
    query += " AND kind = 'update' AND changes LIKE '%last_message_at%' ORDER BY seq"
    before = {row_id: hlc for row_id, hlc, _bases in rows(ws, query)}
    chats.post_many([Post(first, "v2", "Three"), Post(second, "v2", "Four")])
    newest = rows(ws, query)[-2:]
    assert {row_id for row_id, *_ in newest} == set(before)
    for row_id, _hlc, bases in newest:
        assert json.loads(bases) == {
            "last_message_at": f"{before[row_id]}:",
            "visitor_typing_at": f"{before[row_id]}:",
        }
