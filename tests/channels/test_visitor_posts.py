"""Visitors' lines stored many in one write (services/channels/visitor_posts.py and the
gateway's turns, channels/chat/posting.py), on both databases: each line numbered in its
chat, a client id sent twice in one batch or again later stored once, a refused line
refused alone, every line and every chat's row with its change op; lines posted at once
through the gateway's turns share a write and each sender hears its own answer; the
floor's lines the gateway sent are marked delivered in those turns."""

from __future__ import annotations

import asyncio
import json
import uuid

from sqlalchemy import update

from cc_terminal.channels.chat.posting import LineTurns
from cc_terminal.models import Conversation, ConversationMessage
from cc_terminal.services.channels import lines
from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from tests.channels.conftest import form, on_shift
from tests.helpers import max_seq, ops_since, rows


def test_a_batch_numbers_each_chat_and_stores_a_client_id_once(ws, chats):
    first, second = chats.start(form()).token, chats.start(form(language="cs")).token
    answers = chats.post_many(
        [
            Post(first, "v1", "Hello"),
            Post(second, "v1", "Dobrý den"),
            Post(first, "v2", "My bill"),
            Post(first, "v1", "Hello again"),  # a resend before its first answer
            Post("not-a-token", "v1", "Hello"),
            Post(second, "v2", " "),
            Post(second, "\x00", "Hi"),
        ]
    )
    stored = [(a.seq, a.client_id, a.text) for a in answers if isinstance(a, VisitorLine)]
    assert stored == [
        (1, "v1", "Hello"),
        (1, "v1", "Dobrý den"),
        (2, "v2", "My bill"),
        (1, "v1", "Hello"),  # the resend: the line stored first
    ]
    assert isinstance(answers[4], NotFound)
    assert isinstance(answers[5], ValidationFailed) and answers[5].errors == {
        "text": "Nejdřív napište zprávu."
    }
    assert isinstance(answers[6], ValidationFailed) and "client_id" in answers[6].errors
    again = chats.post(first, "v2", "whatever")  # later: the stored line, its number
    assert (again.seq, again.text) == (2, "My bill")
    (counted,) = rows(ws, "SELECT count(*) FROM conversation_message WHERE author = 'visitor'")
    assert counted[0] == 3


def test_every_line_and_chat_row_of_a_batch_has_its_change_op(ws, chats, gateway):
    first, second = chats.start(form()).token, chats.start(form()).token
    chats.post_many([Post(first, "v1", "One"), Post(second, "v1", "Two")])
    query = "SELECT entity, kind, changes, actor_id FROM outbox_op"
    query += " WHERE entity IN ('conversation_message', 'conversation') ORDER BY seq DESC"
    newest = rows(ws, query)[:4]
    kinds = sorted((entity, kind) for entity, kind, _changes, _actor in newest)
    assert kinds == [("conversation", "update")] * 2 + [("conversation_message", "insert")] * 2
    assert {uuid.UUID(str(actor)) for *_rest, actor in newest} == {gateway.operator_id}
    texts = {
        json.loads(changes)["text"]
        for entity, _kind, changes, _actor in newest
        if entity == "conversation_message"
    }
    assert texts == {"One", "Two"}


def test_lines_posted_at_once_share_a_write_and_each_hears_its_own(ws, chats):
    tokens = [chats.start(form()).token for _ in range(3)]
    writes: list[int] = []

    async def everyone():
        release = asyncio.Event()  # the first write waits until the others queued

        async def store(posts, marks):
            writes.append(len(posts))
            if len(writes) == 1:
                await release.wait()
            return await asyncio.to_thread(chats.post_many, posts, marks)

        turns = LineTurns(store)
        sent = [Post(token, f"v{n}", f"line {n}") for n in range(2) for token in tokens]
        sent.append(Post(tokens[0], "bad\x01", "x"))
        posted = [asyncio.ensure_future(turns.post(sent[0]))]
        while not writes:  # the first line's write has begun
            await asyncio.sleep(0)
        posted += [asyncio.ensure_future(turns.post(post)) for post in sent[1:]]
        while len(turns.waiting) < len(sent) - 1:
            await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(*posted, return_exceptions=True)

    answers = asyncio.run(everyone())
    assert writes == [1, 6]  # the first at once, the others while it was written
    assert [a.text for a in answers[:6]] == [f"line {n}" for n in range(2) for _ in tokens]
    assert [a.seq for a in answers[:6]] == [1, 1, 1, 2, 2, 2]
    assert isinstance(answers[6], ValidationFailed)


def test_a_batch_answers_each_line_whole_as_its_visitor_sees_it(ws, chats, clock):
    """The answer is the line with every field the visitor's frame reads: written by the
    visitor, at the batch's time, delivered, unread, no operator's name; a resend in the
    same batch and one in a later batch get the same line."""
    token = chats.start(form()).token
    expected = VisitorLine(
        seq=1,
        client_id="v1",
        author="visitor",
        text="Hello",
        at=clock(),
        operator_label="",
        delivered=True,
        read=False,
    )
    first, resent = chats.post_many([Post(token, "v1", "Hello"), Post(token, "v1", "Again")])
    assert first == expected and resent == expected
    (later,) = chats.post_many([Post(token, "v1", "Later")])
    assert (later.author, later.operator_label, later.delivered, later.read) == (
        "visitor",
        "",
        True,
        False,
    )
    assert (later.seq, later.text) == (1, "Hello")


