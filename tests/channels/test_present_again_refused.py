"""The sign-in's round-robin (WorkClock.on_present -> Conversations.present_again) is a
second write after the sign-in's own: whatever makes it fail is logged, and the sign-in
stands (services/tally/work_sessions.py says so). Here the store itself refuses the
hand-over's history row with a trigger, as an append-only table's trigger refuses a
change, which the driver reports as an integrity error (SQLite) or a raised exception
(PostgreSQL), neither of them "busy" nor "unavailable". SQLite and PostgreSQL."""

from __future__ import annotations

from cc_terminal.models import WorkSession
from tests.channels.test_conversations import _started, _state

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
