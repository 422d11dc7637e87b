"""What the operator's side reads (services/channels/reading.py), whole, on both databases:
the queue oldest first with masked contacts, a department's part of it and a letter's
subject; one's own open conversations with unread counts and typing; the chats a colleague
kept without being handed them; a conversation's lines with names and marks; the header's
badge (chats only); the paid turns."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from cc_terminal.models import (
    Conversation,
    ConversationAssignment,
    ConversationMessage,
    Mailbox,
    MailLetter,
)
from cc_terminal.services.channels import reading
from cc_terminal.services.channels.views import (
    ChatDetail,
    ChatLine,
    OpenChat,
    QueuedChat,
    TakenElsewhere,
    WaitingSummary,
)
from cc_terminal.services.common import phones
from cc_terminal.services.privacy.masks import mask_email, mask_phone
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows

MINUTE = timedelta(minutes=1)


def _jan(ws) -> uuid.UUID:
    (found,) = rows(ws, "SELECT customer_id FROM customer_phone WHERE e164 = :p", p=KNOWN_PHONE)
    return uuid.UUID(str(found[0]))


def _chat(at, **values: object) -> Conversation:
    values.setdefault("channel", "chat")
    return Conversation(created_at=at, last_message_at=at, **values)  # type: ignore[arg-type]


def _line(chat: Conversation, seq: int, author: str, at, **values: object) -> ConversationMessage:
    return ConversationMessage(  # type: ignore[call-arg]
        conversation_id=chat.id,
        seq=seq,
        client_id=f"c{seq}",
        author=author,
        text=f"{author} {seq}",
        at=at,
        **values,
    )


@pytest.fixture
def floor(ws, lead, jana):
    """Waiting: a letter (the oldest), Eva's chat, Jan's chat for sales. Jana's: an open
    chat with lines and a visitor typing, an assigned letter; a closed one. The lead's: one
    Jana handed over and one she did not."""
    now, jan = ws.chats.clock(), _jan(ws)
    # built out of their created order: ids follow construction, so the order is the times'
    made = {
        "jan": _chat(now - 2 * MINUTE, visitor_name="Jan", visitor_contact=KNOWN_PHONE,
                     customer_id=jan, topic="tech", department="sales"),
        "eva": _chat(now - 3 * MINUTE, visitor_name="Eva Malá",
                     visitor_contact="eva.mala@example.cz", topic="billing"),
        "letter": _chat(now - 10 * MINUTE, channel="email", visitor_name="Jan Novák",
                        visitor_contact="jan.novak@example.cz", department="support"),
        "assigned": _chat(now - 8 * MINUTE, channel="email", state="assigned",
                          owner_id=jana.operator_id, visitor_name="Petr", topic="x",
                          visitor_typing_at=now - timedelta(seconds=5)),
        "open": _chat(now - 9 * MINUTE, state="open", owner_id=jana.operator_id,
                      visitor_name="Olga", topic="billing", customer_id=jan,
                      visitor_contact="+420601123456", department="sales", language="cs",
                      first_response_at=now - 8 * MINUTE, outcome="resolved", consent=True,
                      visitor_typing_at=now - timedelta(seconds=4)),
        "closed": _chat(now - 7 * MINUTE, state="closed", owner_id=jana.operator_id,
                        closed_at=now - MINUTE),
        "kept": _chat(now - 6 * MINUTE, state="open", owner_id=lead.operator_id,
                      visitor_name="Kept"),
        "kept_earlier": _chat(now - 11 * MINUTE, state="assigned", owner_id=lead.operator_id,
                              visitor_name="Kept earlier"),
        "handed": _chat(now - 5 * MINUTE, state="open", owner_id=lead.operator_id,
                        visitor_name="Handed"),
        "lead_closed": _chat(now - 4 * MINUTE, state="closed", owner_id=lead.operator_id,
                             visitor_name="Closed"),
    }  # fmt: skip
    with ws.db.write(lead.operator_id) as session:
        session.add_all(made.values())
        session.flush()
        box = Mailbox(name="podpora")
        session.add(box)
        session.flush()
        _letters(session, box, made, now)
        _lines(session, made["open"], now, jana, lead)
        _assignments(session, made, now, jana.operator_id, lead.operator_id)
    return made


def _assignments(session, made: dict[str, Conversation], now, jana, lead) -> None:
    """Jana handed "handed" to the lead; "kept" she took herself, then the lead took it
    (by himself): neither of those is a hand-over from Jana to its owner."""
    for which, to, by, reason in [
        ("handed", lead, jana, "transfer"),
        ("kept", jana, jana, "taken"),
        ("kept", lead, lead, "taken"),
    ]:
        session.add(
            ConversationAssignment(
                conversation_id=made[which].id, operator_id=to, reason=reason, by_id=by, at=now
            )
        )


def _letters(session, box: Mailbox, made: dict[str, Conversation], now) -> None:
    """The waiting letter's first letter in is "Faktura" (stored after a later one and after
    our own earlier answer, and with a larger id than the later one: the first is the
    earliest sent, not the smallest id); the assigned one's is "Tarif"."""
    plan = [
        ("letter", "in", "Re: Faktura", now - 4 * MINUTE),
        ("letter", "out", "Odpověď", now - 20 * MINUTE),
        ("letter", "in", "Faktura", now - 10 * MINUTE),
        ("assigned", "in", "Tarif", now - 8 * MINUTE),
    ]
    ids = sorted(uuid.uuid4() for _letter in plan)  # ascending in the plan's order
    for number, (which, direction, subject, at) in enumerate(plan):
        chat = made[which]
        line = _line(chat, number + 1, "visitor" if direction == "in" else "operator", at)
        session.add(line)
        session.flush()
        session.add(
            MailLetter(
                id=ids[number],
                conversation_id=chat.id,
                message_row_id=line.id,
                mailbox_id=box.id,
                direction=direction,
                message_id=f"<m{number}@example.cz>",
                subject=subject,
                sent_at=at,
            )
        )