def test_a_batch_line_s_op_carries_every_column_of_the_line(ws, chats):
    """Each inserted line's op names the table's columns, as the flush hook's op would: a
    store replaying it fills the same fields (operator_id too, empty on a visitor's line)."""
    token = chats.start(form()).token
    since = max_seq(ws)
    chats.post_many([Post(token, "v1", "Hello")])
    (inserted,) = [op for op in ops_since(ws, since) if op["entity"] == "conversation_message"]
    columns = {column.name for column in ConversationMessage.__table__.columns}
    assert set(inserted["changes"]) == columns
    assert inserted["changes"]["operator_id"] is None


def test_a_token_of_200_characters_is_looked_up_and_a_longer_one_is_not(ws, chats):
    """A token longer than 200 characters is refused before it is hashed, as the single
    lookup (lines.py) refuses it: a chat whose stored hash is a 201-character token's is
    not opened by it, one whose hash is a 200-character token's is."""
    table = Conversation.__table__
    started = chats.start(form())
    for length, opens in ((200, True), (201, False)):
        token = "t" * length
        with ws.db.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id == started.conversation_id)
                .values(token_hash=lines.token_hash(token))
            )
        (answer,) = chats.post_many([Post(token, f"v{length}", "Hello")])
        assert isinstance(answer, VisitorLine) is opens, length
        if not opens:
            assert isinstance(answer, NotFound)


def test_the_floors_lines_sent_are_marked_delivered_in_the_turns_of_lines(ws, chats, jana):
    """A store thread's marks go with the next turn of lines, and the thread waits until
    they are stored; marks alone make a turn; a turn that fails fails its marks (the
    thread hears it, nothing is kept in memory) and a line posted meanwhile is still
    stored by the same writer."""
    on_shift(ws, jana)
    token = chats.start(form()).token  # given at once: the floor's "joined" line
    ((joined,),) = rows(ws, "SELECT id FROM conversation_message WHERE author = 'system'")
    joined = uuid.UUID(str(joined))
    stored_turns: list[tuple[int, list[uuid.UUID]]] = []
    failing = [True]
    gate: list[asyncio.Event | None] = [None]  # a turn in the store waits for it

    async def scenario():
        async def store(posts, marks):
            stored_turns.append((len(posts), list(marks)))
            if gate[0] is not None:
                await gate[0].wait()
            if failing[0]:
                failing[0] = False
                raise RuntimeError("the store went away")
            return await asyncio.to_thread(chats.post_many, posts, marks)

        turns = LineTurns(store)
        turns.loop = asyncio.get_running_loop()
        gate[0] = asyncio.Event()
        marking = asyncio.ensure_future(asyncio.to_thread(turns.delivered, [joined, joined]))
        while not stored_turns:  # the marks' turn alone has begun
            await asyncio.sleep(0)
        first = asyncio.ensure_future(turns.post(Post(token, "v1", "Hello")))
        while not turns.waiting:
            await asyncio.sleep(0)
        gate[0].set()  # that turn fails
        (failed,) = await asyncio.gather(marking, return_exceptions=True)
        line = await first  # the writer went on after the failed turn of marks
        assert turns.marks == [] and turns.writer is None  # nothing kept in memory

        gate[0] = asyncio.Event()
        held = asyncio.ensure_future(turns.post(Post(token, "v2", "Held")))
        while len(stored_turns) < 3:
            await asyncio.sleep(0)
        again = asyncio.ensure_future(asyncio.to_thread(turns.delivered, [joined]))
        while not turns.marks:
            await asyncio.sleep(0)
        second = asyncio.ensure_future(turns.post(Post(token, "v3", "Again")))
        gate[0].set()
        await asyncio.gather(held, again)
        return failed, line, await second

    failed, line, second = asyncio.run(scenario())
    assert isinstance(failed, RuntimeError)
    assert (line.text, second.text) == ("Hello", "Again")
    # marked once though seen twice; after the failure, with the next line, in one write
    assert stored_turns == [(0, [joined]), (1, []), (1, []), (1, [joined])]
    marked = "SELECT delivered_at FROM conversation_message WHERE author = 'system'"
    assert rows(ws, marked)[0][0] is not None


def test_a_write_of_lines_marks_the_floors_lines_delivered_once(ws, chats, jana, clock):
    on_shift(ws, jana)
    token = chats.start(form()).token
    ((joined,),) = rows(ws, "SELECT id FROM conversation_message WHERE author = 'system'")
    joined = uuid.UUID(str(joined))
    assert chats.post_many([], [joined]) == []  # marks alone
    marked = "SELECT delivered_at FROM conversation_message WHERE author = 'system'"
    ((first,),) = rows(ws, marked)
    assert first is not None
    clock.advance(30)
    (line,) = chats.post_many([Post(token, "v1", "Hello")], [joined])
    assert line.seq == 2 and rows(ws, marked) == [(first,)]  # its first moment kept
