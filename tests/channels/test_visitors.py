"""The gateway's side of a chat (services/channels/visitors.py) on both databases: the
pre-chat form's rules in words, a token that opens one chat only, a line stored once by
its client id, what a visitor may see, typing, the left message that becomes a request,
and whether anyone can chat now."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text as sql

from cc_terminal.models import Author, Operator
from cc_terminal.models.tally import PauseReason
from cc_terminal.services.channels import lines
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from tests.channels.conftest import form, on_shift
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows, rows


def as_id(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _floor_line(ws, conversation_id, author, text, operator_id=None, at=None):
    """A line from the floor's side (an operator's answer or a note), as the operator's
    service writes it."""
    with ws.db.write(operator_id) as session:
        conversation = lines.locked(session, conversation_id, str)
        line = lines.append(
            session,
            conversation,
            author,
            text,
            at or conversation.last_message_at,
            operator_id=operator_id,
        )
        return line.seq


def test_the_form_says_every_problem_in_words_and_stores_nothing(ws, chats):
    with pytest.raises(ValidationFailed) as failed:
        chats.start(form(name="  ", contact="not a contact", topic="nonsense", consent=False))
    assert failed.value.errors == {
        "name": "Tell us your name.",
        "contact": "That is neither an e-mail address nor a phone number we can call.",
        "topic": "Choose a topic from the list.",
        "consent": "Please accept the privacy notice first.",
    }
    with pytest.raises(ValidationFailed) as failed:
        chats.start(form(name="Eva\x1b[31m", contact=""))
    assert failed.value.errors == {
        "name": "A control character (U+001B) cannot be sent; remove it.",
        "contact": "Give an e-mail address or a phone number.",
    }
    assert count_rows(ws, "conversation") == 0


def test_the_form_speaks_czech_to_a_czech_visitor(chats):
    with pytest.raises(ValidationFailed) as failed:
        chats.start(form(language="cs", consent=False, name=""))
    assert failed.value.errors == {
        "name": "Napište nám prosím své jméno.",
        "consent": "Nejdřív prosím potvrďte informace o zpracování osobních údajů.",
    }


def test_a_phone_is_stored_as_e164_and_a_known_contact_names_the_customer(ws, chats):
    by_phone = chats.start(form(contact="601 123 456"))
    by_mail = chats.start(form(contact="Jan.Novak@Example.cz"))
    stranger = chats.start(form())
    found = {
        as_id(row[0]): (row[1], row[2] and as_id(row[2]))
        for row in rows(ws, "SELECT id, visitor_contact, customer_id FROM conversation")
    }
    jan = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    assert found[by_phone.conversation_id] == (KNOWN_PHONE, jan)
    assert found[by_mail.conversation_id] == ("Jan.Novak@Example.cz", jan)
    assert found[stranger.conversation_id] == ("eva.mala@example.cz", None)


def test_the_token_is_unguessable_and_stored_only_hashed(ws, chats):
    started = chats.start(form())
    assert len(started.token) >= 43  # 32 random bytes
    ((stored, state),) = rows(ws, "SELECT token_hash, state FROM conversation")
    assert stored == lines.token_hash(started.token) and started.token not in stored
    assert state == "waiting"


def test_a_wrong_token_opens_nothing(chats):
    chats.start(form())
    for token in ("", "x" * 43, "x" * 5000):
        with pytest.raises(NotFound):
            chats.lines_after(token, 0)
        with pytest.raises(NotFound):
            chats.post(token, "c1", "hello")


def test_a_line_is_stored_once_by_its_client_id(ws, chats):
    token = chats.start(form()).token
    first = chats.post(token, "c-1", "Hello")
    again = chats.post(token, "c-1", "Hello (sent again after a dropped socket)")
    second = chats.post(token, "c-2", "Anyone there?")
    assert (first.seq, again.seq, second.seq) == (1, 1, 2)
    assert again.text == "Hello" and first.delivered and not first.read
    assert count_rows(ws, "conversation_message") == 2


def test_hostile_text_is_refused_in_words_or_stored_as_typed(chats):
    token = chats.start(form()).token
    refused = {
        "\x1b]52;c;payload\x07": "A control character (U+001B) cannot be sent; remove it.",
        "a\ud800b": "The message holds a character that cannot be read; remove it.",
        "x" * 4001: "Too long: 4001 characters, at most 4000.",
        "   ": "Write a message first.",
    }
    for index, (text, words) in enumerate(refused.items()):
        with pytest.raises(ValidationFailed) as failed:
            chats.post(token, f"bad-{index}", text)
        assert failed.value.errors == {"text": words}
    with pytest.raises(ValidationFailed):
        chats.post(token, "\x00", "hi")
    with pytest.raises(ValidationFailed):
        chats.post(token, "x" * 65, "hi")
    markup = chats.post(token, "ok", "<script>alert(1)</script> [b]bold[/b]\nline two")
    assert markup.text == "<script>alert(1)</script> [b]bold[/b]\nline two"


def test_a_visitor_sees_the_floors_lines_but_no_note_and_a_first_name(ws, chats, jana, clock):
    started = chats.start(form())
    token, conversation_id = started.token, started.conversation_id
    chats.post(token, "v1", "Hello")
    _floor_line(ws, conversation_id, Author.NOTE, "Owes 300 CZK", jana.operator_id)
    answer = _floor_line(ws, conversation_id, Author.OPERATOR, "Good morning", jana.operator_id)
    seen = chats.lines_after(token, 1)
    assert [(line.seq, line.author, line.text, line.operator_label) for line in seen] == [
        (answer, "operator", "Good morning", "Jana")
    ]
    assert seen[0].delivered and not seen[0].read
    chats.mark_read(token, answer)
    assert chats.lines_after(token, 1)[0].read
    assert rows(ws, "SELECT read_at IS NOT NULL FROM conversation_message WHERE seq = 1")[0][0] == 0
    assert [line.seq for line in chats.lines_after(token, 0)] == [1, answer]
    full = type(chats)(ws.db, clock, chats.gateway, full_names=True)
    assert full.lines_after(token, 1)[0].operator_label == "Jana Svobodová"


def test_typing_shows_for_five_seconds(ws, chats, clock):
    started = chats.start(form())
    token, conversation_id = started.token, started.conversation_id
    chats.typing(token)
    ((visitor_typing,),) = rows(ws, "SELECT visitor_typing_at FROM conversation")
    assert visitor_typing is not None
    assert not chats.operator_typing(token)
    with ws.db.write(None) as session:
        lines.locked(session, conversation_id, str).operator_typing_at = clock.now
    assert chats.operator_typing(token)
    clock.advance(6)
    assert not chats.operator_typing(token)


def test_changed_since_names_the_chats_with_something_new(ws, chats, jana, clock):
    cursor, changed = chats.changed_since(0)
    assert changed == []
    conversation_id = chats.start(form()).conversation_id
    quiet = chats.start(form(name="Quiet"))
    clock.advance(10)
    cursor, _ = chats.changed_since(cursor)
    clock.advance(10)
    _floor_line(ws, conversation_id, Author.OPERATOR, "Hi", jana.operator_id, clock.now)
    later, changed = chats.changed_since(cursor)
    assert changed == [conversation_id] and quiet.conversation_id not in changed
    assert later > cursor
    assert chats.changed_since(later + 10_000_000) == (later + 10_000_000, [])


def test_news_brings_every_held_chat_up_to_date_in_one_look(ws, chats, jana, clock):
    """The gateway's one read for all its sockets: each chat's lines written, delivered or
    read since the cursor (notes never), its operator's typing, the floor's lines marked
    delivered; a chat not asked about is not read."""
    first, second, other = (chats.start(form(name=name)) for name in ("Eva", "Adam", "Other"))
    for started in (first, second, other):
        chats.post(started.token, "v1", "Hello")
    clock.advance(10)
    cursor, _ = chats.changed_since(0)
    clock.advance(10)
    _floor_line(ws, first.conversation_id, Author.NOTE, "Owes 300 CZK", jana.operator_id, clock.now)
    answer = _floor_line(
        ws, first.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, clock.now
    )
    _floor_line(ws, other.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, clock.now)
    with ws.db.write(None) as session:
        lines.locked(session, second.conversation_id, str).operator_typing_at = clock.now
    news = chats.news([first.conversation_id, second.conversation_id], cursor)
    assert [
        (line.seq, line.text, line.delivered) for line in news.lines[first.conversation_id]
    ] == [(answer, "Hi", True)]
    assert second.conversation_id not in news.lines
    assert news.typing == {first.conversation_id: False, second.conversation_id: True}
    delivered = (
        "SELECT count(*) FROM conversation_message"
        " WHERE author = 'operator' AND delivered_at IS NOT NULL"
    )
    assert rows(ws, delivered)[0][0] == 1  # the other chat's answer waits for its own gateway
    later, _ = chats.changed_since(cursor)
    clock.advance(10)
    with ws.db.write(None) as session:  # the operator reads Adam's line: only a mark moves
        session.execute(sql("UPDATE conversation_message SET read_at = :at"), {"at": clock.now})
    marks = chats.news([second.conversation_id], later).lines[second.conversation_id]
    assert [(line.seq, line.author, line.read) for line in marks] == [(1, "visitor", True)]
    assert chats.news([], later).lines == {}


def test_newest_lines_names_each_held_chats_last_visible_line_whatever_its_moment(
    ws, chats, jana, clock
):
    """The hub's sweep: the number of the last line a visitor may see, a note not counted,
    a line written on a clock long past found all the same; a chat not asked about is
    not read, and one without lines is not named."""
    first, second, other = (chats.start(form(name=name)) for name in ("Eva", "Adam", "Other"))
    chats.post(first.token, "v1", "Hello")
    chats.post(other.token, "v1", "Hello")
    long_ago = clock.now - timedelta(hours=1)
    answer = _floor_line(
        ws, first.conversation_id, Author.OPERATOR, "Hi", jana.operator_id, long_ago
    )
    _floor_line(ws, first.conversation_id, Author.NOTE, "Owes 300 CZK", jana.operator_id, long_ago)
    held = [first.conversation_id, second.conversation_id, other.conversation_id]
    assert chats.newest_lines(held) == {first.conversation_id: answer, other.conversation_id: 1}
    assert chats.newest_lines(held[:2]) == {first.conversation_id: answer}
    assert chats.newest_lines([]) == {}


def test_a_left_message_becomes_a_request_to_the_topics_department(ws, chats, lead, clock):
    request_id = chats.leave_message(form(topic="technical_fault"), "The router blinks red.")
    request = ws.requests.get(lead, request_id)
    assert (request.category, request.department, request.summary, request.status) == (
        "technical_fault",
        "technical",
        "The router blinks red.",
        "open",
    )
    assert request.customer_name == "Eva Malá" and request.due_at > clock.now
    card = ws.customers.card(request.customer_id)
    assert card.email == "eva.mala@example.cz"
    known = chats.leave_message(form(contact=KNOWN_PHONE, topic=""), "Call me back")
    request = ws.requests.get(lead, known)
    assert (request.customer_name, request.category, request.department) == (
        "Jan Novák",
        "question",
        "contact_centre",
    )
    assert ws.customers.lookup_phone("+420777123456").matches == ()
    phoned = chats.leave_message(form(contact="+420 777 123 456"), "Hi")
    assert ws.customers.lookup_phone("+420777123456").matches[0].id == (
        ws.requests.get(lead, phoned).customer_id
    )


def test_a_left_message_needs_a_text_and_a_good_form(ws, chats):
    with pytest.raises(ValidationFailed) as failed:
        chats.leave_message(form(consent=False), " ")
    assert set(failed.value.errors) == {"consent", "text"}
    with pytest.raises(ValidationFailed) as failed:
        chats.leave_message(form(), "x" * 2001)
    assert failed.value.errors == {"text": "Too long: 2001 characters, at most 2000."}
    assert count_rows(ws, "service_request") == 0


def test_someone_is_available_when_signed_in_unpaused_in_working_hours(ws, chats, jana, clock):
    assert not chats.someone_available("billing")  # nobody signed in
    on_shift(ws, jana)
    assert chats.someone_available("billing") and chats.someone_available("")
    ws.work_clock.pause(jana, PauseReason.BREAK)
    assert not chats.someone_available("billing")
    ws.work_clock.resume(jana)
    clock.advance(timedelta(hours=10).total_seconds())  # 19:30 in Prague
    assert not chats.someone_available("billing")


def test_a_new_chat_goes_to_a_present_operator_below_their_limit(ws, chats, jana, lead):
    with ws.db.write(lead.operator_id) as session:
        operator = session.get(Operator, jana.operator_id)
        assert operator is not None
        operator.chat_limit = 1
    on_shift(ws, jana)
    first = chats.start(form())
    second = chats.start(form(name="Second"))
    states = {as_id(row[0]): row[1] for row in rows(ws, "SELECT id, state FROM conversation")}
    assert states == {first.conversation_id: "assigned", second.conversation_id: "waiting"}
    joined = chats.lines_after(first.token, 0)
    assert [(line.author, line.text) for line in joined] == [("system", "Jana joined the chat.")]
    assert chats.lines_after(second.token, 0) == []


def test_a_visitor_who_leaves_a_waiting_chat_closes_it(ws, chats):
    started = chats.start(form())
    token, conversation_id = started.token, started.conversation_id
    chats.close_by_visitor(token)
    chats.close_by_visitor(token)  # twice: nothing more
    assert rows(ws, "SELECT state FROM conversation")[0][0] == "closed"
    with pytest.raises(ValidationFailed) as failed:
        chats.post(token, "late", "Hello?")
    assert failed.value.errors == {"text": "This chat has ended."}
    assert [line.text for line in chats.lines_after(token, 0)] == ["The visitor ended the chat."]
    assert isinstance(conversation_id, uuid.UUID)


def test_a_token_reads_the_lines_of_its_own_chat_alone(chats):
    """Two visitors' chats side by side: each token's lines are its chat's, however the
    other chat's lines are numbered."""
    first, second = chats.start(form()), chats.start(form(name="Petr Novák"))
    chats.post(first.token, "a1", "First chat")
    chats.post(second.token, "b1", "Second chat")
    chats.post(second.token, "b2", "Second chat again")
    assert [line.text for line in chats.lines_after(first.token, 0)] == ["First chat"]
    assert [line.text for line in chats.lines_after(second.token, 1)] == ["Second chat again"]
