"""Who takes which chat (services/channels/assignment.py), rule by rule, on both databases:
the turn (given longest ago, then fewer open, then the name), who counts as present, a
department's chats, the queue's order, and what a hand-over writes down."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from cc_terminal.models import Conversation, Operator, WorkSession
from cc_terminal.models.tally import PauseReason
from cc_terminal.services.channels import assignment
from tests.channels.conftest import form, on_shift
from tests.channels.test_conversations import _key, _started, _state
from tests.helpers import rows


def test_the_turn_goes_to_whoever_was_given_a_chat_longest_ago(ws, chats, jana, petr, clock):
    """Jana took two chats long ago, Petr was given one since: the next is Jana's although
    she holds more."""
    _started(chats, 2)
    ws.chats.take_next(jana)
    ws.chats.take_next(jana)
    clock.advance(60)
    on_shift(ws, jana, petr)
    to_petr = chats.start(form(name="Third"))
    assert _state(ws, to_petr.conversation_id)[1] == petr.operator_id
    clock.advance(60)
    to_jana = chats.start(form(name="Fourth"))
    assert _state(ws, to_jana.conversation_id)[1] == jana.operator_id


def test_closing_a_chat_does_not_count_as_being_given_one(ws, chats, jana, petr, clock):
    on_shift(ws, jana, petr)
    first = chats.start(form())
    clock.advance(10)
    chats.start(form(name="Second"))  # Petr's
    clock.advance(10)
    ws.chats.close(jana, first.conversation_id, "advised")
    clock.advance(10)
    third = chats.start(form(name="Third"))
    assert _state(ws, third.conversation_id)[1] == jana.operator_id


def test_at_the_same_turn_the_one_holding_fewer_comes_first(ws, chats, jana, petr):
    """Both were given a chat at the same moment; Petr has closed his: the next is his,
    although Jana's name comes first."""
    on_shift(ws, jana, petr)
    chats.start(form())  # Jana's
    petrs = chats.start(form(name="Second"))
    assert _state(ws, petrs.conversation_id)[1] == petr.operator_id
    ws.chats.close(petr, petrs.conversation_id, "advised")
    third = chats.start(form(name="Third"))
    assert _state(ws, third.conversation_id)[1] == petr.operator_id


def test_a_round_gives_every_waiting_chat_there_is_a_place_for(ws, chats, jana, lead):
    assert ws.chats.assign_round_robin(lead) == 0  # nothing waits
    started = _started(chats, 3)
    assert ws.chats.assign_round_robin(lead) == 0  # nobody on shift: all wait
    ws.chats.set_limit(lead, jana.operator_id, 0)
    on_shift(ws, jana)  # present, but with no place
    assert {_state(ws, s.conversation_id) for s in started} == {("waiting", None)}
    with ws.db.write(lead.operator_id) as session:
        session.get(Operator, jana.operator_id).chat_limit = 3
    assert ws.chats.assign_round_robin(lead) == 3
    assert {_state(ws, s.conversation_id) for s in started} == {("assigned", jana.operator_id)}


def test_signing_in_is_given_the_waiting_chats_up_to_ones_limit(ws, chats, jana, lead):
    """Chats that started while nobody was signed in go to Jana as she signs in (the
    oldest first, as far as her limit goes); a letter waiting waits to be taken."""
    letter = _waiting_letter(ws, lead)
    ws.chats.set_limit(lead, jana.operator_id, 2)
    started = _started(chats, 3)
    ws.work_clock.begin(jana)
    assert [_state(ws, s.conversation_id) for s in started] == [
        ("assigned", jana.operator_id),
        ("assigned", jana.operator_id),
        ("waiting", None),
    ]
    assert _state(ws, letter) == ("waiting", None)
    reasons = rows(ws, "SELECT reason FROM conversation_assignment")
    assert reasons == [("assigned",), ("assigned",)]


def test_the_end_of_a_pause_is_given_what_came_during_it(ws, chats, jana, petr, clock):
    """Petr is on a pause when a chat starts: it waits; it is his when the pause ends."""
    on_shift(ws, petr)
    ws.work_clock.pause(petr, PauseReason.BREAK)
    started = chats.start(form())
    assert _state(ws, started.conversation_id) == ("waiting", None)
    clock.advance(60)
    ws.work_clock.resume(petr)
    assert _state(ws, started.conversation_id) == ("assigned", petr.operator_id)


