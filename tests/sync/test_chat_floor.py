"""The chat gateway as one more member of a folder floor (issue 26): its own SQLite store
and data folder, joined like any terminal, writing as its service account; a visitor's chat
reaches the terminals by sync and the operator's answer comes back the same way. Two takes
of one waiting chat made apart: the earlier keeps it on every member. Lines written apart
on two members never collide nor double. A gateway stopped between storing a line and
publishing it loses nothing and doubles nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import Conversation, ConversationMessage
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.views import TakenElsewhere
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts, open_service
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE
from tests.channels.conftest import form
from tests.sync.kit import Floor, Terminal

GATEWAY = "chat-gateway"


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _floor_with_gateway(floor: Floor, tmp_path: Path) -> tuple[Terminal, Terminal, Terminal]:
    """t1 (seeded, the lead made the floor and the gateway's account), t2, and gw: a member
    that starts empty, as ``floor join`` makes it, then gets the account by sync."""
    t1, t2, gw = floor.add("t1", seed=True), floor.add("t2"), floor.add("gw")
    lead = t1.actor("lead")
    ServiceAccounts(t1.ws.db).add(lead, GATEWAY, ",".join(CHAT_GATEWAY_SCOPE), _key(tmp_path))
    for name in ("jana", "petr"):
        t1.ws.chats.set_limit(lead, t1.actor(name).operator_id, 3)
    floor.settle()
    return t1, t2, gw


def _key(tmp_path: Path) -> Path:
    return tmp_path / "gw.pem"


def _visitors(gw: Terminal, tmp_path: Path) -> VisitorChats:
    """The gateway's service on its own store, signing as its account (``chat serve``)."""
    account = open_service(gw.ws.db, GATEWAY, _key(tmp_path))
    return VisitorChats(gw.ws.db, utcnow, Actor(account, GATEWAY, GATEWAY, "service"))


def _conversation(member: Terminal, conversation_id: uuid.UUID) -> Conversation:
    with member.ws.db.read() as session:
        found = session.get(Conversation, conversation_id)
        assert found is not None
        session.expunge(found)
        return found


def _lines(member: Terminal, conversation_id: uuid.UUID) -> list[tuple[str, str]]:
    """(author, text) of every line, in the member's order."""
    query = (
        select(ConversationMessage.author, ConversationMessage.text)
        .where(ConversationMessage.conversation_id == conversation_id)
        .order_by(ConversationMessage.seq)
    )
    with member.ws.db.read() as session:
        return [(row[0], row[1]) for row in session.execute(query)]


def _issues(member: Terminal) -> list[str]:
    with member.ws.db.connect() as connection:
        rows = connection.exec_driver_sql("SELECT kind, detail FROM sync_issue").all()
    return [f"{row[0]}: {row[1]}" for row in rows]


def test_a_visitor_chat_crosses_the_floor_and_the_answer_comes_back(
    floor: Floor, tmp_path: Path
) -> None:
    t1, _t2, gw = _floor_with_gateway(floor, tmp_path)
    visitors = _visitors(gw, tmp_path)
    started = visitors.start(form())
    visitors.post(started.token, "v-1", "Is my invoice paid?")
    jana = t1.actor("jana")
    assert t1.ws.chats.take_next(jana) is None  # not synced yet: nothing waits on t1

    floor.settle()
    assert t1.ws.chats.take_next(jana) == started.conversation_id
    shown = t1.ws.chats.detail(jana, started.conversation_id)
    assert [line.text for line in shown.lines if line.author == "visitor"] == [
        "Is my invoice paid?"
    ]
    t1.ws.chats.send(jana, started.conversation_id, "o-1", "Yes, on Monday.")
    assert [line.text for line in visitors.lines_after(started.token, 1)] == []  # not yet

    floor.settle()
    seen = visitors.lines_after(started.token, 1)
    assert [(line.author, line.text, line.operator_label) for line in seen] == [
        ("system", "Jana joined the chat.", ""),
        ("operator", "Yes, on Monday.", "Jana"),
    ]
    floor.settle()  # the delivered marks the gateway wrote reach the terminal
    assert _conversation(t1, started.conversation_id).owner_id == jana.operator_id
    answer = [line for line in t1.ws.chats.detail(jana, started.conversation_id).lines][-1]
    assert answer.text == "Yes, on Monday." and answer.delivered
    assert _issues(t1) == _issues(gw) == []


def test_two_takes_made_apart_the_earlier_keeps_the_chat_everywhere(
    floor: Floor, tmp_path: Path
) -> None:
    t1, t2, gw = _floor_with_gateway(floor, tmp_path)
    visitors = _visitors(gw, tmp_path)
    started = visitors.start(form())
    floor.settle()
    jana, petr = t1.actor("jana"), t2.actor("petr")
    assert t1.ws.chats.take_next(jana) == started.conversation_id  # first, by the clock
    assert t2.ws.chats.take_next(petr) == started.conversation_id  # apart: it still waits
    t2.ws.chats.send(petr, started.conversation_id, "p-1", "Petr here, how can I help?")

    # t2 learns of the earlier take before t1 of the later one: the rule, not the order
    t2.round(), gw.round(), t1.round()
    floor.settle()
    for member in (t1, t2, gw):
        held = _conversation(member, started.conversation_id)
        assert (held.owner_id, held.owner_epoch, held.state) == (jana.operator_id, 1, "open")
    assert [chat.id for chat in t1.ws.chats.mine(jana)] == [started.conversation_id]
    assert t2.ws.chats.mine(petr) == ()
    # what Petr wrote before he knew is kept, once, and the visitor has it
    texts = [line.text for line in visitors.lines_after(started.token, 0)]
    assert texts.count("Petr here, how can I help?") == 1
    assert sorted(_lines(t1, started.conversation_id)) == sorted(
        _lines(gw, started.conversation_id)
    )
    assert _issues(t1) == _issues(t2) == _issues(gw) == []
    # F8 on t2 tells Petr why the chat left his list; Jana is told nothing
    gone = t2.ws.chats.went_elsewhere(petr, [started.conversation_id])
    assert gone == (TakenElsewhere("Eva Malá", "Jana Svobodová"),)
    assert t1.ws.chats.went_elsewhere(jana, [started.conversation_id]) == ()
    # a chat one handed over oneself is no news
    t1.ws.chats.transfer(jana, started.conversation_id, to_operator=petr.operator_id)
    floor.settle()
    assert t1.ws.chats.went_elsewhere(jana, [started.conversation_id]) == ()
    assert _conversation(gw, started.conversation_id).owner_epoch == 2


@pytest.mark.parametrize("order", [("t1", "t2", "t3"), ("t3", "t2", "t1"), ("t2", "t3", "t1")])
def test_three_takes_made_apart_settle_on_the_earliest_in_any_order(
    floor: Floor, tmp_path: Path, order: tuple[str, ...]
) -> None:
    t1, t2, gw = _floor_with_gateway(floor, tmp_path)
    t3 = floor.add("t3")
    t1.ws.chats.set_limit(t1.actor("lead"), t1.actor("lead").operator_id, 3)
    started = _visitors(gw, tmp_path).start(form())
    floor.settle()
    takers = {"t1": (t1, "jana"), "t2": (t2, "petr"), "t3": (t3, "lead")}
    for name in ("t3", "t1", "t2"):  # the lead on t3 first, by the clock
        member, who = takers[name]
        assert member.ws.chats.take_next(member.actor(who)) == started.conversation_id
    for name in order:  # the takes reach the share, and one another, in this order
        takers[name][0].round()
    floor.settle()
    lead = t3.actor("lead").operator_id
    for member in (t1, t2, t3, gw):
        assert _conversation(member, started.conversation_id).owner_id == lead
    assert _issues(t1) == _issues(t2) == _issues(t3) == _issues(gw) == []


def test_a_hand_over_after_a_losing_take_still_counts_for_its_epoch(
    floor: Floor, tmp_path: Path
) -> None:
    """Petr took second and, before he heard of Jana's take, handed the chat to a
    department: a later change of holder (a higher epoch) wins over the earlier take."""
    t1, t2, gw = _floor_with_gateway(floor, tmp_path)
    started = _visitors(gw, tmp_path).start(form())
    floor.settle()
    jana, petr = t1.actor("jana"), t2.actor("petr")
    t1.ws.chats.take_next(jana)
    t2.ws.chats.take_next(petr)
    t2.ws.chats.transfer(petr, started.conversation_id, to_department="technical")
    floor.settle()
    for member in (t1, t2, gw):
        held = _conversation(member, started.conversation_id)
        assert (held.owner_id, held.department, held.state, held.owner_epoch) == (
            None,
            "technical",
            "waiting",
            2,
        )


def test_lines_written_apart_on_two_members_are_all_kept_once(floor: Floor, tmp_path: Path) -> None:
    t1, _t2, gw = _floor_with_gateway(floor, tmp_path)
    visitors = _visitors(gw, tmp_path)
    started = visitors.start(form())
    floor.settle()
    jana = t1.actor("jana")
    t1.ws.chats.take_next(jana)
    floor.settle()
    seen = visitors.lines_after(started.token, 0)
    last = seen[-1].seq
    # the same next number on both members: the visitor's line and the operator's
    visitors.post(started.token, "v-2", "Hello?")
    t1.ws.chats.send(jana, started.conversation_id, "o-2", "Hello, Jana here.")
    floor.settle()

    after = visitors.lines_after(started.token, last)
    assert [(line.author, line.text) for line in after] == [
        ("visitor", "Hello?"),
        ("operator", "Hello, Jana here."),
    ]
    assert sorted(_lines(t1, started.conversation_id)) == sorted(
        _lines(gw, started.conversation_id)
    )
    assert _issues(t1) == _issues(gw) == []


def test_a_gateway_stopped_before_it_published_loses_and_doubles_nothing(
    floor: Floor, tmp_path: Path
) -> None:
    t1, _t2, gw = _floor_with_gateway(floor, tmp_path)
    started = _visitors(gw, tmp_path).start(form())
    floor.settle()
    _visitors(gw, tmp_path).post(started.token, "v-1", "Are you there?")
    gw = floor.reopen(gw)  # the process ended after the commit, before any round
    # the visitor had no acknowledgement and sends the same line again
    line = _visitors(gw, tmp_path).post(started.token, "v-1", "Are you there?")
    floor.settle()

    for member in (t1, gw):
        assert _lines(member, started.conversation_id).count(("visitor", "Are you there?")) == 1
    assert line.seq == 1
    assert _issues(t1) == _issues(gw) == []


async def test_f8_says_why_a_chat_left_when_an_earlier_take_arrives(
    floor: Floor, tmp_path: Path
) -> None:
    from cc_terminal.app import CCTerminal
    from cc_terminal.screens.channels.chats import ChatScreen
    from tests.sync.kit import floor_settings
    from tests.tui import sign_in, wait_until

    t1, t2, gw = _floor_with_gateway(floor, tmp_path)
    started = _visitors(gw, tmp_path).start(form())
    floor.settle()
    assert t1.ws.chats.take_next(t1.actor("jana")) == started.conversation_id
    assert t2.ws.chats.take_next(t2.actor("petr")) == started.conversation_id
    t2.close()
    app = CCTerminal(floor_settings(floor, t2))
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "petr")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen))
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        await wait_until(pilot, lambda: len(screen.seen.mine) == 1)
        t1.round()  # Jana's earlier take reaches the share; Petr's terminal syncs it
        await wait_until(pilot, lambda: screen.seen.mine == ())
        told = "Jana Svobodová took the chat with Eva Malá first, on another terminal"
        await wait_until(pilot, lambda: any(told in str(n.message) for n in app._notifications))


def test_the_gateway_gives_a_waiting_chat_when_a_sign_in_reaches_it(
    floor: Floor, tmp_path: Path
) -> None:
    """A chat starts on the gateway while nobody is signed in; Petr signs in on t2 before
    the chat reached it. The gateway's round that brings his work session gives him the
    chat, and the next rounds bring it to his terminal."""
    from cc_terminal.channels.chat.floor import FloorPace

    _t1, t2, gw = _floor_with_gateway(floor, tmp_path)
    visitors = _visitors(gw, tmp_path)
    started = visitors.start(form())
    assert _conversation(gw, started.conversation_id).owner_id is None
    petr = t2.actor("petr")
    t2.ws.work_clock.begin(petr)  # his store has no chat yet: nothing to give there
    t2.round()
    woken: list[str] = []
    pace = FloorPace(gw.sync, 60.0, lambda: woken.append("hub"), present=visitors.present_again)
    pace.round()
    assert _conversation(gw, started.conversation_id).owner_id == petr.operator_id
    assert woken == ["hub"]  # the visitor's socket hears who joined
    floor.settle()
    assert [chat.id for chat in t2.ws.chats.mine(petr)] == [started.conversation_id]
    assert _issues(t2) == _issues(gw) == []
