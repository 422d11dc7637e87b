"""A chat line's edges (services/channels/lines.py), on both databases: every wrong token
says the same words and nothing else (a lone surrogate in it included), a client id and a
line at their longest are taken and one character more is refused next to its field, a
surrogate is refused while the private-use character after them is text; delivered and
read marks leave a change op per line, each with the actor who set it."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from cc_terminal import limits
from cc_terminal.models import Author
from cc_terminal.models import ConversationMessage as Message
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels import lines
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from tests.channels.conftest import form
from tests.helpers import rows

NO_CHAT = "No such chat."
NO_CHAT_CS = "Takový chat neexistuje."  # a token that opens nothing: the widget's first language


@pytest.mark.parametrize("token", ["", "x" * 201, "not-a-token", "\udcff" * 43])
def test_every_wrong_token_says_the_same_words(chats, token):
    chats.start(form())
    with pytest.raises(NotFound) as refused:
        chats.post(token, "v1", "Hello")
    assert str(refused.value) == NO_CHAT_CS
    with pytest.raises(NotFound) as refused:
        chats.lines_after(token, 0)
    assert str(refused.value) == NO_CHAT_CS


def test_a_client_id_and_a_line_at_their_longest_are_taken(chats):
    token = chats.start(form()).token
    longest_id = "c" * limits.CHAT_CLIENT_ID
    line = chats.post(token, longest_id, "y" * limits.CHAT_MESSAGE)
    assert (line.client_id, len(line.text)) == (longest_id, limits.CHAT_MESSAGE)
    with pytest.raises(ValidationFailed) as refused:
        chats.post(token, longest_id + "c", "Hello")
    assert refused.value.errors == {"client_id": "The message has no usable id; send it again."}
    with pytest.raises(ValidationFailed) as refused:
        chats.post(token, "v2", "y" * (limits.CHAT_MESSAGE + 1))
    assert refused.value.errors == {"text": "Too long: 4001 characters, at most 4000."}


def test_a_surrogate_is_refused_and_the_character_after_them_is_text(chats):
    token = chats.start(form()).token
    with pytest.raises(ValidationFailed) as refused:
        chats.post(token, "v1", "broken \udfff")
    assert refused.value.errors == {
        "text": "The message holds a character that cannot be read; remove it."
    }
    assert chats.post(token, "v2", "private \ue000").text == "private \ue000"


def test_an_answer_to_a_chat_that_is_not_there_says_so(ws, jana):
    with pytest.raises(NotFound) as refused:
        ws.chats.send(jana, uuid.uuid4(), "r1", "Hello")
    assert str(refused.value) == NO_CHAT


def test_delivered_and_read_marks_leave_one_change_op_a_line(ws, chats, lead, jana):
    """Marks are edits like any other: a folder floor shares them with their ops; a mark
    already set is not written again."""
    ws.chats.set_limit(lead, jana.operator_id, 3)
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)  # "Jana joined the chat."
    ws.chats.send(jana, started.conversation_id, "o1", "Hi, how can I help?")
    seen = chats.lines_after(started.token, 0)  # the floor's two lines handed over
    chats.lines_after(started.token, 0)
    chats.mark_read(started.token, seen[-1].seq)
    ws.chats.detail(jana, started.conversation_id)  # Jana reads the visitor's line
    with ws.db.read() as session:
        authors = {str(line.id): line.author for line in session.scalars(select(Message))}
    query = "SELECT row_id, changes, actor_id FROM outbox_op"
    query += " WHERE entity = 'conversation_message' AND kind = 'update'"
    who = {str(chats.gateway.operator_id): "gateway", str(jana.operator_id): "jana"}
    marks = sorted(
        (authors[str(row_id)], *json.loads(changes), who.get(str(uuid.UUID(str(actor)))))
        for row_id, changes, actor in rows(ws, query)
    )
    assert marks == [  # each mark signed by whoever set it: the gateway or the operator
        ("operator", "delivered_at", "gateway"),
        ("operator", "read_at", "gateway"),
        ("system", "delivered_at", "gateway"),
        ("system", "read_at", "gateway"),
        ("visitor", "read_at", "jana"),
    ]


def test_lines_are_numbered_one_after_another_whoever_writes_them(ws, chats, lead, jana):
    """A chat's first line is number 1 (here the system's "Jana joined", before any
    visitor's line), each next line the next number, from the gateway's turns of lines
    and the operator's answers alike."""
    ws.chats.set_limit(lead, jana.operator_id, 3)
    started = chats.start(form())
    ws.chats.take_next(jana)  # "Jana joined the chat."
    chats.post(started.token, "v1", "Hello")
    ws.chats.send(jana, started.conversation_id, "o1", "Hi, how can I help?")
    chats.post(started.token, "v2", "My bill")
    ws.chats.send(jana, started.conversation_id, "o2", "Let me look.")
    shown = ws.chats.detail(jana, started.conversation_id).lines
    assert [(line.seq, line.author) for line in shown] == [
        (1, "system"),
        (2, "visitor"),
        (3, "operator"),
        (4, "visitor"),
        (5, "operator"),
    ]


@pytest.mark.parametrize(("author", "delivered"), [("visitor", True), ("operator", False)])
def test_a_visitors_line_is_delivered_as_it_is_stored_the_floors_when_handed_over(
    ws, chats, jana, author, delivered
):
    """A line the visitor wrote (a letter's, on the e-mail side) has reached the floor
    once stored; the floor's line is delivered only when the gateway hands it over."""
    started = chats.start(form())
    with ws.db.write(jana.operator_id) as session:
        conversation = lines.locked(session, started.conversation_id, str)
        now = utcnow()
        line = lines.append(session, conversation, Author(author), "Text", now)
        assert line.seq == 1
        assert line.delivered_at == (now if delivered else None)


def test_a_client_id_is_one_chats_own(ws, chats, lead, jana):
    """The same client id in two chats is two lines: a resend is found in its own chat."""
    ws.chats.set_limit(lead, jana.operator_id, 3)
    first, second = chats.start(form()), chats.start(form(name="Petr Novák"))
    for started in (first, second):
        assert ws.chats.take_next(jana) == started.conversation_id
        ws.chats.send(jana, started.conversation_id, "o1", f"Hello {started.conversation_id}")
    for started in (first, second):
        texts = [line.text for line in ws.chats.detail(jana, started.conversation_id).lines]
        assert texts[-1] == f"Hello {started.conversation_id}"