def _waiting_letter(ws, lead) -> uuid.UUID:
    """A letter in the queue, as the mail loop stores one (its own tests: tests/channels/mail)."""
    with ws.db.write(lead.operator_id) as session:
        now = ws.chats.clock()
        row = Conversation(channel="email", visitor_name="Ema", created_at=now, last_message_at=now)
        session.add(row)
        session.flush()
        return row.id


def test_a_departments_chat_nobody_can_take_lets_the_next_chat_through(
    ws, chats, jana, petr, clock
):
    """The oldest chat waits for billing (Petr, not on shift); a newer one for anyone goes
    to Jana, and Petr, once on shift, takes billing's: written down with its department."""
    handed = chats.start(form())
    ws.chats.take_next(jana)
    ws.chats.transfer(jana, handed.conversation_id, to_department="billing")
    clock.advance(5)
    on_shift(ws, jana)
    newer = chats.start(form(name="Newer"))
    assert _state(ws, newer.conversation_id) == ("assigned", jana.operator_id)
    assert _state(ws, handed.conversation_id) == ("waiting", None)
    assert ws.chats.take_next(petr) == handed.conversation_id
    history = rows(
        ws,
        "SELECT operator_id, department, reason FROM conversation_assignment "
        "WHERE conversation_id = :id AND reason = 'taken' ORDER BY at DESC",
        id=_key(ws, handed.conversation_id),
    )
    who, where, why = history[0]
    assert (uuid.UUID(str(who)), where, why) == (petr.operator_id, "billing", "taken")


def test_the_queue_is_in_the_order_the_chats_started(ws, chats, jana, lead):
    """By the time a chat started, not by its id (another gateway's ids may sort
    otherwise): the chat made second but started first is taken first."""
    first, second = _started(chats, 2)
    with ws.db.write(lead.operator_id) as session:
        made_second = session.get(Conversation, second.conversation_id)
        assert made_second is not None
        made_second.created_at = made_second.created_at - timedelta(minutes=1)
    assert ws.chats.take_next(jana) == second.conversation_id
    assert ws.chats.take_next(jana) == first.conversation_id


def test_giving_a_chat_moves_its_version_on_by_one(ws, chats, jana):
    started = chats.start(form())
    key = _key(ws, started.conversation_id)
    query = "SELECT version FROM conversation WHERE id = :id"
    ((before,),) = rows(ws, query, id=key)
    ws.chats.take_next(jana)
    assert rows(ws, query, id=key) == [(before + 1,)]


def test_every_hand_over_moves_the_owner_epoch_on_by_one(ws, chats, jana, petr):
    """A floor keeps the earlier of two takes made apart by this count (sync/merge_rules.py):
    taken, handed to a colleague, handed to a department, each adds one."""
    started = chats.start(form())
    query = "SELECT owner_epoch FROM conversation WHERE id = :id"
    key = _key(ws, started.conversation_id)
    epochs = [rows(ws, query, id=key)[0][0]]
    ws.chats.take_next(jana)
    epochs += rows(ws, query, id=key)[0]
    ws.chats.transfer(jana, started.conversation_id, to_operator=petr.operator_id)
    epochs += rows(ws, query, id=key)[0]
    ws.chats.transfer(petr, started.conversation_id, to_department="technical")
    epochs += rows(ws, query, id=key)[0]
    assert epochs == [0, 1, 2, 3]


def test_signed_off_paused_or_limitless_people_are_not_present(ws, chats, jana, petr, lead):
    on_shift(ws, jana)
    ws.work_clock.end(jana)
    ws.work_clock.begin(petr)
    ws.work_clock.pause(petr, PauseReason.BREAK)
    on_shift(ws, lead)
    ws.chats.set_limit(lead, lead.operator_id, 0)
    assert not chats.someone_available("")
    assert ws.chats.colleagues(jana) == ()
    ws.work_clock.resume(petr)
    assert chats.someone_available("")
    assert [c.full_name for c in ws.chats.colleagues(jana)] == ["Petr Dvořák"]


