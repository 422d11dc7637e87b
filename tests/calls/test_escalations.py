"""Escalations: raised with the call's context, seen by leads, taken once; then noted,
handed back with advice or resolved with an outcome, as steps; the operator is told."""

import uuid
from datetime import timedelta

import pytest

from cc_terminal.models import EscalationStep
from cc_terminal.services.common.errors import (
    ConflictError,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.roles import refusal
from tests.conftest import login
from tests.helpers import max_seq, ops_since, rows


def test_an_escalation_carries_the_call_context(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    assert (raised.customer_name, raised.operator_name) == ("Jan Novák", "Jana Svobodová")
    assert (raised.reason, raised.notes, raised.elapsed_seconds) == ("complaint", "Angry", 180)
    assert ws.escalations.open_count() == 1
    assert [e.id for e in ws.escalations.queue(lead)] == [raised.id]


def test_a_lead_takes_it_once(ws, jana, lead, draft, settings, clock):
    raised = ws.escalations.raise_(jana, draft)
    taken = ws.escalations.take(lead, raised.id)
    assert (taken.status, taken.taken_by) == ("taken", "Lída Vedoucí")
    assert ws.escalations.open_count() == 0
    with pytest.raises(ConflictError, match="Lída Vedoucí"):
        ws.escalations.take(lead, raised.id)


def test_one_call_waits_once(ws, jana, draft):
    ws.escalations.raise_(jana, draft)
    with pytest.raises(ConflictError):
        ws.escalations.raise_(jana, draft)


def test_operators_neither_see_nor_take_the_queue(ws, jana, draft):
    raised = ws.escalations.raise_(jana, draft)
    with pytest.raises(PermissionDenied):
        ws.escalations.queue(jana)
    with pytest.raises(PermissionDenied):
        ws.escalations.take(jana, raised.id)


def test_another_terminal_sees_it_at_once(ws, jana, draft, settings, clock):
    from cc_terminal.services.workstation import open_workstation

    other = open_workstation(settings, clock=clock)
    try:
        assert other.escalations.open_count() == 0
        ws.escalations.raise_(jana, draft)
        assert other.escalations.open_count() == 1
        assert len(other.escalations.queue(login(other, "lead"))) == 1
    finally:
        other.close()


def kinds(detail):
    return [step.kind for step in detail.steps]


def test_a_lead_notes_hands_back_and_the_operator_reads_the_advice(ws, jana, lead, draft, clock):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    clock.advance(60)
    ws.escalations.add_note(lead, raised.id, "  Called billing: the credit is possible.  ")
    assert ws.escalations.answers_waiting(jana) == 0  # a note is not an answer
    back = ws.escalations.hand_back(lead, raised.id, "Offer 200 CZK credit; it is approved.")
    assert back.escalation.status == "returned"
    assert kinds(back) == ["taken", "note", "advice"]
    assert back.steps[1].text == "Called billing: the credit is possible."
    assert {step.actor_name for step in back.steps} == {"Lída Vedoucí"}
    assert ws.escalations.answers_waiting(jana) == 1
    mine = ws.escalations.mine(jana)
    assert [m.escalation.id for m in mine] == [raised.id]
    assert mine[0].unread and mine[0].answer.text == "Offer 200 CZK credit; it is approved."
    read = ws.escalations.mark_seen(jana, raised.id)
    assert kinds(read)[-1] == "seen" and not read.unread
    assert ws.escalations.answers_waiting(jana) == 0
    ws.escalations.mark_seen(jana, raised.id)  # read twice: one step
    assert kinds(ws.escalations.detail(jana, raised.id)).count("seen") == 1


def test_resolving_needs_an_outcome_and_ends_the_escalation(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    with pytest.raises(ValidationFailed) as failed:
        ws.escalations.resolve(lead, raised.id, "whatever", "x")
    assert failed.value.errors == {"outcome": "Pick an outcome."}
    done = ws.escalations.resolve(lead, raised.id, "credit", "")
    assert (done.escalation.status, done.answer.outcome, done.answer.text) == (
        "resolved",
        "credit",
        "",
    )
    assert ws.escalations.answers_waiting(jana) == 1
    with pytest.raises(ConflictError, match="resolved already"):
        ws.escalations.add_note(lead, raised.id, "late")
    assert rows(ws, "SELECT status FROM escalation") == [("resolved",)]


def test_advice_again_after_the_operator_read_it_is_a_new_answer(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    ws.escalations.hand_back(lead, raised.id, "Offer the credit.")
    ws.escalations.mark_seen(jana, raised.id)
    ws.escalations.resolve(lead, raised.id, "solved", "Customer accepted.")
    assert ws.escalations.answers_waiting(jana) == 1
    assert ws.escalations.mine(jana)[0].answer.outcome == "solved"


def test_nothing_is_added_before_it_is_taken_nor_without_words(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    with pytest.raises(ConflictError, match="Take the escalation first"):
        ws.escalations.hand_back(lead, raised.id, "advice")
    ws.escalations.take(lead, raised.id)
    with pytest.raises(ValidationFailed) as failed:
        ws.escalations.hand_back(lead, raised.id, "   ")
    assert failed.value.errors == {"text": "Required."}
    with pytest.raises(ValidationFailed):
        ws.escalations.add_note(lead, raised.id, "bell \x07")
    with pytest.raises(ValidationFailed):
        ws.escalations.add_note(lead, raised.id, "x" * 4001)
    assert kinds(ws.escalations.detail(lead, raised.id)) == ["taken"]
    with pytest.raises(Exception, match="No such escalation"):
        ws.escalations.add_note(lead, uuid.uuid4(), "note")


def test_only_leads_answer_and_only_the_raiser_reads(ws, jana, petr, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    for answer in (
        lambda who: ws.escalations.add_note(who, raised.id, "n"),
        lambda who: ws.escalations.hand_back(who, raised.id, "a"),
        lambda who: ws.escalations.resolve(who, raised.id, "solved"),
    ):
        with pytest.raises(PermissionDenied):
            answer(jana)
    with pytest.raises(PermissionDenied):
        ws.escalations.detail(petr, raised.id)
    with pytest.raises(PermissionDenied):
        ws.escalations.mark_seen(petr, raised.id)
    assert ws.escalations.detail(jana, raised.id).escalation.id == raised.id
    assert ws.escalations.mine(petr) == ()


def test_every_step_is_a_signed_op_of_its_author(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    before = max_seq(ws)
    ws.escalations.take(lead, raised.id)
    ws.escalations.hand_back(lead, raised.id, "advice")
    ws.escalations.mark_seen(jana, raised.id)
    steps = [op for op in ops_since(ws, before) if op["entity"] == "escalation_step"]
    assert [(op["kind"], op["changes"]["kind"]) for op in steps] == [
        ("insert", "taken"),
        ("insert", "advice"),
        ("insert", "seen"),
    ]
    authors = [uuid.UUID(str(op["actor_id"])) for op in steps]
    assert authors == [lead.operator_id, lead.operator_id, jana.operator_id]
    assert [op["changes"]["seq"] for op in steps] == [1, 2, 3]


def test_an_erasure_blanks_the_steps_words(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    ws.escalations.hand_back(lead, raised.id, "Jan Novák, 601 123 456: offer credit")
    ws.data_requests.erase(lead, draft.customer_id, "asked by letter")
    assert rows(ws, "SELECT text FROM escalation_step WHERE kind = 'advice'") == [("",)]


def _step_op(kind: str, changes: dict, entity: str = "escalation_step") -> Incoming:
    return Incoming(
        op_id=uuid.uuid4(),
        seq=1,
        entity=entity,
        row_id=str(uuid.uuid4()),
        kind=kind,
        changes=changes,
        bases={},
        hlc=1,
        terminal="t-jana",
        actor="jana-id",
    )


@pytest.mark.parametrize(
    ("kind", "changes", "refused"),
    [
        ("insert", {"kind": "seen"}, False),
        ("insert", {"kind": "advice"}, True),
        ("insert", {"kind": "taken"}, True),
        ("update", {"text": ""}, False),
        ("update", {"text": "forged advice"}, True),
        ("delete", {}, True),
    ],
)
def test_another_terminals_operator_may_only_read_an_answer(kind, changes, refused):
    said = refusal(_step_op(kind, changes), "operator", lambda *_: None, has_lead=True)
    assert bool(said) is refused


@pytest.mark.parametrize(
    ("kind", "changes", "refused"),
    [
        ("insert", {"status": "open", "notes": "Angry"}, False),
        ("update", {"status": "taken", "taken_by": "jana-id"}, True),
        ("update", {"status": "resolved"}, True),
        ("update", {"notes": ""}, False),
    ],
)
def test_another_terminals_operator_raises_but_never_takes_or_answers(kind, changes, refused):
    op = _step_op(kind, changes, entity="escalation")
    said = refusal(op, "operator", lambda *_: None, has_lead=True)
    assert bool(said) is refused
    assert refusal(op, "lead", lambda *_: None, has_lead=True) == ""


def test_the_refusals_of_a_step_say_why_in_words(ws, jana, lead, draft):
    raised = ws.escalations.raise_(jana, draft)
    with pytest.raises(ConflictError) as early:
        ws.escalations.add_note(lead, raised.id, "note")
    assert str(early.value) == "Take the escalation first."
    ws.escalations.take(lead, raised.id)
    assert ws.escalations.resolve(lead, raised.id, "solved").answer.text == ""  # no note
    with pytest.raises(ConflictError) as late:
        ws.escalations.hand_back(lead, raised.id, "advice")
    assert str(late.value) == "This escalation is resolved already."


def test_a_step_without_words_stores_none_and_there_is_no_answer_before_one(
    ws, jana, lead, draft, clock
):
    before = max_seq(ws)
    raised = ws.escalations.raise_(jana, draft)
    [op] = [op for op in ops_since(ws, before) if op["entity"] == "escalation"]
    assert uuid.UUID(str(op["actor_id"])) == jana.operator_id
    taken_at = clock.now
    detail = ws.escalations.detail(lead, raised.id)
    assert detail.answer is None and not detail.unread
    assert [(d.steps, d.unread) for d in ws.escalations.mine(jana)] == [((), False)]
    assert ws.escalations.answers_waiting(jana) == 0
    assert ws.escalations.mark_seen(jana, raised.id).steps == ()  # nothing to read yet
    ws.escalations.take(lead, raised.id)
    clock.advance(60)
    ws.escalations.hand_back(lead, raised.id, "Offer the credit.")
    clock.advance(60)
    read = ws.escalations.mark_seen(jana, raised.id)
    assert [(s.kind, s.outcome, s.text, s.at) for s in read.steps] == [
        ("taken", "", "", taken_at),
        ("advice", "", "Offer the credit.", taken_at + timedelta(seconds=60)),
        ("seen", "", "", clock.now),
    ]


def test_steps_read_in_the_order_they_were_added_whatever_the_clocks_said(
    ws, jana, lead, draft, clock
):
    """A terminal's clock may run behind another's: the step's number orders the steps,
    and steps two terminals numbered alike (each counting offline) go by their time."""
    raised = ws.escalations.raise_(jana, draft)
    ws.escalations.take(lead, raised.id)
    clock.advance(60)
    ws.escalations.hand_back(lead, raised.id, "Offer the credit.")
    clock.advance(-30)  # the operator's terminal is behind the lead's
    ws.escalations.mark_seen(jana, raised.id)
    with ws.db.write(lead.operator_id) as session:  # as another terminal's note arrives
        session.add(
            EscalationStep(
                escalation_id=raised.id,
                seq=2,
                kind="note",
                text="Called billing.",
                actor_id=lead.operator_id,
                at=clock.now - timedelta(seconds=20),
            )
        )
    steps = ws.escalations.detail(lead, raised.id).steps
    assert [step.kind for step in steps] == ["taken", "note", "advice", "seen"]
