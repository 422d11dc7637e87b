"""The operator's side of chats (services/channels/conversations.py) on both databases:
taking the next within one's limit, round-robin, answering and notes, reading marks,
handing over, closing into the ledger and the tally, the lead's limits, the badge."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.models import Conversation
from cc_terminal.models.tally import PauseReason
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tests.channels.conftest import form, on_shift
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows


def _started(chats, count=1, **changes):
    return [chats.start(form(name=f"Visitor {n}", **changes)) for n in range(count)]


def _state(ws, conversation_id):
    (found,) = rows(
        ws, "SELECT state, owner_id FROM conversation WHERE id = :id", id=_key(ws, conversation_id)
    )
    owner = found[1] if found[1] is None else uuid.UUID(str(found[1]))
    return found[0], owner


def _key(ws, value: uuid.UUID) -> object:
    return value.hex if ws.db.engine.dialect.name == "sqlite" else value


def test_take_next_takes_the_oldest_up_to_the_limit(ws, chats, jana, lead, clock):
    assert ws.chats.take_next(jana) is None  # nothing waits
    ws.chats.set_limit(lead, jana.operator_id, 2)
    audited = "SELECT kind, subject, detail FROM audit_event WHERE kind = 'account.chat_limit'"
    assert rows(ws, audited) == [("account.chat_limit", "jana", "2")]
    first, second, third = _started(chats, 3)
    assert ws.chats.take_next(jana) == first.conversation_id
    assert ws.chats.take_next(jana) == second.conversation_id
    with pytest.raises(ConflictError, match="2 open chats, your limit is 2"):
        ws.chats.take_next(jana)
    assert _state(ws, third.conversation_id) == ("waiting", None)
    assert [c.id for c in ws.chats.mine(jana)] == [first.conversation_id, second.conversation_id]
    assert [c.id for c in ws.chats.queue(jana)] == [third.conversation_id]


def test_round_robin_gives_in_turn_to_present_operators_with_a_place(ws, chats, jana, petr, clock):
    on_shift(ws, jana, petr)
    given = []
    for started in _started(chats, 4):
        given.append(_state(ws, started.conversation_id)[1])
        clock.advance(1)
    assert given == [jana.operator_id, petr.operator_id, jana.operator_id, petr.operator_id]


def test_an_answer_is_stored_once_and_is_the_first_response(ws, chats, jana, petr, clock):
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)
    clock.advance(30)
    answer = ws.chats.send(jana, started.conversation_id, "o1", "Good morning, how can I help?")
    again = ws.chats.send(jana, started.conversation_id, "o1", "Good morning, how can I help?")
    assert answer.seq == again.seq
    ((state, first_response),) = rows(ws, "SELECT state, first_response_at FROM conversation")
    assert state == "open" and first_response is not None
    with pytest.raises(PermissionDenied):
        ws.chats.send(petr, started.conversation_id, "p1", "Hi from Petr")
    with pytest.raises(ValidationFailed):
        ws.chats.send(jana, started.conversation_id, "o2", "\x1b[2J")
    seen = [line.text for line in chats.lines_after(started.token, 1)]
    assert seen == ["Jana joined the chat.", "Good morning, how can I help?"]


def test_notes_are_for_colleagues_and_reading_marks_the_visitors_lines(ws, chats, jana):
    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    chats.post(started.token, "v2", "My bill is wrong")
    ws.chats.take_next(jana)
    assert [c.unread for c in ws.chats.mine(jana)] == [2]
    ws.chats.note(jana, started.conversation_id, "Check the March invoice")
    shown = ws.chats.detail(jana, started.conversation_id)
    assert [(line.author, line.text) for line in shown.lines] == [
        ("visitor", "Hello"),
        ("visitor", "My bill is wrong"),
        ("system", "Jana joined the chat."),
        ("note", "Check the March invoice"),
    ]
    assert [c.unread for c in ws.chats.mine(jana)] == [0]
    assert "Check the March invoice" not in [x.text for x in chats.lines_after(started.token, 0)]
    assert all(line.read for line in chats.lines_after(started.token, 0) if line.seq <= 2)


def test_a_colleagues_chat_is_not_read_by_another_operator(ws, chats, jana, petr, lead):
    started = chats.start(form())
    ws.chats.take_next(jana)
    with pytest.raises(PermissionDenied):
        ws.chats.detail(petr, started.conversation_id)
    assert ws.chats.detail(lead, started.conversation_id).owner_id == jana.operator_id
    with pytest.raises(NotFound):
        ws.chats.detail(jana, uuid.uuid4())


def test_a_chat_is_handed_to_a_colleague_with_a_place_or_to_a_department(
    ws, chats, jana, petr, lead
):
    started = chats.start(form())
    ws.chats.take_next(jana)
    ws.chats.set_limit(lead, petr.operator_id, 0)
    with pytest.raises(ValidationFailed, match="Petr Dvořák has no free place"):
        ws.chats.transfer(jana, started.conversation_id, to_operator=petr.operator_id)
    ws.chats.set_limit(lead, petr.operator_id, 3)
    ws.chats.transfer(jana, started.conversation_id, to_operator=petr.operator_id)
    assert _state(ws, started.conversation_id) == ("assigned", petr.operator_id)
    ws.chats.transfer(petr, started.conversation_id, to_department="technical")
    assert _state(ws, started.conversation_id) == ("waiting", None)
    assert ws.chats.take_next(jana) is None  # contact centre: not hers now
    assert [c.id for c in ws.chats.queue(lead)] == [started.conversation_id]
    with pytest.raises(ValidationFailed):
        ws.chats.transfer(lead, started.conversation_id, to_department="nowhere")
    history = rows(ws, "SELECT reason FROM conversation_assignment ORDER BY at, reason")
    assert sorted(reason for (reason,) in history) == ["taken", "transfer", "transfer"]
    told = [line.text for line in chats.lines_after(started.token, 0)]
    assert told[-1] == "You are being handed to a colleague; please wait a moment."


def test_closing_writes_the_chats_call_with_the_messages_it_pays(ws, chats, jana, clock):
    started = chats.start(form(contact=KNOWN_PHONE, topic="billing"))
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)
    ws.chats.send(jana, started.conversation_id, "o1", "Hello,")
    ws.chats.send(jana, started.conversation_id, "o2", "how can I help?")  # the same turn
    chats.post(started.token, "v2", "My bill")
    ws.chats.note(jana, started.conversation_id, "a note is not paid")
    ws.chats.send(jana, started.conversation_id, "o3", "Let me look.")
    clock.advance(120)
    with pytest.raises(ValidationFailed):
        ws.chats.close(jana, started.conversation_id, "nonsense")
    ws.chats.close(jana, started.conversation_id, "resolved")
    ((channel, reason, outcome, messages, talk, phone),) = rows(
        ws,
        "SELECT channel, reason, outcome, messages, talk_seconds, phone_e164 FROM call "
        "WHERE channel = 'chat'",
    )
    assert (channel, reason, outcome, messages, talk, phone) == (
        "chat",
        "billing",
        "resolved",
        2,
        120,
        KNOWN_PHONE,
    )
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    assert card.timeline[0].record_id == started.conversation_id
    assert ws.chats.mine(jana) == ()
    with pytest.raises(ConflictError):
        ws.chats.send(jana, started.conversation_id, "o4", "one more")
    told = chats.lines_after(started.token, 0)[-1].text
    assert told == "The chat has ended. Thank you for writing to us."


def test_a_freed_place_takes_the_next_waiting_chat(ws, chats, jana, lead):
    ws.chats.set_limit(lead, jana.operator_id, 1)
    on_shift(ws, jana)
    first, second = _started(chats, 2)
    assert _state(ws, second.conversation_id) == ("waiting", None)
    ws.chats.close(jana, first.conversation_id, "advised")
    assert _state(ws, second.conversation_id) == ("assigned", jana.operator_id)


def test_only_a_lead_sets_the_limit_and_within_bounds(ws, chats, jana, lead):
    with pytest.raises(PermissionDenied):
        ws.chats.set_limit(jana, jana.operator_id, 9)
    with pytest.raises(ValidationFailed):
        ws.chats.set_limit(lead, jana.operator_id, 100)
    ws.chats.set_limit(lead, jana.operator_id, 0)
    on_shift(ws, jana)
    started = chats.start(form())
    assert _state(ws, started.conversation_id) == ("waiting", None)
    ws.chats.set_limit(lead, jana.operator_id, 5)
    assert _state(ws, started.conversation_id) == ("assigned", jana.operator_id)


def test_the_queue_masks_contacts_and_names_known_customers(ws, chats, jana, clock):
    chats.start(form(contact=KNOWN_PHONE))
    clock.advance(90)
    chats.start(form(contact="eva.mala@example.cz"))
    clock.advance(30)
    queued = ws.chats.queue(jana)
    assert [(q.contact_masked, q.customer_name) for q in queued] == [
        ("+420 *** *** 456", "Jan Novák"),
        ("e***@example.cz", ""),
    ]
    summary = ws.chats.waiting_summary()
    assert (summary.count, summary.longest_seconds) == (2, 120)
    letter_since = clock.now - timedelta(hours=5)
    with ws.db.write(None) as session:  # a letter waits in F8's queue, not in the badge
        session.add(
            Conversation(channel="email", created_at=letter_since, last_message_at=letter_since)
        )
    assert ws.chats.waiting_summary() == summary


@pytest.mark.postgres
def test_two_terminals_never_take_the_same_chat(pg_url, tmp_path, clock):
    """A chat another transaction holds (being taken right now) is skipped, not waited
    for: the second terminal takes the next one at once."""
    from sqlalchemy import create_engine, text

    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation
    from tests.channels.conftest import gateway_of
    from tests.conftest import login

    ws = open_workstation(Settings(db_url=pg_url, data_dir=tmp_path), clock=clock)
    try:
        chats = gateway_of(ws, login(ws, "lead"), tmp_path)
        first, second = _started(chats, 2)
        other = create_engine(pg_url)
        with other.begin() as held:
            held.execute(
                text("SELECT id FROM conversation WHERE id = :id FOR UPDATE"),
                {"id": first.conversation_id},
            )
            assert ws.chats.take_next(login(ws, "jana")) == second.conversation_id
        other.dispose()
        assert ws.chats.take_next(login(ws, "petr")) == first.conversation_id
    finally:
        ws.close()


def test_colleagues_are_the_present_others_with_their_chats(ws, chats, jana, petr, lead):
    assert ws.chats.colleagues(jana) == ()
    on_shift(ws, jana, petr, lead)
    chats.start(form())
    named = [(c.full_name, c.held, c.limit) for c in ws.chats.colleagues(jana)]
    assert named == [("Lída Vedoucí", 0, 3), ("Petr Dvořák", 0, 3)]
    ws.work_clock.pause(petr, PauseReason.LUNCH)
    assert [c.full_name for c in ws.chats.colleagues(jana)] == ["Lída Vedoucí"]


@pytest.mark.postgres
def test_a_terminal_taking_a_chat_holds_only_that_one(pg_url, tmp_path, clock, monkeypatch):
    """While one terminal gives itself the oldest chat, another takes the next at once: the
    first locks only the chat it takes (LIMIT 1 with SKIP LOCKED), not the one after it."""
    from cc_terminal.config import Settings
    from cc_terminal.services.channels import assignment
    from cc_terminal.services.workstation import open_workstation
    from tests.channels.conftest import gateway_of
    from tests.conftest import login

    ws = open_workstation(Settings(db_url=pg_url, data_dir=tmp_path), clock=clock)
    try:
        chats = gateway_of(ws, login(ws, "lead"), tmp_path)
        first, second = _started(chats, 2)
        give, meanwhile, taken_meanwhile = assignment.give, [login(ws, "petr")], []

        def give_while_another_takes(session, conversation, *args):
            if meanwhile:  # within the first take's transaction, its locks held
                taken_meanwhile.append(ws.chats.take_next(meanwhile.pop()))
            return give(session, conversation, *args)

        monkeypatch.setattr(assignment, "give", give_while_another_takes)
        assert ws.chats.take_next(login(ws, "jana")) == first.conversation_id
        assert taken_meanwhile == [second.conversation_id]
    finally:
        ws.close()


@pytest.mark.postgres
def test_a_chat_the_visitor_is_leaving_is_not_taken_meanwhile(pg_url, tmp_path, clock, monkeypatch):
    """The visitor's leave locks the chat's row (by_token's lock): a terminal taking the
    next chat meanwhile skips it, and does not take a chat that is being closed."""
    from cc_terminal.config import Settings
    from cc_terminal.services.channels import lines
    from cc_terminal.services.workstation import open_workstation
    from tests.channels.conftest import gateway_of
    from tests.conftest import login

    ws = open_workstation(Settings(db_url=pg_url, data_dir=tmp_path), clock=clock)
    try:
        chats = gateway_of(ws, login(ws, "lead"), tmp_path)
        (leaving,) = _started(chats, 1)
        by_token, meanwhile, taken_meanwhile = lines.by_token, [login(ws, "jana")], []

        def found_while_a_terminal_takes(session, token, words, *, lock=False):
            conversation = by_token(session, token, words, lock=lock)
            if meanwhile:  # within the leave's transaction
                taken_meanwhile.append(ws.chats.take_next(meanwhile.pop()))
            return conversation

        monkeypatch.setattr(lines, "by_token", found_while_a_terminal_takes)
        chats.close_by_visitor(leaving.token)
        assert taken_meanwhile == [None]
        assert _state(ws, leaving.conversation_id) == ("closed", None)
    finally:
        ws.close()


@pytest.mark.postgres
def test_terminals_hear_of_a_new_chat_and_its_lines(pg_url, tmp_path, clock):
    """Server mode: a visitor's chat wakes the other terminals (LISTEN/NOTIFY): their
    header's badge and chat area read again at once, not at the next poll."""
    import threading

    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation
    from cc_terminal.store.notify import ChangeListener
    from tests.channels.conftest import gateway_of
    from tests.conftest import login

    heard: set[str] = set()
    got = threading.Event()

    def on_change(notice) -> None:
        heard.add(notice.entity)
        got.set()

    listener = ChangeListener(pg_url, on_change, lambda _why: None, lambda: None)
    listener.start()
    ws = open_workstation(Settings(db_url=pg_url, data_dir=tmp_path), clock=clock)
    try:
        gateway = gateway_of(ws, login(ws, "lead"), tmp_path)
        for attempt in range(50):  # the listener connects in its own thread
            chat = gateway.start(form(name=f"Visitor {attempt}"))
            gateway.post(chat.token, "v1", "Hello")
            if got.wait(0.2) and {"conversation", "conversation_message"} <= heard:
                break
        assert {"conversation", "conversation_message"} <= heard
    finally:
        listener.stop()
        ws.close()


def test_a_closed_chat_counts_in_the_tally_with_the_messages_it_pays(ws, chats, jana, clock):
    from cc_terminal.screens.tally.views import _chat_rows
    from cc_terminal.services.tally.periods import day_of

    started = chats.start(form())
    chats.post(started.token, "v1", "Hello")
    ws.chats.take_next(jana)
    ws.chats.send(jana, started.conversation_id, "o1", "Hello,")
    ws.chats.send(jana, started.conversation_id, "o2", "how can I help?")
    chats.post(started.token, "v2", "My bill")
    ws.chats.send(jana, started.conversation_id, "o3", "Let me look.")
    ws.chats.close(jana, started.conversation_id, "resolved")
    report = ws.tally.report(jana, day_of(clock.now.date()))
    kpis = report.current.kpis
    assert (kpis.handled, kpis.chats, kpis.valid_messages) == (1, 1, 2)
    rows = _chat_rows(kpis, report.previous.kpis)
    assert [(str(r[0]), str(r[1])) for r in rows] == [
        ("· chats", "1"),
        ("· chats per hour", "—"),  # not signed in: no paid hour
        ("· first response (from the chat reaching you)", "0 min 00 s"),
        ("· chat messages paid (one per customer turn)", "2"),
    ]


def test_the_tally_counts_chats_an_hour_and_the_wait_for_a_first_answer(
    ws, chats, jana, lead, clock
):
    """The wait is from the chat reaching the operator (given or taken), not from its
    start: a chat that waited in the queue first is not the operator's wait. The first
    answer counts for whoever wrote it; chats an hour are of the paid hours."""
    from cc_terminal.services.tally.periods import day_of

    ws.chats.set_limit(lead, jana.operator_id, 3)
    queued = chats.start(form())  # nobody on shift yet: it waits in the queue
    chats.post(queued.token, "v1", "Hello")
    clock.advance(600)
    ws.work_clock.begin(jana)  # her sign-in gives her the waiting chat
    clock.advance(30)
    ws.chats.send(jana, queued.conversation_id, "o1", "Hello, sorry for the wait.")
    clock.advance(60)
    ws.chats.send(jana, queued.conversation_id, "o2", "How can I help?")  # not a first
    given = chats.start(form(name="Petr Novák"))  # given to her as it starts
    clock.advance(90)
    ws.chats.send(jana, given.conversation_id, "o3", "Good morning.")
    for started in (queued, given):
        ws.chats.close(jana, started.conversation_id, "resolved")
    clock.advance(3600 - 180)  # an hour signed in
    kpis = ws.tally.report(jana, day_of(clock.now.date())).current.kpis
    assert kpis.first_answers == (2, 30 + 90)
    assert kpis.first_response_seconds_each == 60
    assert kpis.chats_per_hour == 2.0