def _lines(session, chat: Conversation, now, jana, lead) -> None:
    plan = [
        ("visitor", {"read_at": now}),
        ("operator", {"operator_id": jana.operator_id, "delivered_at": now}),
        ("note", {"operator_id": lead.operator_id}),
        ("visitor", {}),
        ("visitor", {"delivered_at": now}),
    ]
    for seq, (author, values) in reversed(list(enumerate(plan, start=1))):  # stored backwards
        session.add(_line(chat, seq, author, now - MINUTE + seq * timedelta(seconds=1), **values))
        session.flush()


def test_the_queue_oldest_first_with_a_letters_subject_and_masked_contacts(ws, floor):
    now, jan = ws.chats.clock(), _jan(ws)
    letter, eva, jans = floor["letter"], floor["eva"], floor["jan"]
    expected = {
        "letter": QueuedChat(letter.id, now - 10 * MINUTE, "Faktura", "support", "Jan Novák",
                             mask_email("jan.novak@example.cz"), None, "", "email"),
        "eva": QueuedChat(eva.id, now - 3 * MINUTE, "billing", "", "Eva Malá",
                          mask_email("eva.mala@example.cz"), None, "", "chat"),
        "jan": QueuedChat(jans.id, now - 2 * MINUTE, "tech", "sales", "Jan",
                          mask_phone(phones.display(KNOWN_PHONE)), jan, "Jan Novák", "chat"),
    }  # fmt: skip
    with ws.db.read() as session:
        assert reading.queue(session, None) == tuple(expected.values())
        assert reading.queue(session, "sales") == (expected["eva"], expected["jan"])
        assert reading.queue(session, "support") == (expected["letter"], expected["eva"])
    assert expected["jan"].contact_masked != KNOWN_PHONE
    assert expected["eva"].contact_masked != "eva.mala@example.cz"


def test_ones_own_open_conversations_with_unread_and_typing(ws, floor, jana):
    now = ws.chats.clock()
    opened, assigned = floor["open"], floor["assigned"]
    with ws.db.read() as session:
        found = reading.mine(session, jana.operator_id, now)
    assert found == (
        OpenChat(opened.id, "Olga", "billing", "open", 2, now - 9 * MINUTE, _jan(ws), True, "chat"),
        OpenChat(assigned.id, "Petr", "Tarif", "assigned", 1, now - 8 * MINUTE, None, False,
                 "email"),
    )  # fmt: skip


def test_chats_a_colleague_kept_without_being_handed_them(ws, floor, jana, lead):
    names = ("kept", "handed", "open", "closed", "eva", "lead_closed", "kept_earlier")
    ids = [floor[name].id for name in names]
    with ws.db.read() as session:
        found = reading.went_elsewhere(session, jana.operator_id, ids)
        assert found == (
            TakenElsewhere("Kept earlier", lead.full_name),
            TakenElsewhere("Kept", lead.full_name),
        )
        assert reading.went_elsewhere(session, jana.operator_id, []) == ()
        own = ids[:2]  # the lead's own are not elsewhere for the lead
        assert reading.went_elsewhere(session, lead.operator_id, own) == ()


