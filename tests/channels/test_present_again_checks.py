"""The sign-in's round-robin (WorkClock.on_present -> Conversations.present_again), a
second write after the sign-in's own. Whatever makes it fail is logged and the sign-in
stands (services/tally/work_sessions.py says so): here the store itself refuses the
hand-over's history row with a trigger, which the driver reports as an integrity error
(SQLite) or a raised exception (PostgreSQL), neither "busy" nor "unavailable". Two
sign-ins at the same moment give each waiting chat once and keep each one's limit.
SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from cc_terminal.models import WorkSession
from tests.channels.test_conversations import _started, _state
from tests.helpers import rows

REFUSE_ON_SQLITE = (
    "CREATE TRIGGER refuse_assignment BEFORE INSERT ON conversation_assignment "
    "BEGIN SELECT RAISE(ABORT, 'assignments refused'); END",
)
REFUSE_ON_POSTGRESQL = (
    "CREATE FUNCTION refuse_assignment() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'assignments refused'; END $$",
    "CREATE TRIGGER refuse_assignment BEFORE INSERT ON conversation_assignment "
    "FOR EACH ROW EXECUTE FUNCTION refuse_assignment()",
)


def test_a_round_robin_the_store_refuses_does_not_fail_the_sign_in(ws, chats, jana, lead):
    ws.chats.set_limit(lead, jana.operator_id, 2)
    (started,) = _started(chats, 1)
    sqlite = ws.db.engine.dialect.name == "sqlite"
    with ws.db.engine.begin() as connection:
        for statement in REFUSE_ON_SQLITE if sqlite else REFUSE_ON_POSTGRESQL:
            connection.exec_driver_sql(statement)
    ws.work_clock.begin(jana)
    assert _state(ws, started.conversation_id) == ("waiting", None)
    with ws.db.read() as session:
        signed_in = session.query(WorkSession).filter_by(operator_id=jana.operator_id).all()
    assert [row.ended_at for row in signed_in] == [None]


def test_two_sign_ins_at_once_give_each_chat_once_and_keep_each_limit(ws, chats, jana, petr, lead):
    """Jana and Petr sign in at the same moment, each on their own thread (connection):
    the three waiting chats go out once each, one to each of them (limit 1)."""
    for person in (jana, petr):
        ws.chats.set_limit(lead, person.operator_id, 1)
    started = _started(chats, 3)
    together = threading.Barrier(2)
    failures: list[BaseException] = []

    def sign_in(person) -> None:
        try:
            together.wait(30)
            ws.work_clock.begin(person)
        except BaseException as error:  # reported by the test
            failures.append(error)

    threads = [threading.Thread(target=sign_in, args=(p,)) for p in (jana, petr)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    owners = [_state(ws, s.conversation_id)[1] for s in started]
    assert sorted(map(str, filter(None, owners))) == sorted(
        [str(jana.operator_id), str(petr.operator_id)]
    )
    given = rows(ws, "SELECT conversation_id FROM conversation_assignment")
    assert len(given) == len(set(given)) == 2
