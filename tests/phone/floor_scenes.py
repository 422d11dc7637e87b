"""The floor the F7 pictures and flows start from, set up through the services before
the app's person signs in: operators ringing, on a call, in wrap-up past the limit, paused
with a reason, on a chat, signed out; missed calls, one given to Jana."""

from __future__ import annotations

from datetime import timedelta

from cc_terminal.models.tally import PauseReason
from cc_terminal.services.workstation import Workstation
from tests.conftest import KNOWN_PHONE, PASSWORDS, login
from tests.phone.phone_rows import phone_call

PEOPLE = (("eva", "Eva Nová"), ("karel", "Karel Malý"), ("olga", "Olga Bílá"))


def floor_of_six(ws: Workstation) -> None:
    """Jana ringing, Petr on a call, Eva in wrap-up past the limit, Karel paused for lunch,
    Olga signed out; the lead ready once signed in."""
    lead = login(ws, "lead")
    for username, full_name in PEOPLE:
        ws.auth.create_operator(
            lead, username, full_name, "operator", PASSWORDS["jana"], must_change=False
        )
    people = {name: login(ws, name) for name in ("jana", "petr")}
    people |= {name: ws.auth.login(name, PASSWORDS["jana"]) for name, _full in PEOPLE}
    clock = ws.floor_board.clock
    now = clock()
    clock.now = now - timedelta(minutes=30)  # type: ignore[attr-defined]  # the tests' FixedClock
    for name in ("jana", "petr", "eva", "karel"):
        ws.work_clock.begin(people[name])
    clock.now = now - timedelta(minutes=5)  # type: ignore[attr-defined]
    ws.work_clock.pause(people["karel"], PauseReason.LUNCH)
    clock.now = now  # type: ignore[attr-defined]
    phone_call(
        ws,
        now - timedelta(seconds=12),
        number="+420605111222",
        operator_id=people["jana"].operator_id,
    )
    phone_call(
        ws,
        now - timedelta(seconds=200),
        number="+420605111333",
        operator_id=people["petr"].operator_id,
        answered_after=4,
    )
    phone_call(
        ws,
        now - timedelta(seconds=400),
        number="+420605111444",
        operator_id=people["eva"].operator_id,
        answered_after=3,
        ended_after=200,
        end_reason="answered",
    )


def missed_calls(ws: Workstation, *, given_to: str = "") -> None:
    """Two missed calls: Jan Novák's (known) and a number nobody has."""
    now = ws.floor_board.clock()
    known = phone_call(ws, now - timedelta(minutes=20), ended_after=9, end_reason="abandoned")
    phone_call(
        ws,
        now - timedelta(minutes=7),
        number="+420777888999",
        ended_after=30,
        end_reason="unanswered",
    )
    if given_to:
        ws.phone.assign_callback(login(ws, "lead"), known, login(ws, given_to).operator_id)


__all__ = ["KNOWN_PHONE", "floor_of_six", "missed_calls"]