def test_chats_gone_elsewhere_come_oldest_first_whatever_their_state(ws, jana, lead):
    """Oldest first: not in the order they were made (their ids), nor by their state."""
    now, owner = ws.chats.clock(), lead.operator_id
    made = [
        _chat(now - MINUTE, state="assigned", owner_id=owner, visitor_name="Newest"),
        _chat(now - 3 * MINUTE, state="open", owner_id=owner, visitor_name="Oldest"),
        _chat(now - 2 * MINUTE, state="assigned", owner_id=owner, visitor_name="Middle"),
    ]
    with ws.db.write(owner) as session:
        session.add_all(made)
    with ws.db.read() as session:
        found = reading.went_elsewhere(session, jana.operator_id, [chat.id for chat in made])
    names = ("Oldest", "Middle", "Newest")
    assert found == tuple(TakenElsewhere(name, lead.full_name) for name in names)


def test_a_conversations_lines_with_names_and_marks(ws, floor, jana, lead):
    now, opened = ws.chats.clock(), floor["open"]
    with ws.db.read() as session:
        shown = reading.detail(session, session.get(Conversation, opened.id), now)
    at = [now - MINUTE + seq * timedelta(seconds=1) for seq in range(6)]
    assert shown.lines == (
        ChatLine(1, "visitor", "visitor 1", at[1], "", False, True),
        ChatLine(2, "operator", "operator 2", at[2], jana.full_name, True, False),
        ChatLine(3, "note", "note 3", at[3], lead.full_name, False, False),
        ChatLine(4, "visitor", "visitor 4", at[4], "", False, False),
        ChatLine(5, "visitor", "visitor 5", at[5], "", True, False),
    )
    assert shown == ChatDetail(
        opened.id, "chat", "open", "Olga", "+420601123456", "billing", "sales", "cs", _jan(ws),
        jana.operator_id, now - 9 * MINUTE, now - 8 * MINUTE, None, "resolved", True, True, 1,
        shown.lines,
    )  # fmt: skip
    with ws.db.read() as session:
        closed = reading.detail(session, session.get(Conversation, floor["closed"].id), now)
    assert (closed.closed_at, closed.lines, closed.visitor_typing) == (now - MINUTE, (), False)


def test_the_badge_counts_waiting_chats_not_letters(ws, request):
    now = ws.chats.clock()
    with ws.db.read() as session:
        assert reading.waiting_summary(session, now) == WaitingSummary(0, 0, 0)
    request.getfixturevalue("floor")
    with ws.db.read() as session:
        # late: the lead's chat given 11 minutes ago and never answered, not a waiting one
        assert reading.waiting_summary(session, now) == WaitingSummary(2, 180, 660)
        assert reading.waiting_summary(session, now - 4 * MINUTE) == WaitingSummary(2, 0, 420)


def test_a_chat_is_late_by_the_floors_first_response_limit_until_answered(ws, lead, request):
    floor, now = request.getfixturevalue("floor"), ws.chats.clock()
    ws.floor_settings.set_limits(lead, {"chat_first_response_seconds": "661"})
    with ws.db.read() as session:
        assert reading.waiting_summary(session, now).late_seconds == 0  # 660 s: in time
        assert reading.waiting_summary(session, now + timedelta(seconds=1)).late_seconds == 661
    with ws.db.write(lead.operator_id) as session:
        for name in ("kept_earlier", "kept", "handed", "eva"):
            session.get(Conversation, floor[name].id).first_response_at = now
    with ws.db.read() as session:  # of the unanswered, Jan's chat waits since 2 minutes
        assert reading.waiting_summary(session, now + 10 * MINUTE).late_seconds == 720
        assert reading.waiting_summary(session, now + 9 * MINUTE).late_seconds == 0


def test_typing_shows_for_five_seconds():
    now = datetime(2026, 12, 5, 10, 0, 0, tzinfo=UTC)
    assert reading.typing_now(now - timedelta(seconds=4, microseconds=999_999), now)
    assert not reading.typing_now(now - timedelta(seconds=5), now)
    assert not reading.typing_now(None, now)
    assert reading.typing_now(now, now)