def test_a_session_that_arrives_for_a_left_or_service_account_makes_nobody_present(
    ws, chats, jana, lead, gateway, clock
):
    """A floor's late sync may bring an open session of an account the lead has since
    deactivated; a service account never works a shift: neither takes chats."""
    ws.accounts.deactivate(lead, "jana")
    with ws.db.write(lead.operator_id) as session:
        for person in (jana, gateway):
            session.add(WorkSession(operator_id=person.operator_id, started_at=clock()))
    assert not chats.someone_available("")
    started = chats.start(form())
    assert _state(ws, started.conversation_id) == ("waiting", None)


def test_colleagues_say_who_they_are_where_and_what_they_hold(ws, chats, jana, petr):
    on_shift(ws, petr)
    chats.start(form())  # Petr's
    (colleague,) = ws.chats.colleagues(jana)
    assert (colleague.id, colleague.department, colleague.held, colleague.limit) == (
        petr.operator_id,
        "billing",
        1,
        3,
    )


def test_a_full_operator_has_no_place(ws, chats, jana, lead):
    ws.chats.set_limit(lead, jana.operator_id, 1)
    with ws.db.write(lead.operator_id) as session:
        assert assignment.has_place(session, jana.operator_id)
    chats.start(form())
    ws.chats.take_next(jana)
    with ws.db.write(lead.operator_id) as session:
        assert not assignment.has_place(session, jana.operator_id)
        operator = session.get(Operator, jana.operator_id)
        assert operator is not None and operator.chat_limit == 1


def test_a_visitor_sees_the_first_name_only():
    assert assignment.first_name("  Jana   Svobodová ") == "Jana"
    assert assignment.first_name("   ") == ""


def test_a_chat_given_as_it_starts_is_stored_given_in_one_insert(ws, chats, jana):
    """Nothing waits and Jana has a place: the chat's row is written once, already hers
    (no waiting row changed after: the queue never moved), with its history row and the
    joined line. A chat that starts while another waits goes through round-robin behind
    it, as before."""
    on_shift(ws, jana)
    given = chats.start(form())
    key = _key(ws, given.conversation_id)
    ops = [
        (kind, json.loads(changes))
        for kind, row_id, changes in rows(
            ws, "SELECT kind, row_id, changes FROM outbox_op WHERE entity = 'conversation'"
        )
        if uuid.UUID(str(row_id)) == given.conversation_id
    ]
    assert [kind for kind, _ in ops] == ["insert"]
    assert ops[0][1]["state"] == "assigned"
    assert uuid.UUID(ops[0][1]["owner_id"]) == jana.operator_id
    history = "SELECT reason FROM conversation_assignment WHERE conversation_id = :id"
    assert rows(ws, history, id=key) == [("assigned",)]
    said = "SELECT author FROM conversation_message WHERE conversation_id = :id"
    assert rows(ws, said, id=key) == [("system",)]
    assert _state(ws, given.conversation_id) == ("assigned", jana.operator_id)

    ws.chats.transfer(jana, given.conversation_id, to_department="billing")  # waits now
    behind = chats.start(form(name="Behind"))  # nobody does billing: this one to Jana
    assert _state(ws, behind.conversation_id) == ("assigned", jana.operator_id)
    assert _state(ws, given.conversation_id) == ("waiting", None)
    assert len(rows(ws, history, id=_key(ws, behind.conversation_id))) == 1


def test_a_chat_starting_behind_a_waiting_letter_is_given_round_robin_behind_it(
    ws, chats, jana, lead
):
    """A letter waits (letters wait to be taken) while Jana has one place: a chat that
    starts now is not given at once past it; round-robin gives the oldest first, as it
    always did at a start, so the letter is hers and the chat waits."""
    letter = _waiting_letter(ws, lead)
    ws.chats.set_limit(lead, jana.operator_id, 1)
    on_shift(ws, jana)
    assert _state(ws, letter) == ("waiting", None)
    started = chats.start(form())
    assert _state(ws, letter) == ("assigned", jana.operator_id)
    assert _state(ws, started.conversation_id) == ("waiting", None)