def test_paid_turns_count_one_answer_per_visitor_turn(ws, floor, lead, jana):
    now, chat = ws.chats.clock(), floor["eva"]
    plan = ["operator", "visitor", "operator", "operator", "note", "system", "visitor"]
    plan += ["operator", "visitor", "system", "operator"]
    with ws.db.write(lead.operator_id) as session:
        for seq, author in reversed(list(enumerate(plan, start=1))):  # stored backwards
            session.add(_line(chat, seq, author, now + seq * timedelta(seconds=1)))
            session.flush()
    with ws.db.read() as session:
        assert reading.paid_turns(session, chat.id) == 4
        assert reading.paid_turns(session, chat.id, after=now + timedelta(seconds=7)) == 2
        assert reading.paid_turns(session, chat.id, after=now + timedelta(seconds=8)) == 1
        assert reading.paid_turns(session, floor["kept"].id) == 0


def test_lines_and_turns_go_by_their_order_however_the_table_is_read(ws, floor, lead):
    """By seq, also read from the table itself rather than its (chat, seq) index: the lines
    stored out of order, and on PostgreSQL the index scans off for the read (SQLite always
    reads them through that index)."""
    now, chat = ws.chats.clock(), floor["eva"]
    authors = {1: "operator", 2: "operator", 3: "visitor", 4: "visitor"}
    with ws.db.write(lead.operator_id) as session:
        for seq in (1, 3, 2, 4):  # stored as operator, visitor, operator, visitor
            session.add(_line(chat, seq, authors[seq], now + seq * timedelta(seconds=1)))
            session.flush()
    with ws.db.read() as session:
        if ws.db.engine.dialect.name == "postgresql":
            for scan in ("indexscan", "bitmapscan", "indexonlyscan"):
                session.execute(text(f"SET LOCAL enable_{scan} = off"))
        shown = reading.detail(session, session.get(Conversation, chat.id), now)
        turns = reading.paid_turns(session, chat.id)
    assert [(line.seq, line.author) for line in shown.lines] == sorted(authors.items())
    assert turns == 1  # one run of answers, however it was stored


def test_the_queue_shows_the_oldest_two_hundred(ws, lead):
    now = ws.chats.clock()
    with ws.db.write(lead.operator_id) as session:
        session.add_all(_chat(now - n * MINUTE, visitor_name=f"V{n}") for n in range(201))
    with ws.db.read() as session:
        shown = reading.queue(session, None)
    assert len(shown) == reading.QUEUE_SHOWN == 200
    assert (shown[0].visitor_name, shown[-1].visitor_name) == ("V200", "V1")


def test_chats_of_the_same_second_keep_their_order_by_id(ws, lead, jana):
    """Ties in time are broken by the id, not by the order the rows were stored in."""
    now = ws.chats.clock()
    first, second = _chat(now, visitor_name="First"), _chat(now, visitor_name="Second")
    mine_first = _chat(now, state="open", owner_id=jana.operator_id, visitor_name="Mine 1")
    mine_second = _chat(now, state="open", owner_id=jana.operator_id, visitor_name="Mine 2")
    letters = [_chat(now, channel="email", visitor_name="Letter")]
    with ws.db.write(lead.operator_id) as session:
        for chat in (second, first, mine_second, mine_first, *letters):  # stored backwards
            session.add(chat)
            session.flush()
        box = Mailbox(name="podpora")
        session.add(box)
        session.flush()
        _same_second_letters(session, box, letters[0], now)
    with ws.db.read() as session:
        queued = [chat.visitor_name for chat in reading.queue(session, None)]
        held = [chat.visitor_name for chat in reading.mine(session, jana.operator_id, now)]
        subject = next(c.topic for c in reading.queue(session, None) if c.channel == "email")
    assert (queued[:2], held, subject) == (["First", "Second"], ["Mine 1", "Mine 2"], "Earlier id")


def _same_second_letters(session, box: Mailbox, chat: Conversation, now) -> None:
    earlier_id, later_id = sorted([uuid.uuid4(), uuid.uuid4()])
    for seq, (letter_id, subject) in enumerate(
        [(later_id, "Later id"), (earlier_id, "Earlier id")]
    ):
        line = _line(chat, seq + 1, "visitor", now)
        session.add(line)
        session.flush()
        session.add(
            MailLetter(
                id=letter_id,
                conversation_id=chat.id,
                message_row_id=line.id,
                mailbox_id=box.id,
                direction="in",
                message_id=f"<tie{seq}@example.cz>",
                subject=subject,
                sent_at=now,
            )
        )
        session.flush()
